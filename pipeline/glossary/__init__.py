"""Glossaries: the organisation's names for things, per target locale.

A glossary is read once (CSV or TBX, see `reading`) into frozen `Term`s. Matching in Gujarati
text understands inflection (`matching`); the translate and localise stages protect `fixed`
terms (`pipeline.localise.terms`) and the `terminology` QA check asks for the target term.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.glossary.reading import read_csv, read_tbx, read_text
from pipeline.glossary.terms import Glossary, Term


def load_glossary(path: str | Path) -> Glossary:
    """The glossary at `path`: TBX when it is XML (.tbx, .xml, or starts with `<`), else CSV."""
    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() in (".tbx", ".xml") or text.lstrip().startswith("<"):
        return Glossary(str(path), read_tbx(path, text))
    return Glossary(str(path), read_csv(path, text))


__all__ = ["Glossary", "Term", "load_glossary"]
