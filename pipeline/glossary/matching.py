"""Finding glossary terms in Gujarati text, inflected.

Gujarati attaches case endings and postpositions to the noun: મંત્રાલય, મંત્રાલયે, મંત્રાલયની,
મંત્રાલયમાં, મંત્રાલયોમાંથી. A term matches when all its words are there in order and its last word
carries nothing or one of these endings; never inside another word (ઉપમંત્રાલય, મંત્રાલયવાળું).
Where terms overlap, the longer one wins (જાહેર સુરક્ષા મંત્રાલય over મંત્રાલય).

Terms are indexed by their first word, so a sentence costs a few set lookups per word whatever
the size of the glossary; only the terms whose first word is there are tried in full.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.glossary import Glossary, Term

_GUJARATI = "\u0a80-\u0aff"
# Plural (ો after a consonant, ઓ after a vowel), then a case ending or attached postposition.
_PLURAL = "(?:ો|ઓ)"
_ENDINGS = sorted(
    [
        "ે",
        "એ",
        "ના",
        "ની",
        "નો",
        "નું",
        "નાં",
        "નુ",
        "ને",
        "થી",
        "માં",
        "મા",
        "માંથી",
        "માંના",
        "માંની",
        "માંનો",
        "માંનું",
        "નાથી",
        "એથી",
        "ોએ",
        "ઓએ",
    ],
    key=len,
    reverse=True,
)
SUFFIX = f"(?:{_PLURAL}?(?:{'|'.join(_ENDINGS)})?)"
_SUFFIXES = {p + e for p in ("", "ો", "ઓ") for e in ("", *_ENDINGS)} - {""}
_LONGEST_SUFFIX = max(map(len, _SUFFIXES))
_WORD = re.compile(rf"[{_GUJARATI}\w]+")


@dataclass(frozen=True)
class TermMatch:
    term: Term
    start: int
    stem_end: int  # where the term as written in the glossary ends ...
    end: int  # ... and where its inflection does


@lru_cache(maxsize=4096)
def _pattern(source: str) -> re.Pattern:
    stem = r"\s+".join(re.escape(w) for w in source.split())
    return re.compile(rf"(?<![{_GUJARATI}\w])(?P<stem>{stem}){SUFFIX}(?![{_GUJARATI}\w])")


_indexes: dict[int, tuple[Glossary, dict[str, list[Term]]]] = {}


def _by_first_word(glossary: Glossary) -> dict[str, list[Term]]:
    cached = _indexes.get(id(glossary))
    if cached is None or cached[0] is not glossary:
        index: dict[str, list[Term]] = {}
        for term in glossary.terms:  # keyed as _candidates splits the text: at the first non-word
            words = _WORD.findall(term.source)
            index.setdefault(words[0] if words else "", []).append(term)
        cached = _indexes[id(glossary)] = (glossary, index)
    return cached[1]


def _candidates(text: str, glossary: Glossary) -> list[Term]:
    """Terms whose first word is a word of `text`, bare or (a one-word term) with an ending."""
    index = _by_first_word(glossary)
    found: dict[str, Term] = {term.source: term for term in index.get("", ())}  # terms of no letters
    for word in _WORD.findall(text):
        for cut in range(0, min(_LONGEST_SUFFIX, len(word) - 1) + 1):
            if cut and word[-cut:] not in _SUFFIXES:
                continue
            for term in index.get(word[: len(word) - cut], ()):
                found.setdefault(term.source, term)
    return list(found.values())


def find_terms(text: str, glossary: Glossary | None) -> list[TermMatch]:
    """Non-overlapping matches in `text`, left to right; longer terms first where they overlap."""
    if glossary is None or not text:
        return []
    text = unicodedata.normalize("NFC", text)
    found = []
    for term in _candidates(text, glossary):
        for m in _pattern(term.source).finditer(text):
            found.append(TermMatch(term, m.start(), m.end("stem"), m.end()))
    found.sort(key=lambda m: (-(m.stem_end - m.start), m.start))
    taken: list[TermMatch] = []
    for match in found:
        if all(match.end <= t.start or match.start >= t.end for t in taken):
            taken.append(match)
    return sorted(taken, key=lambda m: m.start)
