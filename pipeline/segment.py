"""Gujarati sentence splitter: punctuation rules plus abbreviation and initial lists, offsets kept.

Sentence-level models (NLLB, M2M100) drop or merge sentences when given several at once, so
every block is cut at real sentence ends and nowhere else: not after an abbreviation or an
initial, not inside a number, URL or time (no whitespace follows those dots), and not where
punctuation continues the sentence (`છે. , અને`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .markup import keep_tags_together
from .model import Document, Segment

# Abbreviations written with a full stop; matched against the word before the dot (inner dots kept).
GUJARATI_ABBREVIATIONS = frozenset(
    """ડૉ ડો શ્રી શ્રીમતી શ્રીમાન પ્રો રૂ તા નં કિ.મી કિ.ગ્રા મિ.મી સે.મી દા.ત યુ.એસ યુ.એન યુ.કે
    ઈ.સ ઇ.સ ઈ.સ.પૂ સ્વ સં મ્યુ ચિ કુ સૌ ગં.સ્વ પૂ જિ લિ પ્રા કં ડિ મે.ડિ ઍડ એડ""".split()
)
LATIN_ABBREVIATIONS = frozenset(
    """Dr Mr Mrs Ms Prof Sr Jr St Mt Rs No Nos Vol Fig vs etc e.g i.e U.S U.K U.N a.m p.m
    Inc Ltd Co Corp Gen Col Lt Capt Sgt Gov Sen Rep Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
# Gujarati spellings of Latin letter names: "એ. બી. શર્મા", "ડબલ્યુ. એચ. ઓ." are initials.
GUJARATI_LETTER_NAMES = frozenset(
    """એ બી સી ડી ઈ ઇ એફ જી એચ આઈ આઇ જે કે એલ એમ એન ઓ પી ક્યુ ક્યૂ આર એસ ટી યુ યૂ વી ડબલ્યુ ડબ્લ્યુ
    એક્સ વાય ઝેડ""".split()
)

_TERMINATOR = re.compile(r"(?:\.{3}|…|[.।॥?!]+)[\"'”’»)\]]*")
_CONTINUES = re.compile(r"[,;:)\]}।.]|[a-z]")  # what after a stop means the sentence goes on
_DIGITS = re.compile(r"[0-9૦-૯]+")


def _word_before(text: str, pos: int) -> str:
    """The whitespace-delimited word ending at `pos` (the terminator's position)."""
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"'“‘(«[":
        start -= 1
    return text[start:pos]


def _is_boundary(text: str, match: re.Match) -> bool:
    end = match.end()
    if end < len(text) and not text[end].isspace():
        return False  # 3.14, 9:30, example.com, file.txt, "word.Next"
    rest = text[end:].lstrip()
    if not rest:
        return True
    if _CONTINUES.match(rest):
        return False
    mark = match.group()
    if mark.startswith(".") and not mark.startswith("..."):
        word = _word_before(text, match.start())
        if not word or _DIGITS.fullmatch(word):
            return True  # "... 2024. આ" still ends a sentence
        if word in GUJARATI_ABBREVIATIONS or word in LATIN_ABBREVIATIONS:
            return False
        if word in GUJARATI_LETTER_NAMES or (len(word) == 1 and word.isalpha()):
            return False
        if "૰" in word:
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINATOR.finditer(text):
        if _is_boundary(text, match):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def segment_document(doc: Document) -> Iterator[Segment]:
    """Every translatable sentence of `doc`, in document order; artefact blocks yield nothing."""
    index = 0
    for block in doc.blocks:
        if block.kind == "artefact":
            continue
        block_text = doc.text[block.start : block.end]
        for s, e in keep_tags_together(block_text, split_sentences(block_text)):
            yield Segment(
                doc=doc.name,
                block=block.index,
                index=index,
                text=block_text[s:e],
                start=block.start + s,
                end=block.start + e,
            )
            index += 1


def segment_documents(docs: Iterable[Document]) -> list[Segment]:
    return [seg for doc in docs for seg in segment_document(doc)]
