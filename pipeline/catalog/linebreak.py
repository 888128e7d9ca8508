"""Where GNU gettext breaks a PO string line: the very library `msgcat` itself calls.

`msgcat`, `msgmerge` and Poedit's gettext back end wrap strings with libunistring's
`ulc_width_linebreaks` (Unicode line breaking, UAX #14, with East Asian widths). Calling the same
function gives line breaks identical to `msgcat` on this machine, so opening and saving a catalogue
in those tools produces no diff. Without libunistring (not a Debian-like system) a simple rule
stands in: break after spaces, and between CJK ideographs, counting wide characters as two
columns; the output is still valid PO, only its wrapping may differ from `msgcat`'s.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import unicodedata

BREAK_UNDEFINED, BREAK_PROHIBITED, BREAK_POSSIBLE, BREAK_MANDATORY = 0, 1, 2, 3


@functools.cache
def _libunistring():
    """The linebreak function gettext uses (the `_v2` Unicode rules where the library has them)."""
    names = [ctypes.util.find_library("unistring"), "libunistring.so.5", "libunistring.so.2", "libunistring.dylib"]
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        for symbol in ("ulc_width_linebreaks_v2", "ulc_width_linebreaks"):
            func = getattr(lib, symbol, None)
            if func is not None:
                func.restype = ctypes.c_int
                func.argtypes = [
                    ctypes.c_char_p,
                    ctypes.c_size_t,
                    ctypes.c_int,
                    ctypes.c_int,
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_char_p,
                    ctypes.c_char_p,
                ]
                return func
    return None


def have_gettext_linebreaking() -> bool:
    return _libunistring() is not None


def width_linebreaks(data: bytes, overrides: bytes, width: int, start_column: int) -> bytes:
    """One code per byte of UTF-8 `data`: BREAK_POSSIBLE where a line must break before it."""
    func = _libunistring()
    if not data:
        return b""
    if func is not None:
        out = _output_buffer(len(data))
        func(data, len(data), width, start_column, 0, overrides, b"UTF-8", out)
        return ctypes.string_at(out, len(data))
    return _fallback_linebreaks(data, overrides, width, start_column)


_buffer = ctypes.create_string_buffer(4096)


def _output_buffer(size: int):
    """One buffer for every call, grown as needed: allocating one per string cost more than the
    line breaking itself."""
    global _buffer
    if len(_buffer) < size:
        _buffer = ctypes.create_string_buffer(max(size, 2 * len(_buffer)))
    return _buffer


def _column_width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf") or char == "\u200b":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fallback_linebreaks(data: bytes, overrides: bytes, width: int, start_column: int) -> bytes:
    """Greedy breaking at spaces and between wide characters; used only without libunistring."""
    text = data.decode("utf-8")
    offsets, pos = [], 0
    for char in text:
        offsets.append(pos)
        pos += len(char.encode("utf-8"))
    result = bytearray([BREAK_PROHIBITED]) * len(data)
    column, last_break = start_column, None  # index of char where a break may go, column there
    for i, char in enumerate(text):
        allowed = (
            overrides[offsets[i]] != BREAK_PROHIBITED
            and i > 0
            and ((text[i - 1] == " " and char != " ") or (_column_width(char) == 2 and _column_width(text[i - 1]) == 2))
        )
        if allowed:
            last_break = (i, column)
        column += _column_width(char)
        if column > width and last_break is not None:
            at, at_column = last_break
            result[offsets[at]] = BREAK_POSSIBLE
            column -= at_column
            last_break = None
    return bytes(result)
