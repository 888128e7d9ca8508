"""API keys: `--api-keys FILE` makes one of the file's keys required on `POST /translate`.

One key a line; blank lines and lines starting with `#` are ignored. Keys travel as LibreTranslate
clients send them, the `api_key` field of the body or the URL (Weblate's "API key" setting,
libretranslatepy's `api_key`, deep-translator's). `POST /detect` needs one too; `/languages`,
`/frontend/settings` and `/health` stay open, as in LibreTranslate: Weblate reads the languages
without a key.
A key sent in the URL never reaches the access log (`HideKeys`).
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from urllib.parse import unquote_plus

from pipeline.errors import PipelineError


def load_api_keys(path: Path) -> tuple[str, ...]:
    """The keys in `path`, or a PipelineError naming the file (unreadable, not UTF-8, no key)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PipelineError("not valid UTF-8: write one API key a line", path=path) from None
    except OSError as exc:
        raise PipelineError(f"cannot read the API keys: {exc.strerror or exc}", path=path) from None
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        if any(c.isspace() for c in key):
            raise PipelineError("an API key has a space in it: write one key a line", path=path, line=number)
        keys.append(key)
    if not keys:
        raise PipelineError("no API keys in the file: write one key a line", path=path)
    return tuple(dict.fromkeys(keys))


def key_problem(keys: tuple[str, ...] | None, given: str | None) -> str | None:
    """Why a request with `given` as its key is refused (None: it is not). Every key is compared
    in constant time, so the answer's timing says nothing about how close a guess was."""
    if keys is None:
        return None
    if not given:
        return "an API key is required: send it as api_key"
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(key.encode("utf-8"), given.encode("utf-8"))
    return None if matched else "Invalid API key"


HIDDEN = "***"


def hide_key(target: str) -> str:
    """A request target (`/translate?q=...&api_key=...`) with the value of every `api_key` field
    replaced, however its name is percent-encoded (`api%5Fkey` is read as the key too)."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    pieces = []
    for piece in query.split("&"):
        name, equals, _ = piece.partition("=")
        pieces.append(f"{name}={HIDDEN}" if equals and unquote_plus(name).lower() == "api_key" else piece)
    return f"{path}?{'&'.join(pieces)}"


class HideKeys(logging.Filter):
    """Keeps keys out of the access log: deep-translator sends its key in the URL, and the log
    line names the request target; logs are read by more people than keys are given to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(hide_key(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
