"""A context's files on disk, and copies between a context and a sandbox that the sandbox cannot subvert.

A context is a directory `DATA_DIR/contexts/<id>/` holding:

* `files/`: the files, keyed by the absolute-looking path they sync to (`/tmp/a.txt` is `files/tmp/a.txt`).
  Keys are resolved lexically (`..`, `.`, repeated slashes) below the root, so no key names anything outside
  it; only agb_local writes here, and only directories and regular files (never a symlink).
* `inbox/`: files uploaded into a session's internal file-transfer context, waiting for the sync that delivers
  them into the sandbox (and then removes them, so a later sync never delivers a stale copy).
* `incoming/`: uploads and sync copies in progress. A file reaches its key only by a rename once it is whole,
  so a killed server or a dropped connection never leaves half a file under a key, and of two uploads of one
  key the last rename wins with one whole file. What a crash leaves here is removed at the next start.

The sandbox side is hostile: its files belong to code that may race us with symlinks. Every path there is
walked from the session's root one component at a time with `O_NOFOLLOW` on directory fds, files are opened
`O_NOFOLLOW | O_NONBLOCK` and must be regular, and writes are a temporary file renamed within the same
directory fd. So a symlink in the sandbox is copied as nothing and followed never, whatever it points at.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_MAX_DEPTH = 128
AREAS = ("files", "inbox")


class BadKey(ValueError):
    """A path that is not a usable key (empty, NUL, or the root where a file is needed)."""


class SyncError(Exception):
    """A copy that could not be done, with a sentence for the task's `errorMessage`."""


class BadName(SyncError):
    """A key no file can have."""


class QuotaError(SyncError):
    """The owner's context storage would exceed its quota."""


def normalize_key(path: str, *, allow_root: bool = False) -> str:
    """`path` as a key: absolute, `..`/`.`/`//` resolved below the root. Never escapes the root."""
    if not isinstance(path, str) or "\x00" in path:
        raise BadKey("a path must be text without NUL characters")
    key = "/" + posixpath.normpath("/" + path.strip()).lstrip("/")
    if key == "/" and not allow_root:
        raise BadKey(f"{path!r} names the root folder, not a file")
    return key


def is_under(key: str, folder: str) -> bool:
    return folder == "/" or key == folder or key.startswith(folder.rstrip("/") + "/")


def rebase(key: str, old: str, new: str) -> str:
    """`key` (at or under `old`) moved to the same place under `new`."""
    rest = key[len(old.rstrip("/")) :] if old != "/" else key
    return normalize_key(new.rstrip("/") + "/" + rest.lstrip("/"), allow_root=True)


@dataclass(frozen=True)
class Entry:
    key: str
    is_dir: bool
    size: int
    created: float
    modified: float


class ContextTree:
    """One context's directory (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def create(self) -> None:
        for area in (*AREAS, "incoming"):
            (self.root / area).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)

    def host_path(self, key: str, area: str = "files") -> Path:
        return self.root / area / key.lstrip("/")

    def entry(self, key: str, area: str = "files") -> Entry | None:
        try:
            st = os.lstat(self.host_path(key, area))
        except (OSError, ValueError):  # missing, or a name no file can have (NUL, too long)
            return None
        if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            return None
        is_dir = stat.S_ISDIR(st.st_mode)
        return Entry(key, is_dir, 0 if is_dir else st.st_size, st.st_ctime, st.st_mtime)

    def children(self, folder: str) -> list[Entry]:
        """The folder's direct children over both areas, sorted by name (a file in both counts once)."""
        found: dict[str, Entry] = {}
        for area in reversed(AREAS):  # files/ wins over inbox/
            base = self.host_path(folder, area)
            try:
                names = os.listdir(base)
            except (OSError, ValueError):
                continue
            for name in names:
                entry = self.entry(posixpath.join(folder, name), area)
                if entry is not None:
                    found[name] = entry
        return [found[name] for name in sorted(found)]

    def readable(self, key: str) -> Path | None:
        """The host file a download of `key` reads: the synced file, else one still waiting in the inbox."""
        for area in AREAS:
            entry = self.entry(key, area)
            if entry is not None and not entry.is_dir:
                return self.host_path(key, area)
        return None

    def delete(self, key: str) -> None:
        for area in AREAS:
            path = self.host_path(key, area)
            entry = self.entry(key, area)
            if entry is None:
                continue  # nothing there, or a name no file can have
            if entry.is_dir:
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                    path.unlink()

    def clear(self) -> None:
        for area in (*AREAS, "incoming"):
            shutil.rmtree(self.root / area, ignore_errors=True)
        self.create()

    def destroy(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def size(self) -> int:
        total = 0
        for area in AREAS:
            for dirpath, _, names in os.walk(self.root / area):
                for name in names:
                    with contextlib.suppress(OSError):
                        total += os.lstat(os.path.join(dirpath, name)).st_size
        return total

    def clean_incoming(self) -> None:
        """Remove what interrupted uploads and syncs left (a crash, a kill -9)."""
        shutil.rmtree(self.root / "incoming", ignore_errors=True)
        (self.root / "incoming").mkdir(parents=True, exist_ok=True)

    def incoming(self) -> Incoming:
        return Incoming(self)


class Incoming:
    """A file being written into a context: a temporary file that becomes a key only once whole."""

    def __init__(self, tree: ContextTree) -> None:
        self.tree = tree
        self.path = tree.root / "incoming" / f"up-{os.urandom(8).hex()}"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        self.size += len(data)

    def copy_from(self, fd: int, size: int) -> None:
        """Copy `size` bytes of the open file `fd` in the kernel."""
        offset = 0
        while offset < size:
            sent = os.sendfile(self.fd, fd, offset, min(size - offset, 1 << 30))
            if sent == 0:
                break  # the file shrank while we copied: keep what there was
            offset += sent
        self.size += offset

    def commit(self, key: str, area: str = "files", mtime_ns: int | None = None) -> None:
        """Put the file at `key`, replacing a file there; its parent folders are created."""
        os.close(self.fd)
        self.fd = -1
        target = self.tree.host_path(key, area)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if mtime_ns is not None:
                os.utime(self.path, ns=(mtime_ns, mtime_ns))
            os.replace(self.path, target)
        except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
            self.abort()
            raise SyncError(f"{key} cannot be stored: a file and a folder would have the same path") from exc
        except (OSError, ValueError) as exc:  # ENAMETOOLONG, a NUL: a name no file can have
            self.abort()
            if isinstance(exc, OSError) and exc.errno not in (errno.ENAMETOOLONG, errno.EINVAL):
                raise
            raise BadName(f"{key!r} cannot be a file name (a NUL character, or a name over 255 bytes)") from exc
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


# ---------------------------------------------------------------- the sandbox side


def sandbox_root(session_dir: Path, path: str) -> tuple[Path, list[str]]:
    """Where a sandbox path lives on the host: its writable root (`home/` or `tmp/`) and the components below."""
    parts = [p for p in normalize_key(path, allow_root=True).split("/") if p]
    if parts[:2] == ["home", "user"]:
        return session_dir / "home", parts[2:]
    if parts[:1] == ["tmp"]:
        return session_dir / "tmp", parts[1:]
    raise BadKey(f"{path}: a sandbox of agb_local syncs files only under /home/user and /tmp")


def _open_dirs(root: Path, parts: list[str], *, create: bool, uid: int | None) -> int:
    """An fd of root/parts..., walked without following any symlink; missing folders made when `create`."""
    fd = os.open(root, _DIR)
    try:
        for part in parts:
            try:
                nxt = os.open(part, _DIR, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
                nxt = os.open(part, _DIR, dir_fd=fd)
                if uid is not None:
                    os.fchown(nxt, uid, uid)
            os.close(fd)
            fd = nxt
    except OSError:
        os.close(fd)
        raise
    return fd


def _owner(root: Path) -> int | None:
    """The uid the sandbox's files belong to, when it is not ours (we then hand over what we create)."""
    uid = os.stat(root).st_uid
    return uid if uid != os.geteuid() else None


Allow = Callable[[str, bool], bool]  # (path relative to the mount, is a folder) -> copy it?


def _everything(relative: str, is_dir: bool) -> bool:
    return True


@dataclass
class CopyReport:
    files: int = 0
    bytes: int = 0
    skipped: int = 0  # symlinks, devices, FIFOs: never copied
    problems: list[str] | None = None

    def problem(self, text: str) -> None:
        self.problems = [*(self.problems or []), text]


def _sources(base: Path) -> Iterator[tuple[str, Path, bool]]:
    """(relative path, host path, is a folder) of a context folder's content, folders before their files."""
    if base.is_file():
        yield "", base, False
        return
    for dirpath, dirnames, filenames in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        rel = "" if rel == "." else rel
        dirnames.sort()
        for name in dirnames:
            yield posixpath.join("/", rel, name), Path(dirpath, name), True
        for name in sorted(filenames):
            yield posixpath.join("/", rel, name), Path(dirpath, name), False


def copy_into_sandbox(
    source: Path, session_dir: Path, target: str, allow: Allow = _everything, *, remove_source: bool = False
) -> CopyReport:
    """Copy the context file or folder at `source` into the sandbox path `target` (made if missing).

    A file of the sandbox in the way is replaced; a folder in the way of a file, or a symlink anywhere on the
    way, is reported and left alone. `remove_source` deletes each copied file (the file-transfer inbox).
    """
    report = CopyReport()
    root, parts = sandbox_root(session_dir, target)
    uid = _owner(root)
    single = source.is_file()
    if single and not parts:
        raise SyncError(f"{target} is a folder of the sandbox; a file needs a name under it")
    if not source.exists():
        if not single:  # nothing stored yet: the folder still appears in the sandbox
            with contextlib.suppress(OSError):
                os.close(_open_dirs(root, parts, create=True, uid=uid))
        return report
    folder_parts = parts[:-1] if single else parts
    try:
        top = _open_dirs(root, folder_parts, create=True, uid=uid)
    except OSError as exc:
        raise SyncError(f"{target}: cannot open the folder in the sandbox ({exc.strerror}; a symlink?)") from exc
    dirs: dict[str, int] = {"/": top}
    try:
        for rel, host, is_dir in _sources(source):
            if not allow(rel or "/", is_dir):
                continue
            parent_rel, name = posixpath.split(rel) if rel else ("/", parts[-1])
            parent = dirs.get(parent_rel)
            if parent is None:
                continue  # its folder could not be made: already reported
            if is_dir:
                try:
                    dirs[rel] = _open_dirs_at(parent, name, uid)
                except OSError as exc:
                    report.problem(f"{posixpath.join(target, rel.lstrip('/'))}: {exc.strerror}")
                continue
            try:
                if remove_source:
                    _move_file(parent, name, host, uid, report)
                else:
                    _write_file(parent, name, host, uid, report)
            except OSError as exc:
                report.problem(f"{posixpath.join(target, rel.lstrip('/')) if rel else target}: {exc.strerror}")
                continue
    finally:
        for fd in dirs.values():
            os.close(fd)
    return report


def ensure_sandbox_dir(session_dir: Path, path: str) -> None:
    """Make the sandbox folder `path` (and its parents) if missing, owned by the sandbox's user."""
    root, parts = sandbox_root(session_dir, path)
    try:
        os.close(_open_dirs(root, parts, create=True, uid=_owner(root)))
    except OSError as exc:
        raise SyncError(f"{path}: cannot make the folder in the sandbox ({exc.strerror}; a symlink?)") from exc


def _open_dirs_at(parent: int, name: str, uid: int | None) -> int:
    try:
        return os.open(name, _DIR, dir_fd=parent)
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o755, dir_fd=parent)
        fd = os.open(name, _DIR, dir_fd=parent)
        if uid is not None:
            os.fchown(fd, uid, uid)
        return fd


def _move_file(parent: int, name: str, host: Path, uid: int | None, report: CopyReport) -> None:
    """Move a context file into the sandbox folder `parent`: a rename when both are on one filesystem (the
    file-transfer inbox delivers this way, in no time whatever its size), else a copy and a delete."""
    tmp = f".agb-sync-{os.urandom(6).hex()}"
    try:
        os.rename(host, tmp, dst_dir_fd=parent)  # our own path to a name in the walked folder: follows nothing
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        _write_file(parent, name, host, uid, report)
        host.unlink()
        return
    try:
        fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
        try:
            size = os.fstat(fd).st_size
            if uid is not None:
                os.fchown(fd, uid, uid)
            os.fchmod(fd, 0o644)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=parent, dst_dir_fd=parent)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=parent)
        raise
    report.files += 1
    report.bytes += size


def _write_file(parent: int, name: str, host: Path, uid: int | None, report: CopyReport) -> None:
    tmp = f".agb-sync-{os.urandom(6).hex()}"
    with open(host, "rb") as src:
        st = os.fstat(src.fileno())
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=parent)
        try:
            offset = 0
            while offset < st.st_size:
                sent = os.sendfile(out, src.fileno(), offset, min(st.st_size - offset, 1 << 30))
                if sent == 0:
                    break
                offset += sent
            if uid is not None:
                os.fchown(out, uid, uid)
            os.utime(out, ns=(st.st_mtime_ns, st.st_mtime_ns))
        finally:
            os.close(out)
    try:
        os.rename(tmp, name, src_dir_fd=parent, dst_dir_fd=parent)  # replaces a file or symlink, never follows
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=parent)
        raise
    report.files += 1
    report.bytes += offset


def copy_from_sandbox(
    session_dir: Path,
    source: str,
    tree: ContextTree,
    key: str,
    allow: Allow = _everything,
    *,
    reserve: Callable[[str, int], None],
    mirror: bool,
    link: bool = False,
) -> CopyReport:
    """Copy the sandbox file or folder `source` into the context at `key`.

    Only regular files and folders are copied; symlinks and special files are skipped without being opened.
    Each file is stored whole (through `incoming/`); `reserve(key, size)` is asked before each and raises
    ``QuotaError`` to stop. With `mirror`, files under `key` that the sandbox no longer has are deleted.
    With `link` (the file-transfer context, whose copies only feed a download), each file is a hard link to
    the very inode opened, made in no time whatever its size; it is no snapshot: later writes show through.
    """
    report = CopyReport()
    root, parts = sandbox_root(session_dir, source)
    seen: set[str] = set()
    try:
        parent = _open_dirs(root, parts[:-1], create=False, uid=None) if parts else None
    except FileNotFoundError:
        parent = None
    except OSError as exc:
        raise SyncError(f"{source}: cannot open it in the sandbox ({exc.strerror}; a symlink?)") from exc
    if parts and parent is None:
        if mirror:
            tree.delete(key)
        else:
            report.problem(f"{source} does not exist in the sandbox")
        return report
    try:
        if parts:
            assert parent is not None
            try:
                st = os.stat(parts[-1], dir_fd=parent, follow_symlinks=False)
            except FileNotFoundError:
                if mirror:
                    tree.delete(key)
                else:
                    report.problem(f"{source} does not exist in the sandbox")
                return report
            if stat.S_ISREG(st.st_mode):
                _store(parent, parts[-1], tree, key, reserve, report, link)
                return report
            if not stat.S_ISDIR(st.st_mode):
                report.skipped += 1
                return report
            top = os.open(parts[-1], _DIR, dir_fd=parent)
        else:
            top = os.open(root, _DIR)
        try:
            _walk(top, "/", tree, key, allow, reserve, report, seen, 0, link)
        finally:
            os.close(top)
    finally:
        if parent is not None:
            os.close(parent)
    if mirror:
        _prune(tree, key, seen)
    return report


def _walk(
    fd: int,
    rel: str,
    tree: ContextTree,
    key: str,
    allow: Allow,
    reserve: Callable[[str, int], None],
    report: CopyReport,
    seen: set[str],
    depth: int,
    link: bool,
) -> None:
    if depth > _MAX_DEPTH:
        report.problem(f"{rel}: folders nested deeper than {_MAX_DEPTH} levels are not copied")
        return
    with os.scandir(fd) as entries:
        listing = sorted((e.name, e.is_dir(follow_symlinks=False), e.is_file(follow_symlinks=False)) for e in entries)
    for name, is_dir, is_file in listing:
        child = posixpath.join(rel, name)
        target = rebase(child, "/", key)
        if not allow(child, is_dir):
            seen.add(target)  # not ours to sync: a mirror must not delete it either
            if is_dir:
                _keep_subtree(tree, target, seen)
            continue
        if is_dir:
            seen.add(target)
            try:
                sub = os.open(name, _DIR, dir_fd=fd)
            except OSError:
                report.skipped += 1
                continue
            try:
                _walk(sub, child, tree, key, allow, reserve, report, seen, depth + 1, link)
            finally:
                os.close(sub)
        elif is_file:
            seen.add(target)
            _store(fd, name, tree, target, reserve, report, link)
        else:
            report.skipped += 1


def _keep_subtree(tree: ContextTree, key: str, seen: set[str]) -> None:
    base = tree.host_path(key)
    for dirpath, dirnames, filenames in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        for name in dirnames + filenames:
            seen.add(normalize_key(posixpath.join(key, "" if rel == "." else rel, name)))


def _store(
    parent: int,
    name: str,
    tree: ContextTree,
    key: str,
    reserve: Callable[[str, int], None],
    report: CopyReport,
    link: bool = False,
) -> None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
    except OSError:
        report.skipped += 1
        return
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            report.skipped += 1
            return
        reserve(key, st.st_size)
        if link and _link(fd, tree, key):
            report.files += 1
            report.bytes += st.st_size
            return
        incoming = tree.incoming()
        try:
            incoming.copy_from(fd, st.st_size)
        except BaseException:
            incoming.abort()
            raise
        incoming.commit(key, mtime_ns=st.st_mtime_ns)
        report.files += 1
        report.bytes += incoming.size
    finally:
        os.close(fd)


def _link(fd: int, tree: ContextTree, key: str) -> bool:
    """Hard-link the open file `fd` (its inode, not a name the sandbox could swap) at `key`; False if the
    filesystem cannot (another device), and the caller copies."""
    staged = tree.root / "incoming" / f"ln-{os.urandom(8).hex()}"
    folder = os.open(staged.parent, _DIR)
    try:
        # linkat(AT_SYMLINK_FOLLOW) of /proc's link to the inode itself (a dir fd makes os.link use linkat;
        # plain link(2) would link the /proc symlink, across devices).
        os.link(f"/proc/self/fd/{fd}", staged.name, dst_dir_fd=folder, follow_symlinks=True)
    except OSError:
        return False
    finally:
        os.close(folder)
    target = tree.host_path(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
        staged.unlink(missing_ok=True)
        raise SyncError(f"{key} cannot be stored: a file and a folder would have the same path") from exc
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return True


def _prune(tree: ContextTree, key: str, seen: set[str]) -> None:
    """Delete what is under `key` in the context but was not seen in the sandbox (deepest first)."""
    base = tree.host_path(key)
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base, topdown=False):
        rel = os.path.relpath(dirpath, base)
        for name in filenames + dirnames:
            child = normalize_key(posixpath.join(key, "" if rel == "." else rel, name))
            if child not in seen:
                tree.delete(child)


def whitelist(policy_lists: object) -> Allow:
    """The `bwList.whiteLists` of a policy as a filter on paths relative to the mount (empty: everything)."""
    rules: list[tuple[str, list[str]]] = []
    if isinstance(policy_lists, list):
        for item in policy_lists:
            if isinstance(item, dict) and isinstance(item.get("path"), str) and item["path"].strip():
                excludes = [
                    normalize_key(posixpath.join(item["path"], e), allow_root=True)
                    for e in item.get("excludePaths") or []
                    if isinstance(e, str) and e.strip()
                ]
                rules.append((normalize_key(item["path"], allow_root=True), excludes))
    if not rules:
        return _everything

    def allow(relative: str, is_dir: bool) -> bool:
        for path, excludes in rules:
            if any(is_under(relative, e) for e in excludes):
                continue
            if is_under(relative, path) or (is_dir and is_under(path, relative)):
                return True
        return False

    return allow
