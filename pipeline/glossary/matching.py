"""Finding glossary terms in Gujarati text, inflected.

Gujarati attaches case endings and postpositions to the noun: મંત્રાલય, મંત્રાલયે, મંત્રાલયની,
મંત્રાલયમાં, મંત્રાલયોમાંથી. A term matches when all its words are there in order and its last word
carries nothing or one of these endings; never inside another word (ઉપમંત્રાલય, મંત્રાલયવાળું).
Where terms overlap, the longer one wins (જાહેર સુરક્ષા મંત્રાલય over મંત્રાલય).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.glossary import Glossary, Term

_GUJARATI = "\u0A80-\u0AFF"
# Plural (ો after a consonant, ઓ after a vowel), then a case ending or attached postposition.
_PLURAL = "(?:ો|ઓ)"
_ENDINGS = sorted(["ે", "એ", "ના", "ની", "નો", "નું", "નાં", "નુ", "ને", "થી", "માં", "મા", "માંથી", "માંના",
                   "માંની", "માંનો", "માંનું", "નાથી", "એથી", "ોએ", "ઓએ"], key=len, reverse=True)
SUFFIX = f"(?:{_PLURAL}?(?:{'|'.join(_ENDINGS)})?)"


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


def find_terms(text: str, glossary: Glossary | None) -> list[TermMatch]:
    """Non-overlapping matches in `text`, left to right; longer terms first where they overlap."""
    if glossary is None or not text:
        return []
    text = unicodedata.normalize("NFC", text)
    found = []
    for term in glossary.terms:
        if term.source.split()[0] not in text:  # cheap filter before the regular expression
            continue
        for m in _pattern(term.source).finditer(text):
            found.append(TermMatch(term, m.start(), m.end("stem"), m.end()))
    found.sort(key=lambda m: (-(m.stem_end - m.start), m.start))
    taken: list[TermMatch] = []
    for match in found:
        if all(match.end <= t.start or match.start >= t.end for t in taken):
            taken.append(match)
    return sorted(taken, key=lambda m: m.start)
