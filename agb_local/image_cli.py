"""`agb-local images list` and `agb-local images build [ID ...]`."""

from __future__ import annotations

import argparse
import sys

from .sandbox.environments import BuildFailed, Interpreter, build, environment_key, images_dir_for, manifest
from .sandbox.images import load_images


def run_images_command(args: argparse.Namespace) -> int:
    try:
        images = load_images(args.images)
    except ValueError as exc:
        print(f"agb-local: {exc}", file=sys.stderr)
        return 2
    images_dir = images_dir_for(args.data_dir.resolve(), args.images_dir)
    interpreter = Interpreter.current()
    if args.images_command == "list":
        print(f"image environments in {images_dir} (Python {interpreter.version})")
        rows = [("ID", "ENVIRONMENT", "PACKAGES")]
        for image in images.values():
            if not image.packages:
                rows.append((image.id, "none: the server's own interpreter", "-"))
                continue
            key = environment_key(image.packages, interpreter)
            info = manifest(images_dir, key)
            state = f"{key} built in {info.get('build_seconds')} s" if info else f"{key} not built"
            rows.append((image.id, state, " ".join(image.packages)))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for row in rows:
            print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
        return 0

    unknown = [i for i in args.ids if i not in images]
    if unknown:
        print(f"agb-local: unknown image {unknown[0]!r}; known images: {', '.join(sorted(images))}", file=sys.stderr)
        return 2
    chosen = [images[i] for i in args.ids] if args.ids else list(images.values())
    failed = 0
    done: set[str] = set()
    for image in chosen:
        if not image.packages:
            print(f"{image.id}: no packages (runs on the server's own interpreter); nothing to build")
            continue
        key = environment_key(image.packages, interpreter)
        if key in done:
            print(f"{image.id}: same environment as above ({key})")
            continue
        done.add(key)

        def show(line: str, image_id: str = image.id) -> None:
            print(f"{image_id}: {line}", file=sys.stderr, flush=True)

        try:
            env = build(images_dir, image.packages, interpreter=interpreter, wheelhouse=args.wheelhouse, progress=show)
        except BuildFailed as exc:
            print(f"{image.id}: FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{image.id}: ready ({env.root})")
    return 1 if failed else 0
