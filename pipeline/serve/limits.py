"""What a request may be, checked before any work: its size, its shape, its texts.

The fields a request was read into (`fields`) are checked here against LibreTranslate's
definitions and the server's limits. Every problem is a `RequestError` with the status and the
message the client gets as `{"error": ...}`, naming the field and what is wrong with it; none is
a traceback in the log.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

FORMATS = ("text", "html")


@dataclass(frozen=True)
class Limits:
    max_body: int = 1 << 20  # bytes of a request body
    max_texts: int = 100  # texts in one request (Weblate sends up to 20)
    max_chars: int = 5000  # characters in one text
    max_requests: int = 64  # translate requests in progress at once; more are answered 503


class RequestError(Exception):
    """A request the service will not do, with the HTTP status that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class TranslateRequest:
    texts: list[str]
    batch: bool  # q was a list: the answer's fields are lists too
    source: str
    target: str
    fmt: str
    alternatives: int
    api_key: str | None


def translate_request(fields: dict, limits: Limits) -> TranslateRequest:
    """The fields of a `POST /translate`, checked against `limits` (messages as LibreTranslate's)."""
    texts, batch = request_texts(fields, limits)
    source, target = (_required(fields, name) for name in ("source", "target"))
    fmt = fields.get("format")
    if fmt is None or fmt == "":
        fmt = "text"
    if not isinstance(fmt, str):
        raise RequestError(400, f"Invalid request: format must be text or html, not {json_kind(fmt)}")
    if fmt not in FORMATS:
        raise RequestError(400, f"{shown(fmt)} format is not supported (use text or html)")
    return TranslateRequest(
        texts, batch, source, target, fmt, _alternatives(fields.get("alternatives")), api_key_field(fields)
    )


def request_texts(fields: dict, limits: Limits) -> tuple[list[str], bool]:
    """`q` as a list of texts, and whether it was sent as a list (`POST /translate` and `/detect`)."""
    q = fields.get("q")
    if q is None or q == "":
        raise RequestError(400, "Invalid request: missing q parameter")
    if isinstance(q, str):
        texts, batch = [q], False
    elif isinstance(q, list):
        if not q:
            raise RequestError(400, "Invalid request: q is an empty list; send at least one text")
        for i, text in enumerate(q):
            if not isinstance(text, str):
                raise RequestError(
                    400,
                    f"Invalid request: q[{i}] must be a string (q is a string or a list "
                    f"of strings), not {json_kind(text)}",
                )
        texts, batch = q, True
    else:
        raise RequestError(400, f"Invalid request: q must be a string or a list of strings, not {json_kind(q)}")
    if len(texts) > limits.max_texts:
        raise RequestError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({limits.max_texts})")
    for i, text in enumerate(texts):
        if len(text) > limits.max_chars:
            where = f"q[{i}]" if batch else "q"
            raise RequestError(
                400, f"Invalid request: {where} has {len(text):,} characters; the limit is {limits.max_chars:,}"
            )
    return texts, batch


def api_key_field(fields: dict) -> str | None:
    """The `api_key` sent (None: none), checked before the key itself is, so that a key of the
    wrong type is named as such rather than taken for a missing one."""
    key = fields.get("api_key")
    if key is not None and not isinstance(key, str):
        raise RequestError(400, f"Invalid request: api_key must be a string, not {json_kind(key)}")
    return key or None


def _alternatives(value: object) -> int:
    """LibreTranslate's `alternatives`: a whole number (a numeral in a form), 0 when absent."""
    if value is None or value == "":
        return 0
    problem = f"Invalid request: alternatives parameter is not a number: {shown(value)}"
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise RequestError(400, problem) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RequestError(400, problem)
    return max(0, int(value))


def _required(fields: dict, name: str) -> str:
    value = fields.get(name)
    if value is None or value == "":
        raise RequestError(400, f"Invalid request: missing {name} parameter")
    if not isinstance(value, str):
        raise RequestError(400, f"Invalid request: {name} must be a language code, not {json_kind(value)}")
    return value


def json_kind(value: object) -> str:
    """What a JSON value is, as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "a number")


def shown(value: object, size: int = 40) -> str:
    """A client's value as a message may quote it: short, whatever was sent."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= size else text[: size - 1] + "…"
