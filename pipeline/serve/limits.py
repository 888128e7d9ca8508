"""What a request may be, checked before any work: its size, its shape, its texts.

A request body is read up to `max_body` bytes and no further (413 past it), then parsed as JSON
or as a form (`application/x-www-form-urlencoded`, which `libretranslatepy` and Weblate's older
versions send) into the fields LibreTranslate defines. Every problem is a `RequestError` with
the status and the message the client gets as `{"error": ...}`; none is a traceback in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from starlette.requests import Request

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


async def read_body(request: Request, limit: int) -> bytes:
    """The body, or a 413 as soon as it is known to exceed `limit` (from Content-Length, else
    while it streams in)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestError(413, f"the request body has {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(413, f"the request body exceeds the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_fields(body: bytes, content_type: str, limits: Limits) -> dict:
    """The request's fields from a JSON object or a form; a form's repeated `q` is a list."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json") or (not media and body.lstrip()[:1] == b"{"):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise RequestError(400, "Invalid JSON format: the body is not valid UTF-8 JSON") from None
        if not isinstance(data, dict):
            raise RequestError(400, "Invalid JSON format: the body must be a JSON object")
        try:  # JSON may spell a lone surrogate (\ud800), which is no text and cannot be answered
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise RequestError(400, "Invalid JSON format: a string holds a lone surrogate (\\uD800-\\uDFFF)") from None
        return data
    if media in ("application/x-www-form-urlencoded", ""):
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                              max_num_fields=limits.max_texts + 16)
        except UnicodeDecodeError:
            raise RequestError(400, "Invalid request: the form is not valid UTF-8") from None
        except ValueError:
            raise RequestError(400, f"Invalid request: more than {limits.max_texts + 16} form fields") from None
        fields: dict = {}
        for name, value in pairs:
            if name == "q" and "q" in fields:
                fields["q"] = (fields["q"] if isinstance(fields["q"], list) else [fields["q"]]) + [value]
            else:
                fields.setdefault(name, value)
        return fields
    raise RequestError(415, f"unsupported content type {media!r}: send application/json or "
                            "application/x-www-form-urlencoded")


def translate_request(fields: dict, limits: Limits) -> TranslateRequest:
    """The fields of a `POST /translate`, checked against `limits` (messages as LibreTranslate's)."""
    q = fields.get("q")
    if q is None or q == "" or q == []:
        raise RequestError(400, "Invalid request: missing q parameter")
    if isinstance(q, str):
        texts, batch = [q], False
    elif isinstance(q, list) and all(isinstance(t, str) for t in q):
        texts, batch = q, True
    else:
        raise RequestError(400, "Invalid request: q must be a string or a list of strings")
    if len(texts) > limits.max_texts:
        raise RequestError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({limits.max_texts})")
    for i, text in enumerate(texts):
        if len(text) > limits.max_chars:
            where = f"q[{i}]" if batch else "q"
            raise RequestError(400, f"Invalid request: {where} has {len(text):,} characters; the limit is "
                                    f"{limits.max_chars:,}")
    source, target = (_required(fields, name) for name in ("source", "target"))
    fmt = fields.get("format") or "text"
    if fmt not in FORMATS:
        raise RequestError(400, f"{shown(fmt)} format is not supported (use text or html)")
    try:
        alternatives = max(0, int(fields.get("alternatives") or 0))
    except (TypeError, ValueError, OverflowError):
        raise RequestError(400, "Invalid request: alternatives parameter is not a number") from None
    api_key = fields.get("api_key")
    if api_key is not None and not isinstance(api_key, str):
        raise RequestError(400, "Invalid request: api_key must be a string")
    return TranslateRequest(texts, batch, source, target, fmt, alternatives, api_key or None)


def _required(fields: dict, name: str) -> str:
    value = fields.get(name)
    if not value:
        raise RequestError(400, f"Invalid request: missing {name} parameter")
    if not isinstance(value, str):
        raise RequestError(400, f"Invalid request: {name} must be a language code")
    return value


def shown(value: object, size: int = 40) -> str:
    """A client's value as a message may quote it: short, whatever was sent."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= size else text[: size - 1] + "…"
