"""Write a polib catalogue exactly as GNU `msgcat` would, so a round trip through gettext tools,
Poedit or Weblate's gettext back end leaves the file byte-identical.

polib's own writer wraps at different points (it counts code points, not display columns, and
breaks anywhere a space is), which puts diff noise on every round trip. This module follows
gettext's `write-po.c`: the comment order, the `#,`/`#|`/`#~` forms, file references wrapped at
the page width, and strings broken where libunistring breaks them (see `linebreak`). `wrap=False`
writes each string on one line per `\\n`, like `msgcat --no-wrap`.
"""

from __future__ import annotations

import hashlib
import re

import polib

from pipeline.catalog.linebreak import BREAK_POSSIBLE, BREAK_PROHIBITED, BREAK_UNDEFINED, width_linebreaks

PAGE_WIDTH = 79
_NO_LIMIT = 2**31 - 1
BREAK_POSSIBLE_BYTE = bytes([BREAK_POSSIBLE])
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


def _portions(value: str) -> list[str]:
    """`value` cut after each newline, as gettext does (an empty string is one empty portion)."""
    parts = value.split("\n")
    out = [part + "\n" for part in parts[:-1]]
    if parts[-1] or not out:
        out.append(parts[-1])
    return out


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_ESCAPE_TABLE = str.maketrans({char: "\\" + code for char, code in _ESCAPES.items()})
# Per-byte break overrides of UTF-8: never inside a character (its continuation bytes) ...
_INSIDE_CHARACTER = bytes(BREAK_PROHIBITED if 0x80 <= b < 0xC0 else BREAK_UNDEFINED for b in range(256))
_ESCAPE_PAIR = re.compile(rb"\\.", re.DOTALL)  # ... nor inside an escape such as \n or \"


def _escape(portion: str) -> tuple[bytes, bytearray]:
    """The portion as it appears between quotes, and per-byte break overrides."""
    if _NEEDS_ESCAPE.search(portion):  # str.translate is slow on non-ASCII text: only when needed
        portion_text = portion.translate(_ESCAPE_TABLE)
    else:
        portion_text = portion
    data = portion_text.encode("utf-8")
    overrides = bytearray(data.translate(_INSIDE_CHARACTER))
    if b"\\" in data:
        for pair in _ESCAPE_PAIR.finditer(data):
            overrides[pair.start() + 1] = BREAK_PROHIBITED
    if portion.endswith("\n"):
        overrides[-2] = BREAK_PROHIBITED  # never break just before the closing "\n"
    return data, overrides


def _breaks(data: bytes, overrides: bytearray, width: int, start: int) -> bytes:
    """Where libunistring breaks `data`; a string that fits as it is is not handed to it (a
    character is never wider in columns than in UTF-8 bytes, so `start + bytes <= width` fits)."""
    if start + len(data) <= width:
        return b""
    return width_linebreaks(data, bytes(overrides), width, start)


def wrap_string(name: str, value: str, prefix: str = "", wrap: bool = True) -> list[str]:
    """Lines for one keyword (`msgid`, `msgstr[0]`, ...) and its string, as gettext's `wrap()`."""
    lines: list[str] = []
    portions = _portions(value)
    after_break = len(prefix) + 1
    width = (PAGE_WIDTH if wrap else _NO_LIMIT) - 1 - after_break
    first = True
    for n, portion in enumerate(portions):
        data, overrides = _escape(portion)
        more_follow = n + 1 < len(portions)
        while True:
            start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = _breaks(data, overrides, width, start)
            if first and data and (more_follow or start > width or BREAK_POSSIBLE_BYTE in breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        pieces, begin = [], 0
        at = breaks.find(BREAK_POSSIBLE_BYTE)
        while at != -1:
            pieces.append(data[begin:at])
            begin = at
            at = breaks.find(BREAK_POSSIBLE_BYTE, at + 1)
        pieces.append(data[begin:])
        head = f"{prefix}{name} " if first else prefix
        first = False
        for j, piece in enumerate(pieces):
            lines.append(f'{head if j == 0 else prefix}"{piece.decode("utf-8")}"')
    return lines


def _comment_lines(mark: str, text: str) -> list[str]:
    return [f"{mark} {line}" if line else mark for line in text.split("\n")] if text else []


def _reference_lines(occurrences) -> list[str]:
    lines, current, column = [], "#:", 2
    for path, line in occurrences:
        ref = f"{path}:{line}" if line else path
        if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += len(ref) + 1
    lines.append(current)
    return lines


def _plural_forms(entry: polib.POEntry, nplurals: int | None) -> list[tuple[int, str]]:
    """At least `nplurals` forms when the locale says how many, missing ones empty; a form beyond
    them that a person wrote is kept, as msgcat keeps it (msgfmt -c reports it)."""
    forms = {int(k): v for k, v in entry.msgstr_plural.items()}
    count = max(nplurals or 0, max(forms, default=0 if nplurals else 1) + 1)
    return [(i, forms.get(i, "")) for i in range(max(count, 1))]


def entry_lines(entry: polib.POEntry, wrap: bool = True, nplurals: int | None = None) -> list[str]:
    obsolete = entry.obsolete
    lines = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    if entry.occurrences and not obsolete:
        lines += _reference_lines(entry.occurrences)
    forms = _plural_forms(entry, nplurals) if entry.msgid_plural else None
    first_msgstr = forms[0][1] if forms else entry.msgstr
    flags = [f for f in entry.flags if f != "fuzzy"]
    if "fuzzy" in entry.flags and first_msgstr:
        flags.insert(0, "fuzzy")
    if flags:
        lines.append("#, " + ", ".join(flags))
    prev_prefix = "#~| " if obsolete else "#| "
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, f"previous_{name}")
        if value is not None:  # `#| msgctxt ""` too: an empty context is one (msgcat writes it)
            lines += wrap_string(name, value, prev_prefix, wrap)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += wrap_string("msgctxt", entry.msgctxt, prefix, wrap)
    lines += wrap_string("msgid", entry.msgid, prefix, wrap)
    if forms is not None:
        lines += wrap_string("msgid_plural", entry.msgid_plural, prefix, wrap)
        for i, text in forms:
            lines += wrap_string(f"msgstr[{i}]", text, prefix, wrap)
    else:
        lines += wrap_string("msgstr", entry.msgstr, prefix, wrap)
    return lines


def format_catalog(po: polib.POFile, wrap: bool = True, nplurals: int | None = None) -> str:
    """The whole file: header entry first, then each entry, separated by blank lines."""
    return format_header(po, wrap) + format_entries(po, wrap, nplurals)


def format_header(po: polib.POFile, wrap: bool = True) -> str:
    """The header entry alone: all that differs between two renderings of a catalogue at two dates."""
    header = _comment_lines("#", po.header)
    if po.metadata_is_fuzzy:
        header.append("#, fuzzy")
    header += wrap_string("msgid", "", "", wrap)
    header += wrap_string("msgstr", "".join(f"{k}: {v}\n" for k, v in po.ordered_metadata()), "", wrap)
    return "\n".join(header)


def format_entries(
    po: polib.POFile,
    wrap: bool = True,
    nplurals: int | None = None,
    known: dict[str, str] | None = None,
    digests: list[str] | None = None,
) -> str:
    """Everything after the header, each entry after a blank line, ending the file.

    `known`: text this writer wrote before, by `fields_digest` of the entry it wrote it from;
    `digests`: each entry's `fields_digest`. An entry whose fields were written before is copied,
    not formatted again (most of a daily update's entries)."""
    if not known or digests is None:
        return "".join("\n\n" + "\n".join(entry_lines(e, wrap, nplurals)) for e in po) + "\n"
    texts = []
    for e, digest in zip(po, digests):
        text = known.get(digest)
        texts.append(text if text is not None else "\n".join(entry_lines(e, wrap, nplurals)))
    return "".join("\n\n" + text for text in texts) + "\n"


def fields_digest(entry: polib.POEntry) -> str:
    """A digest of everything `entry_lines` reads of an entry: equal digests, equal text."""
    fields = (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        sorted(entry.msgstr_plural.items()),
        entry.tcomment,
        entry.comment,
        list(entry.occurrences),
        list(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        bool(entry.obsolete),
    )
    return hashlib.blake2b(repr(fields).encode(), digest_size=9).hexdigest()
