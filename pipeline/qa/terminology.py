"""The `terminology` check: a glossary term in the source asks for its target term in the
translation. The finding names the expected term, so the reviewer sees it in their editor."""

from __future__ import annotations

import unicodedata

from pipeline.glossary.matching import find_terms
from pipeline.model import Finding
from pipeline.qa.context import CheckContext


def has_term(translation: str, target: str) -> bool:
    """`target` appears in `translation`, ignoring case and spacing (Ministry / ministry)."""

    def fold(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    return fold(target) in fold(translation)


def check_terminology(source: str, translation: str, context: CheckContext) -> list[Finding]:
    if context.glossary is None or context.locale is None:
        return []
    findings, seen = [], set()
    for match in find_terms(source, context.glossary):
        term = match.term
        target = term.target(context.locale)
        if not target or term.source in seen or has_term(translation, target):
            continue
        seen.add(term.source)
        note = f" ({term.note})" if term.note else ""
        findings.append(
            Finding(
                "terminology",
                f"glossary term {term.source} is {target!r} in {context.locale}{note}; not in the translation",
            )
        )
    return findings
