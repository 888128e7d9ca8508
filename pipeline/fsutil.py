"""Atomic writes and the work-directory lock: a crash leaves the old file or the new one."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import PipelineError


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
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


@contextmanager
def workdir_lock(workdir: Path, timeout: float = 0):
    """Hold the work directory against a concurrent run; a second run stops with a clear message."""
    workdir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(workdir / "lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise PipelineError(
            "another pipeline run is using this work directory; wait for it to finish", path=workdir
        ) from None
    try:
        yield
    finally:
        lock.release()
