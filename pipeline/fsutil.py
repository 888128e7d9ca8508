"""Atomic writes and the work-directory lock: a crash leaves the old file or the new one."""

from __future__ import annotations

import glob
import os
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import PipelineError


def current_umask() -> int:
    """The process umask, read without changing it where Linux says it (/proc), else set and reset."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """The mode a file written at `path` gets: that of the file it replaces, else 0666 less the
    umask, as msgfmt, cp and editors give; web servers and apps running as another user read it."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o777  # permissions, never set-id bits
    except OSError:
        return 0o666 & ~current_umask()


def create_file(path: Path) -> None:
    """Create `path` empty if missing (mode 0666 less the umask), touching nothing if it exists:
    for files another library fills in (SQLite would give 0644 whatever the umask)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o666))


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`; the file
    gets the mode of the one it replaces, or 0666 less the umask (`new_file_mode`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a killed run (writers hold the folder's lock)
    mode = new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # mkstemp makes it 0600
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Atomic write that leaves the file (and its mtime) alone when the bytes are the same."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


LOCK_NAME = ".pipeline.lock"  # in the locales folder: hidden, so gettext and web servers ignore it


@contextmanager
def folder_lock(folder: Path, what: str, lock_name: str = LOCK_NAME, timeout: float = 0):
    """Hold `folder` against a concurrent run, so two runs never interleave their writes there.

    The second run stops at once (timeout 0) or after `timeout` seconds, with a message naming
    the folder; an OS-level lock (flock) dies with its process, so a killed run never leaves
    the folder locked.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / lock_name))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise PipelineError(
            f"another pipeline run is using this {what}; wait for it to finish and run again", path=folder
        ) from None
    try:
        yield
    finally:
        lock.release()


def workdir_lock(workdir: Path, timeout: float = 0):
    """The work directory's lock (stage artefacts, translation memory)."""
    return folder_lock(workdir, "work directory", "lock", timeout)


def catalogue_lock(locales_dir: Path, timeout: float = 0):
    """The catalogue folder's lock: two runs with different work directories may share it."""
    return folder_lock(locales_dir, "catalogue folder", LOCK_NAME, timeout)


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]*")


def check_plain_name(name: str, what: str) -> str:
    """`name` if it is a single plain file-name component; it becomes part of output paths, so
    `../x`, `a/b`, absolute paths, hidden names and control characters are refused."""
    if not _PLAIN_NAME.fullmatch(name or "") or name in (".", ".."):
        raise PipelineError(
            f"{what} {name!r} is not a plain name (letters, digits, _ . @ + -; no folders): "
            "it would write outside its folder"
        )
    return name


def inside(root: Path, relative: str | Path) -> Path:
    """`root / relative`, refused when it would land outside `root` (`..`, absolute, a link out)."""
    root = Path(root).resolve()
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise PipelineError(f"output path {str(relative)!r} would escape {root}")
    return target
