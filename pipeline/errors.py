"""The one exception type the CLI turns into a clean message and a non-zero exit.

Stages raise `PipelineError` for anything a user can fix (bad input, missing model, bad config);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


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


class ModelUnavailable(PipelineError):
    """The configured model is neither cached nor reachable."""
