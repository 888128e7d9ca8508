"""QA checks on one (Gujarati source, translation) pair; each check is a small pure function.

Findings are written into the catalogue entry (extracted comment) so reviewers see them in
their editor, and counted in the run summary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .model import Finding
from .numbers import find_source_numbers, find_target_numbers

_GUJARATI = re.compile(r"[\u0A80-\u0AFF]")


def _fmt(value) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def check_numbers(source: str, translation: str) -> list[Finding]:
    """Every source number appears in the translation with the same value, and none from nowhere."""
    wanted = Counter(n.value for n in find_source_numbers(source))
    got = Counter(n.value for n in find_target_numbers(translation))
    findings = []
    missing = wanted - got
    extra = got - wanted
    if missing:
        listed = ", ".join(_fmt(v) for v in sorted(missing.elements()))
        findings.append(Finding("numbers", f"number missing or changed in translation: {listed}"))
    if extra:
        listed = ", ".join(_fmt(v) for v in sorted(extra.elements()))
        findings.append(Finding("numbers", f"number in translation but not in source: {listed}"))
    return findings


def check_untranslated(source: str, translation: str) -> list[Finding]:
    if _GUJARATI.search(translation):
        return [Finding("untranslated", "Gujarati script left in the translation")]
    return []


def check_empty(source: str, translation: str) -> list[Finding]:
    if source.strip() and not translation.strip():
        return [Finding("empty", "translation is only whitespace")]
    return []


def check_repetition(source: str, translation: str) -> list[Finding]:
    """Hallucination guard: output far longer than the input, or a phrase repeated over and over."""
    findings = []
    if len(translation) > 3 * max(len(source), 20):
        findings.append(Finding("repetition", "translation is more than 3 times longer than the source"))
    words = translation.split() if " " in translation else list(translation)
    grams = Counter(tuple(words[i : i + 3]) for i in range(len(words) - 2))
    if grams and grams.most_common(1)[0][1] >= 4:
        findings.append(Finding("repetition", "the same phrase repeats 4 or more times"))
    return findings


CHECKS: dict[str, Callable[[str, str], list[Finding]]] = {
    "numbers": check_numbers,
    "untranslated": check_untranslated,
    "empty": check_empty,
    "repetition": check_repetition,
}


def run_checks(source: str, translation: str) -> tuple[Finding, ...]:
    if not translation:
        return ()  # untranslated entries are counted as such, not as findings
    return tuple(f for check in CHECKS.values() for f in check(source, translation))
