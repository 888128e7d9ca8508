"""A block of a rebuilt document, sentence by sentence: translated, left in Gujarati, and the gaps.

Rebuilt documents put each sentence's shipped translation where the sentence stood and keep the
source's text between sentences, with one exception: after a full-width end mark (`。`, `！`, …)
the source's space goes, as Chinese and Japanese write no space there. A page says which
sentences stayed Gujarati (`lang="gu"`), so it needs the pieces, not just the joined text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.layout import SOURCE_LANGUAGE
from pipeline.model import Document
from pipeline.segment.splitter import segment_document

# A sentence ending in a full-width stop, maybe inside closing tags (`<1>句子。</1>`).
_FULL_WIDTH_END = re.compile(r"[。！？；：…‥｡](?:</\d{1,3}>)*\Z")


@dataclass(frozen=True)
class Piece:
    """Part of a block's rebuilt text; `lang` is SOURCE_LANGUAGE for a sentence left untranslated."""

    text: str
    lang: str | None = None


def rebuilt_pieces(doc: Document, shipped: dict[str, str]) -> tuple[dict[int, list[Piece]], int, int]:
    """Block index → its pieces, plus how many sentences were translated and left in Gujarati."""
    by_block = defaultdict(list)
    for seg in segment_document(doc):
        by_block[seg.block].append(seg)
    out, translated, untranslated = {}, 0, 0
    for block in doc.blocks:
        pieces: list[Piece] = []
        position = block.start
        for seg in by_block.get(block.index, []):
            translation = shipped.get(seg.text)
            gap = doc.text[position : seg.start]
            if gap:
                pieces.append(Piece(gap))
            if translation is None:
                untranslated += 1
                pieces.append(Piece(doc.text[seg.start : seg.end], SOURCE_LANGUAGE))
            else:
                translated += 1
                pieces.append(Piece(translation))
            position = seg.end
        if position < block.end:
            pieces.append(Piece(doc.text[position : block.end]))
        out[block.index] = _tidy(pieces)
    return out, translated, untranslated


def _tidy(pieces: list[Piece]) -> list[Piece]:
    """No space after a full-width end mark before the next sentence; Gujarati sentences that
    follow each other (with only spaces between) become one piece, so a page marks them once."""
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        between = piece.lang is None and not piece.text.strip() and 0 < i < len(pieces) - 1
        if between and pieces[i - 1].lang is None and _FULL_WIDTH_END.search(pieces[i - 1].text):
            continue
        if between and pieces[i - 1].lang == pieces[i + 1].lang == SOURCE_LANGUAGE:
            out[-1] = Piece(out[-1].text + piece.text, SOURCE_LANGUAGE)
            continue
        if piece.lang is not None and out and out[-1].lang == piece.lang:
            out[-1] = Piece(out[-1].text + piece.text, piece.lang)
            continue
        out.append(piece)
    return out


def joined(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)
