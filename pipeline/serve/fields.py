"""A request's fields, read as LibreTranslate reads them: from the URL's query and the body.

LibreTranslate (Flask) takes a field from the query string as readily as from the body, so its
clients put them in either: deep-translator sends every field in the URL of a `POST /translate`
with no body at all. The body may be JSON, a form (`application/x-www-form-urlencoded`, which
`libretranslatepy` and older Weblate versions send) or `multipart/form-data` (what LibreTranslate's
own web page posts). A field given both in the query and in the body with different values is
refused rather than one of them silently dropped. Every problem is a `RequestError` naming the
field or the part of the request at fault.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from pipeline.serve.limits import Limits, RequestError, json_kind, shown

if TYPE_CHECKING:
    from starlette.requests import Request

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ACCEPTED = f"application/json, {FORM} or {MULTIPART}"
MAX_DIGITS = 100  # digits of a JSON integer: no field needs more, and Python refuses past 4,300


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


def request_fields(query: bytes, body: bytes, content_type: str, limits: Limits) -> dict:
    """The fields of the query string and the body together (see the module's docstring)."""
    fields = form_fields(query, limits, "the URL's query string")
    if fields and not body.strip():
        return fields  # everything is in the URL, whatever Content-Type the client's library set
    for name, value in body_fields(body, content_type, limits).items():
        if name in fields and fields[name] != value:
            raise RequestError(
                400,
                f"Invalid request: {name} is given both in the URL and in the body, "
                "with different values; send it once",
            )
        fields[name] = value
    return fields


def body_fields(body: bytes, content_type: str, limits: Limits) -> dict:
    media, options = parse_options_header(content_type)
    media = media.decode("latin-1").lower()
    if media == "application/json" or media.endswith("+json") or (not media and body.lstrip()[:1] == b"{"):
        return json_fields(body)
    if media == FORM and body.lstrip()[:1] == b"{":  # curl -d '{...}' without -H: not a form at all
        raise RequestError(415, f"the body is JSON but its Content-Type is {FORM}: send Content-Type: application/json")
    if media in (FORM, ""):
        return form_fields(body, limits, "the form")
    if media == MULTIPART:
        return multipart_fields(body, options.get(b"boundary"), limits)
    raise RequestError(415, f"unsupported content type {shown(media)!r}: send {ACCEPTED}")


def json_fields(body: bytes) -> dict:
    if not body.strip():
        raise RequestError(400, "Invalid JSON format: the body is empty")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RequestError(400, f"Invalid JSON format: the body is not valid UTF-8 (byte {exc.start + 1})") from None
    try:
        data = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise RequestError(400, f"Invalid JSON format: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise RequestError(400, "Invalid JSON format: the body nests arrays or objects too deeply") from None
    if not isinstance(data, dict):
        raise RequestError(400, f"Invalid JSON format: the body must be a JSON object, not {json_kind(data)}")
    try:  # JSON may spell a lone surrogate (\ud800), which is no text and cannot be answered
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(400, "Invalid JSON format: a string holds a lone surrogate (\\uD800-\\uDFFF)") from None
    return data


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise RequestError(
            400, f"Invalid JSON format: a number with {len(digits.lstrip('-')):,} digits (at most {MAX_DIGITS})"
        )
    return int(digits)


def form_fields(data: bytes, limits: Limits, where: str) -> dict:
    """A urlencoded form's (or query string's) fields; a repeated `q` is a list."""
    most = limits.max_texts + 16
    try:
        pairs = parse_qsl(data.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=most)
    except UnicodeDecodeError:
        raise RequestError(400, f"Invalid request: {where} is not valid UTF-8") from None
    except ValueError:
        raise RequestError(400, f"Invalid request: {where} has more than {most} fields") from None
    return collect(pairs)


def collect(pairs) -> dict:
    fields: dict = {}
    for name, value in pairs:
        if name == "q" and "q" in fields:
            fields["q"] = (fields["q"] if isinstance(fields["q"], list) else [fields["q"]]) + [value]
        else:
            fields.setdefault(name, value)
    return fields


def multipart_fields(body: bytes, boundary: bytes | None, limits: Limits) -> dict:
    """A `multipart/form-data` body's fields, each part's text read as UTF-8; a file is refused."""
    if not boundary:
        raise RequestError(400, "Invalid request: multipart/form-data without a boundary in its Content-Type")
    parts: list[dict] = []
    header: dict = {}
    ended = []

    def header_field(data, start, end):
        header["name"] = header.get("name", b"") + data[start:end]

    def header_value(data, start, end):
        header["value"] = header.get("value", b"") + data[start:end]

    def header_end():
        if header.get("name", b"").strip().lower() == b"content-disposition":
            parts[-1]["disposition"] = header.get("value", b"")
        header.clear()

    def part_data(data, start, end):
        parts[-1]["data"] += data[start:end]

    callbacks = {
        "on_part_begin": lambda: parts.append({"data": b"", "disposition": b""}),
        "on_part_data": part_data,
        "on_header_field": header_field,
        "on_header_value": header_value,
        "on_header_end": header_end,
        "on_end": lambda: ended.append(True),
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except FormParserError:
        raise RequestError(400, "Invalid request: the multipart/form-data body cannot be read") from None
    if not ended:
        raise RequestError(400, "Invalid request: the multipart/form-data body ends before its closing boundary")
    most = limits.max_texts + 16
    if len(parts) > most:
        raise RequestError(400, f"Invalid request: the form has more than {most} fields")
    pairs = []
    for number, part in enumerate(parts, 1):
        _, options = parse_options_header(part["disposition"])
        name = _decoded(options.get(b"name"), f"the name of part {number}")
        if name is None:
            raise RequestError(400, f"Invalid request: part {number} of the multipart body has no name")
        if b"filename" in options:
            raise RequestError(
                400,
                f"Invalid request: {shown(name)} is a file; send its text as a field (files are not translated here)",
            )
        pairs.append((name, _decoded(part["data"], shown(name))))
    return collect(pairs)


def _decoded(data: bytes | None, what: str) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(400, f"Invalid request: {what} is not valid UTF-8") from None
