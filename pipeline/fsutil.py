"""Atomic writes and the work-directory lock: a crash leaves the old file or the new one."""

from __future__ import annotations

import errno
import functools
import glob
import os
import re
import stat
import tempfile
import time
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


def names_the_file_on_failure(write):
    """A write that fails in the file system (disk full, read-only, immutable, permission denied)
    becomes a PipelineError naming the file it was writing: the caller has left that file as it was."""

    @functools.wraps(write)
    def wrapper(path, *args, **kwargs):
        try:
            return write(path, *args, **kwargs)
        except OSError as exc:
            raise PipelineError(f"cannot write: {exc.strerror or exc}; the file is left as it was", path=path) from None

    return wrapper


@names_the_file_on_failure
def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`; the file
    gets the mode of the one it replaces, or 0666 less the umask (`new_file_mode`). `durable=False`
    skips the fsync, for a cache whose damaged or empty file is rebuilt (the work directory's
    entries): a run writes thousands of them, and each fsync costs milliseconds."""
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
            if durable:
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


@contextmanager
def folder_lock(folder: Path, what: str, lock_name: str, timeout: float = 0):
    """Hold `folder` against a concurrent run, so two runs never interleave their writes there.

    The second run stops at once (timeout 0) or after `timeout` seconds, with a message naming
    the folder; an OS-level lock (flock) dies with its process, so a killed run never leaves
    the folder locked.
    """
    folder = Path(folder)
    require_folder(folder)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileNotFoundError:  # a parent that cannot hold folders, such as /proc/self
        raise PipelineError(
            f"cannot create the {what} here: its parent folder does not accept new folders", path=folder
        ) from None
    lock = FileLock(str(folder / lock_name))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise _busy(folder, what) from None
    try:
        yield
    finally:
        if created:  # a command that stopped before writing anything there leaves no folder behind
            try:
                if [p.name for p in folder.iterdir()] == [lock_name]:
                    (folder / lock_name).unlink()  # while still locked: nothing else was written there
                    folder.rmdir()
            except OSError:
                pass
        lock.release()


def workdir_lock(workdir: Path, timeout: float = 0):
    """The work directory's lock (stage artefacts, translation memory)."""
    return folder_lock(workdir, "work directory", "lock", timeout)


@contextmanager
def catalog_lock(locales_dir: Path, timeout: float = 0):
    """The catalogue folder's lock: two runs with different work directories may share it.

    It is an flock on the folder itself, not a lock file in it, so nothing is left beside the
    catalogues for a commit to pick up; a folder this run created and left empty (a first run
    that failed) is removed again.
    """
    folder = Path(locales_dir)
    deadline = time.monotonic() + timeout
    while True:
        require_folder(folder)
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            _flock(fd, folder, "catalogue folder", max(0.0, deadline - time.monotonic()))
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, folder):
            break
        os.close(fd)  # the run we waited for removed the folder: lock the one there now
    try:
        yield
    finally:
        if created:
            try:
                folder.rmdir()  # only if still empty; while locked, so a waiting run sees it go
            except OSError:
                pass
        os.close(fd)  # releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _flock(fd: int, folder: Path, what: str, timeout: float) -> None:
    import fcntl

    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
        if time.monotonic() >= deadline:
            raise _busy(folder, what)
        time.sleep(0.1)


def _busy(folder: Path, what: str) -> PipelineError:
    return PipelineError(f"another pipeline run is using this {what}; wait for it to finish and run again", path=folder)


def require_folder(path: Path, option: str | None = None) -> Path:
    """`path` unless it exists as something other than a folder (a regular file given as --locales)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        kind = "a file" if path.is_file() else "not a folder"
        raise PipelineError(f"{option + ' ' if option else ''}must name a folder, but this is {kind}", path=path)
    return path


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


def check_document_name(name: str, path: Path, hint: str = "run `pipeline segment SOURCES` again") -> str:
    """`name` if it can name an output file and a catalogue reference: non-empty parts without
    control characters (a newline would break the `#:` line). Where the path leads (`..`, `/`)
    is checked against the folder it is written to (`export.documents.safe_path`)."""
    parts = name.lstrip("/").split("/")
    if not name or any(not part for part in parts) or any(c < " " or c == "\x7f" for c in name):
        raise PipelineError(
            f"document name {name!r} is not usable as a file name (empty, a control character "
            f"such as NUL or a newline, or an empty folder name): {hint}",
            path=path,
        )
    return name
