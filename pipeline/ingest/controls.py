"""Control characters a scraped page carries, kept out of everything the pipeline reads from it.

A page copied out of a terminal, a PDF or a broken CMS holds characters no reader sees and no
catalogue should: a bell (U+0007), an escape (U+001B), C1 controls (U+0080-U+009F), a byte-order
mark in the middle of the text. Once in a msgid they reach the .pot and every .po, where gettext
warns about them and editors show them as boxes. So the text is cleaned where it is decoded,
by class:

- tab, line feed and carriage return are text: kept;
- the characters that end a line for Python's `str.splitlines` (VT, FF, FS, GS, RS, NEL, LS, PS)
  are replaced by a line feed: a plain-text source keeps its lines, and every offset stays where
  it was (one character for one);
- every other C0 and C1 control, DEL and U+FEFF after the start of the file are dropped;
- NUL is not cleaned: a file holding one is refused as binary (`text.decode`).

Export decodes the sources the same way, so the offsets found in the cleaned text are right for
the document it rebuilds. What was dropped or replaced is told by file and line (`scan`).
A control written as an HTML character reference (`&#7;`) is found by `scan` too; the segmenter
drops it from the sentence (`segment.splitter.clean_segment_text`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # replaced by "\n"
DROPPED = (
    "".join(chr(c) for c in [*range(0x01, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)] if chr(c) not in LINE_BREAKS)
    + "\ufeff"
)
_FOUND = re.compile(f"[{re.escape(LINE_BREAKS + DROPPED)}]")
_TABLE = str.maketrans({**{c: "\n" for c in LINE_BREAKS}, **{c: None for c in DROPPED}})
# The bytes that can start one of them in UTF-8: a file without any is not decoded again.
_FOUND_BYTES = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbb\xbf")
# Every byte but those that begin one: deleting them (`bytes.translate`, fifty times the regex's
# speed) leaves nothing from a file without any, the usual case, which is not searched at all.
_LEADING = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xE2, 0xEF])
_NOT_LEADING = bytes(b for b in range(256) if b not in _LEADING)
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?")


def clean(text: str) -> str:
    """`text` with its control characters replaced or dropped (see the module's notes)."""
    return text.translate(_TABLE) if _FOUND.search(text) else text


def without_dropped(text: str) -> str:
    """`text` less the characters `clean` drops: the msgid the sources give now for one a catalogue
    written before they were cleaned holds (the characters that end a line split it elsewhere)."""
    return text.translate(_DROP) if _FOUND.search(text) else text


_DROP = str.maketrans(dict.fromkeys(DROPPED))


def name(char: str) -> str:
    """`U+001B ESCAPE`: how a warning names a character (Unicode names no control: these are
    their aliases)."""
    label = (
        unicodedata.name(char, None)
        or _CONTROL_NAMES.get(ord(char))
        or ("C0 control" if ord(char) < 0x80 else "C1 control")
    )
    return f"U+{ord(char):04X} {label}"


_CONTROL_NAMES = {
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x1C: "FILE SEPARATOR",
    0x1D: "GROUP SEPARATOR",
    0x1E: "RECORD SEPARATOR",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


@dataclass(frozen=True)
class Cleaned:
    """One line's worth of what `clean` changed: where, and what, as a warning tells it."""

    line: int
    chars: tuple[str, ...]  # each character found there, once, in order
    referenced: bool = False  # written as an HTML character reference (`&#7;`)

    def describe(self, file: str) -> str:
        parts = [name(c) + (" replaced by a line break" if c in LINE_BREAKS else " dropped") for c in self.chars]
        how = "written as a character reference, " if self.referenced else ""
        return f"{file}:{self.line}: {how}" + ", ".join(parts) + " (no catalogue may hold a control character)"


def scan(data: bytes, html: bool = False) -> tuple[Cleaned, ...]:
    """Where `clean` changes the file's text, by line (`data`: its bytes, read as `decode` reads
    them); with `html`, also character references to controls (`&#7;`), which the page's parser
    turns into them. Cheap for a file without any (the usual case): its bytes are searched only."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    leading = data.translate(None, _NOT_LEADING)[1 if start else 0 :]
    if (not leading or _FOUND_BYTES.search(data, start) is None) and not (html and b"&#" in data):
        return ()
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    found: dict[tuple[int, bool], dict[str, None]] = {}
    for m in _FOUND.finditer(text):
        found.setdefault((text.count("\n", 0, m.start()) + 1, False), {})[m.group(0)] = None
    if html:
        for m in _REFERENCE.finditer(text):
            value = int(m.group(1), 16) if m.group(1) else int(m.group(2))
            char = chr(value) if value < 0x80 else ""  # 0x80-0x9F are read as Windows-1252, as browsers do
            if char and char not in "\t\n\r\x00" and _FOUND.match(char):
                found.setdefault((text.count("\n", 0, m.start()) + 1, True), {})[char] = None
    return tuple(Cleaned(line, tuple(chars), referenced) for (line, referenced), chars in sorted(found.items()))
