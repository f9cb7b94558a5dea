"""Section 1: ``import agb``, whole process (interpreter start included), ours against the official client.

Ours runs in the project venv, where dev tools are installed too (rich and click make httpx import its
CLI); an info row also shows ours with only its declared dependencies (httpx, attrs), as a user gets it.
Every run starts from a neutral directory so neither side picks up the other's ``agb`` from the cwd.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .context import Plan
from .official import ROOT, base_python, clean_env
from .report import Report, Row
from .stats import Summary, fmt_summary_ms, paired_ratio, ratio

DEPS_VENV = ROOT / ".cache" / "bench-deps-venv"
SECTION = "1 import time"


def _declared_deps() -> list[str]:
    import tomllib

    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def deps_venv() -> Path | None:
    """A venv holding only our declared runtime dependencies (cached); None if it cannot be made."""
    deps = _declared_deps()
    python, stamp = DEPS_VENV / "bin" / "python", DEPS_VENV / ".agb-bench-stamp"
    want = "\n".join(deps)
    if stamp.is_file() and stamp.read_text() == want:
        return python
    DEPS_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(DEPS_VENV.parent / "bench-deps-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text() == want:
            return python
        shutil.rmtree(DEPS_VENV, ignore_errors=True)
        for cmd in (
            [base_python(), "-m", "venv", str(DEPS_VENV)],
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *deps],
        ):
            if subprocess.run(cmd, capture_output=True, timeout=600).returncode != 0:
                shutil.rmtree(DEPS_VENV, ignore_errors=True)
                return None
        stamp.write_text(want)
    return python


def _time_run(python: str, code: str, cwd: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(plan: Plan, report: Report, official_python: Path | None) -> None:
    ours_env = clean_env()
    deps_python = deps_venv()
    # Our sources without installing them: the checkout and the generated client on PYTHONPATH.
    deps_env = clean_env(PYTHONPATH=f"{ROOT}:{ROOT / 'generated'}")
    contenders: dict[str, tuple[str, str, dict[str, str]]] = {"ours": (sys.executable, "import agb", ours_env)}
    if official_python is not None:
        contenders["official"] = (str(official_python), "import agb", clean_env())
    if deps_python is not None:
        contenders["ours (deps only)"] = (str(deps_python), "import agb", deps_env)
        # What a user who installed only the SDK pays (the dev venv also has click and rich, which httpx
        # imports for its command line when they are there).
        contenders["ours (deps only, from agb import AGB)"] = (str(deps_python), "from agb import AGB", deps_env)
    # `import agb` loads its exports lazily; what a program pays once it touches the client is this.
    contenders["ours (from agb import AGB)"] = (sys.executable, "from agb import AGB", ours_env)
    contenders["interpreter"] = (sys.executable, "pass", ours_env)  # the floor: python -c pass
    times: dict[str, list[float]] = {name: [] for name in contenders}
    with tempfile.TemporaryDirectory(prefix="agb-bench-import-") as cwd:
        for i in range(plan.import_warmup + plan.import_runs):
            names = list(contenders)
            names = names[i % len(names) :] + names[: i % len(names)]  # rotate: no side always goes first
            for name in names:
                python, code, env = contenders[name]
                elapsed = _time_run(python, code, cwd, env)
                if i >= plan.import_warmup:
                    times[name].append(elapsed)
    ours = Summary.of(times["ours"])
    theirs = Summary.of(times.get("official", []))
    paired = paired_ratio(times["ours"], times.get("official", []))  # run i of ours against run i of theirs
    r = paired.median
    report.add(
        Row(
            SECTION,
            f"python -c 'import agb', whole process (n={ours.n})",
            fmt_summary_ms(ours),
            f"official: {fmt_summary_ms(theirs)}",
            r,
            "<= 0.33x",
            None if r != r else r <= 1 / 3,
            {"ours_s": times["ours"], "official_s": times.get("official", [])},
            ratio_spread=paired.spread,
        )
    )
    floor = Summary.of(times["interpreter"])
    report.add(
        Row(
            SECTION,
            "floor: python -c pass (interpreter start)",
            fmt_summary_ms(floor),
            f"official: {fmt_summary_ms(theirs)}",
            ratio(floor.median, theirs.median),
            data={"floor_s": times["interpreter"]},
        )
    )

    def info_row(label: str, contender: str) -> None:
        """A row that only informs: `contender`'s import time beside the official client's."""
        mine = Summary.of(times[contender])
        report.add(
            Row(
                SECTION,
                label,
                fmt_summary_ms(mine),
                f"official: {fmt_summary_ms(theirs)}",
                ratio(mine.median, theirs.median),
                "info",
                None,
                {"ours_s": times[contender]},
            )
        )

    info_row("python -c 'from agb import AGB' (the client loaded), whole process", "ours (from agb import AGB)")
    if "ours (deps only)" in times:
        info_row("import agb, only httpx+attrs installed", "ours (deps only)")
        info_row("from agb import AGB, only httpx+attrs installed", "ours (deps only, from agb import AGB)")
