"""The server's log: uvicorn's lines and ours, all on stderr, never an API key.

Clients send their key where LibreTranslate reads it: the body, or the URL's query string
(deep-translator puts every field there). uvicorn's access log writes the URL, so every line,
whoever logs it, passes through `RedactKeys` first: the value of any `api_key` field (as a query
or form parameter, or a JSON member) becomes `[redacted]`.
"""

from __future__ import annotations

import copy
import logging
import re

from uvicorn.config import LOGGING_CONFIG

REDACTED = "[redacted]"

# api_key, api-key, apiKey and their percent-encoded spellings; then `=`, or `": "` (JSON, or
# `': '` as Python shows a dict).
_KEY_VALUE = re.compile(
    r"""(?ix)
    ( api (?: _ | - | %5f | %2d )? key   # the field's name
      (?: ["'] | %22 | %27 )? \s* (?: = | : | %3d | %3a ) \s* (?: ["'] | %22 | %27 )? )
    ( (?: [^&\s"',;}\]\\] | \\. )+ )      # its value, up to the next field
    """
)


def redact(text: str) -> str:
    """`text` with the value of every API key field in it replaced by `[redacted]`."""
    return _KEY_VALUE.sub(lambda m: m.group(1) + REDACTED, text)


class RedactKeys(logging.Filter):
    """A handler filter: every key redacted from the record's arguments, message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            # uvicorn's access formatter reads the arguments (client, method, path, version,
            # status) one by one: redact each, keeping their shape.
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # arguments that do not fit the message
                message = f"{record.msg} {record.args}"
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def log_config() -> dict:
    """uvicorn's logging set-up (for `logging.config.dictConfig`) with the access log on stderr
    beside the rest, the root logger's lines in the same form, and every handler filtered
    through `RedactKeys`."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_keys": {"()": RedactKeys}}
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
        handler["filters"] = ["redact_keys"]
    config["root"] = {"handlers": ["default"], "level": "INFO"}  # the pipeline's own lines
    return config


__all__ = ["REDACTED", "RedactKeys", "log_config", "redact"]
