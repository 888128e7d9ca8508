"""What a QA check may need beyond the (source, translation) pair. A module of its own, so the
checks and the terminology check both read it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.glossary import Glossary


@dataclass(frozen=True)
class CheckContext:
    """The target locale and the glossary; `run` and `pipeline check` both pass it."""

    locale: str | None = None
    glossary: Glossary | None = None
