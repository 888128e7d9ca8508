"""The glossary's values: frozen `Term`s and the `Glossary` that holds them (read by `reading`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from pipeline.layout import parse_locale


@dataclass(frozen=True)
class Term:
    """One Gujarati term and what it is called in each target locale."""

    source: str  # Gujarati, NFC
    targets: tuple[tuple[str, str], ...]  # (locale as Babel writes it, e.g. zh_Hans; term)
    note: str = ""
    fixed: bool = False  # a name, brand or ministry: the model never sees it; the target is put back
    line: int = 0  # where the file defines it

    def target(self, locale: str) -> str | None:
        """The term for `locale`: its own column, else one of the same language (en_IN → en)."""
        wanted = _name_and_language(locale)
        same_language = None
        for name, text in self.targets:
            have = _name_and_language(name)
            if have == wanted:
                return text
            if have[1] == wanted[1] and same_language is None:
                same_language = text
        return same_language


@lru_cache(maxsize=256)
def _name_and_language(locale: str) -> tuple[str, str]:
    parsed = parse_locale(locale)
    return str(parsed), parsed.language


@dataclass(frozen=True)
class Glossary:
    path: str
    terms: tuple[Term, ...]

    @property
    def digest(self) -> str:
        """Changes whenever a term, target, note or flag does: part of the stages' cache keys."""
        rows = [(t.source, t.targets, t.note, t.fixed) for t in self.terms]
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:16]
