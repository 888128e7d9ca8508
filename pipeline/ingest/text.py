"""Plain-text articles: one block per non-empty line (the way scraped news arrives).

Lines that are page-builder debris (`wps_doc_0`, a lone bullet number) become `artefact` blocks:
kept in the document structure, never sent to the model or the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import PipelineError
from ..model import Block, Document

ARTEFACT_PATTERNS = (
    r"wps_doc_\d+",  # WPS page-builder anchors
    r"[•·▪◦\-*]?\s*\d{1,3}",  # a lone bullet or page number
    r"[•·▪◦\-*_=~]+",  # a bullet or rule with nothing after it
)
_ARTEFACT = re.compile("|".join(f"(?:{p})" for p in ARTEFACT_PATTERNS))


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is accepted and dropped) to NFC text, or an error naming the byte offset."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PipelineError("file is UTF-16; save it as UTF-8", path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        if _looks_like_utf16(data):
            raise PipelineError("file looks like UTF-16 without a byte-order mark; save it as UTF-8", path=path)
        raise PipelineError(f"file looks binary (NUL byte at byte offset {nul}); expected UTF-8 text",
                            path=path, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PipelineError(
            f"not valid UTF-8 at byte offset {exc.start} ({exc.reason})", path=path, line=line
        ) from None
    return unicodedata.normalize("NFC", text)


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 text has NULs on one side only (the high byte of spaces, digits, newlines)."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return (even == 0) != (odd == 0) and max(even, odd) >= len(head) // 40


def is_artefact(line: str) -> bool:
    return _ARTEFACT.fullmatch(line.strip()) is not None


def read_text_document(path: Path, name: str, data: bytes) -> Document:
    text = decode(data, path)
    if not text.strip():
        raise PipelineError("file is empty: nothing to translate", path=path)
    blocks: list[Block] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            lead = len(content) - len(content.lstrip())
            start = offset + lead
            end = start + len(stripped)
            kind = "artefact" if is_artefact(stripped) else "paragraph"
            blocks.append(Block(index=len(blocks), kind=kind, start=start, end=end))
        offset += len(line)
    return Document(name=name, text=text, blocks=tuple(blocks))
