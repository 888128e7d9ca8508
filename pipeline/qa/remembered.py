"""QA findings remembered per (source, translation) pair, so a re-run re-checks only what changed.

Every merge re-checks each entry a person wrote against their text (see `catalog.merge`); in a
newsroom's catalogue that is tens of thousands of unchanged pairs a run. The findings of a pair
depend only on the pair, the rules and the context (target locale, glossary), so they are kept in
the work directory keyed by all of them: a lost or stale record costs the checks' time again,
never a different answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from pipeline import localise
from pipeline.cache import key as cache_key
from pipeline.model import Finding
from pipeline.qa import checks

Check = Callable[[str, str], tuple[Finding, ...]]


def rules_key(context: checks.CheckContext = checks.NO_CONTEXT) -> str:
    """What a remembered finding was computed by: the checks, the number and date readers they
    use, and the context they were given (the locale, and the glossary by its digest)."""
    glossary = context.glossary.digest if context.glossary is not None else None
    return cache_key(checks.VERSION, localise.VERSION, context.locale, glossary)


def pair_digest(source: str, translation: str) -> str:
    return hashlib.blake2b(f"{source}\0{translation}".encode(), digest_size=10).hexdigest()


class RememberedChecks:
    """`check` answered from `known` (pair digest -> [[check, message], ...]) where it can."""

    def __init__(self, check: Check, known: dict[str, list] | None = None):
        self.check = check
        self.known = known or {}
        self.used: dict[str, list] = {}
        self.computed = 0

    def __call__(self, source: str, translation: str) -> tuple[Finding, ...]:
        digest = pair_digest(source, translation)
        found = self.known.get(digest)
        if found is None:
            findings = self.check(source, translation)
            found = [[f.check, f.message] for f in findings]
            self.computed += 1
        self.used[digest] = found
        return tuple(Finding(name, message) for name, message in found)

    def record(self) -> dict[str, list]:
        """The pairs checked this run: what the next run may reuse (pairs gone are forgotten)."""
        return self.used
