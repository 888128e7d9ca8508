"""QA checks on one (Gujarati source, translation) pair; each check is a small pure function of
the pair and a `CheckContext` (the target locale and the glossary, for the checks that need them).

Findings are written into the catalogue entry (extracted comment) so reviewers see them in
their editor, and counted in the run summary. `run_checks` is the one registry: `run` checks each
machine translation (and each approved entry's reviewed text) with it, `pipeline check` any
catalogue. Sources may hold inline markup placeholders (`<1>…</1>`): the `markup` check compares
them, every other check reads the text without them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.localise.loops import find_loop
from pipeline.localise.markup import check_markup, strip_placeholders
from pipeline.localise.numbers import find_source_numbers, find_target_numbers
from pipeline.localise.spans import compare_spans, without_spans
from pipeline.model import Finding
from pipeline.qa.context import CheckContext
from pipeline.qa.terminology import check_terminology

VERSION = "2"  # bump when a check's rules change: findings remembered from earlier runs are recomputed

NO_CONTEXT = CheckContext()

_GUJARATI = re.compile(r"[\u0A80-\u0AFF]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _fmt(value) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


@dataclass(frozen=True)
class NumberComparison:
    """The numbers of a pair as the `numbers` check weighs them (`evaluate` counts with it too)."""

    wanted: Counter  # source numbers the translation must hold (digits; a number in words may be left out)
    missing: Counter  # of those, the ones not found with the same value
    extra: Counter  # numbers in the translation that no source number explains


def compare_numbers(source: str, translation: str) -> NumberComparison:
    """Numbers either side may be spelt as words (five, 五, પાંચ): such a number can stand for one
    written in digits on the other side, but is never required nor counted as invented. A number
    inside a code (J6, H5N1, COVID-19) is checked both ways against any number on the other side,
    once that side writes numbers in digits at all: a translation may name 新冠 for COVID-19, but
    one that keeps the digits of a sentence keeps a code's too. A share (5માંથી 1) is found as its
    percentage (20%, one in five) or as its two numbers.
    """
    src, tgt = find_source_numbers(source), find_target_numbers(translation)
    codes_in_source = _codes_held(src, tgt)
    wanted = Counter(n.key for n in src if not n.soft) + Counter(codes_in_source - {n.key for n in src if not n.soft})
    excused = Counter(n.key for n in src)
    written = Counter(n.key for n in tgt if not n.soft) + Counter(_codes_held(tgt, src))
    found = Counter(n.key for n in tgt)
    missing = wanted - found
    missing += Counter(n.key for n in src if n.parts and n.key not in found and not all(p in found for p in n.parts))
    extra = Counter(set(written) - set(excused))  # a number repeated is not a number invented
    return NumberComparison(wanted, missing, extra)


def check_numbers(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """Every source number appears in the translation with the same value, and none from nowhere."""
    compared = compare_numbers(source, translation)
    missing, extra = compared.missing, compared.extra
    findings = []
    if missing:
        findings.append(Finding("numbers", f"number missing or changed in translation: {_listed(missing)}"))
    if extra:
        findings.append(Finding("numbers", f"number in translation but not in source: {_listed(extra)}"))
    return findings


def _codes_held(side: list, other: list) -> set:
    """The code numbers of `side` that must be found on the other side: all of them, once the other
    side writes any number in digits."""
    if not any(n.start >= 0 and not n.spelt for n in other):
        return set()
    return {n.key for n in side if n.named}


def _listed(keys: Counter) -> str:
    def show(key) -> str:
        return f"month {_fmt(key[1])}" if isinstance(key, tuple) else _fmt(key)

    return ", ".join(show(k) for k in sorted(keys.elements(), key=lambda k: (isinstance(k, tuple), str(k))))


def check_placeholders(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """URLs, e-mail addresses, markup, format placeholders and citation marks, exactly as in the source."""
    missing, added = compare_spans(source, translation)
    findings = []
    if missing:
        findings.append(Finding("placeholders", "missing or altered in translation: " + " ".join(missing)))
    if added:
        findings.append(Finding("placeholders", "in translation but not in source: " + " ".join(added)))
    return findings


def check_untranslated(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    if _GUJARATI.search(without_spans(translation)):
        return [Finding("untranslated", "Gujarati script left in the translation")]
    return []


def check_empty(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    if source.strip() and not translation.strip():
        return [Finding("empty", "translation is only whitespace")]
    return []


def check_repetition(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """Hallucination guard: output far longer or far shorter than the input, or a phrase on a loop."""
    findings = []
    zh = bool(_HAN.search(translation))
    if len(translation) > (1.5 if zh else 3) * max(len(source), 20):
        findings.append(Finding("repetition", "translation is far longer than the source (length ratio)"))
    elif len(source) >= 40 and len(translation) < (0.12 if zh else 0.3) * len(source):
        findings.append(Finding("repetition", "translation is far shorter than the source (length ratio)"))
    words, size = (list(translation), 6) if zh else (translation.split(), 3)
    grams = Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    if grams and grams.most_common(1)[0][1] >= 4:
        findings.append(Finding("repetition", "the same phrase repeats 4 or more times"))
    return findings


_CLOSERS = "\"'”’»)]）」』》 \t"
_END_MARKS = {
    "।": "full stop",
    ".": "full stop",
    "॥": "full stop",
    "?": "question",
    "!": "exclamation",
    "。": "full stop",
    "？": "question",
    "！": "exclamation",
    "…": "ellipsis",
}


def check_punctuation(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """A sentence that ends with ।, ? or ! in Gujarati ends the same way in the target script:
    . ? ! in English, 。？！ in Chinese."""
    src_end = source.rstrip(_CLOSERS)[-1:]
    tgt_end = translation.rstrip(_CLOSERS)[-1:]
    if src_end not in _END_MARKS:
        return []
    want = _END_MARKS[src_end]
    zh = bool(_HAN.search(translation))
    if tgt_end not in _END_MARKS:
        return [Finding("punctuation", f"source ends with {src_end!r} ({want}); the translation has no end mark")]
    if _END_MARKS[tgt_end] != want and not (want == "full stop" and tgt_end == "…"):
        return [Finding("punctuation", f"source ends with {src_end!r} ({want}); translation ends with {tgt_end!r}")]
    if tgt_end == "।" or (zh and tgt_end in ".?!") or (not zh and tgt_end in "。？！"):
        return [Finding("punctuation", f"sentence-final {tgt_end!r} is not the target language's own")]
    return []


def check_loop(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """A phrase repeated back to back where the source does not repeat itself (a model stuck)."""
    loop = find_loop(translation)
    if loop is None or find_loop(source) is not None:
        return []
    return [Finding("loop", f"{loop.unit!r} repeats {loop.repeats} times in a row")]


def check_inline_markup(source: str, translation: str, context: CheckContext = NO_CONTEXT) -> list[Finding]:
    """The source's inline-markup placeholders, each once and properly nested (see localise.markup)."""
    return check_markup(source, translation)


CHECKS: dict[str, Callable[[str, str, CheckContext], list[Finding]]] = {
    "numbers": check_numbers,
    "placeholders": check_placeholders,
    "untranslated": check_untranslated,
    "empty": check_empty,
    "repetition": check_repetition,
    "punctuation": check_punctuation,
    "loop": check_loop,
    "markup": check_inline_markup,
    "terminology": check_terminology,
}
_ON_MARKUP = {"markup"}  # checks that read the placeholders; the rest read the text without them


def run_checks(
    source: str, translation: str, only: tuple[str, ...] | None = None, context: CheckContext = NO_CONTEXT
) -> tuple[Finding, ...]:
    if not translation:
        return ()  # untranslated entries are counted as such, not as findings
    names = list(only or CHECKS)
    if not translation.strip():
        names = ["empty"]
    plain = (strip_placeholders(source), strip_placeholders(translation))
    return tuple(
        f for name in names for f in CHECKS[name](*((source, translation) if name in _ON_MARKUP else plain), context)
    )
