"""The one exception type the CLI turns into a clean message and a non-zero exit.

Stages raise `PipelineError` for anything a user can fix (bad input, missing model, bad config);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno


class PipelineError(Exception):
    """A problem the user can fix; `str()` is the whole message, naming file and line if known."""

    exit_code = 2

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


# Errors of the machine, not of the program: a full disk, a file in the way, a folder one cannot write.
_MACHINE_FAULTS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.EEXIST,
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.ENXIO,
    errno.ETXTBSY,
}


def machine_fault(exc: OSError) -> bool:
    """An OSError a user can mend (space, permissions, a file in the way): told as a message, not a traceback."""
    return exc.errno in _MACHINE_FAULTS


def os_error_text(exc: OSError) -> str:
    """The message for a `machine_fault`: the file or files, and what the system said."""
    where = f"{exc.filename}: " if exc.filename is not None else ""
    also = f" (and {exc.filename2})" if exc.filename2 is not None else ""
    return f"{where}{exc.strerror or exc}{also}"


class ModelUnavailable(PipelineError):
    """The configured model is neither cached nor reachable."""
