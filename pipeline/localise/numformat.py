"""Numbers rendered for the model and for the target locale, with Babel.

What the model sees: plain ASCII digits without grouping commas (models copy those best). What the
catalogue gets: the translation's numbers and dates that match a source one by value, written the
way the locale writes them. Only what the source has is touched, and years, ordinals, days, times,
phone numbers and codes never are (see `numbers.NEVER_GROUPED`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal

from pipeline.localise.dates import find_source_dates, find_target_dates, render_date
from pipeline.localise.numbers import NEVER_GROUPED, NUMBER, find_source_numbers, find_target_numbers, to_ascii_digits
from pipeline.localise.spans import mask, without_spans

_WRITTEN_AS_ONE_WORD = re.compile(r"[多余-]")


def prepare_for_model(text: str) -> str:
    """What the model sees: protected spans masked as [1], [2] ... (see `protect`), and numbers as
    plain ASCII digits without grouping commas (models copy plain digits best)."""
    masked, _ = mask(text)

    def plain(m: re.Match) -> str:
        return to_ascii_digits(m.group(0)).replace(",", "")

    return re.sub(NUMBER, plain, masked)


def render_number(value: Decimal, locale: str, style: str) -> str:
    """`value` written the way `locale` writes it; compact (30万, 3 lakh) only when it is exact."""
    if style in ("compact", "lakh") and abs(value) >= (10000 if style == "compact" else 100000):
        loc, kind = (locale, "short") if style == "compact" else ("en_IN", "long")
        for digits in (0, 1, 2):
            compact = format_compact_decimal(value, locale=loc, format_type=kind, fraction_digits=digits)
            if _compact_value(compact) == value:
                return compact
    if style == "compact":  # Chinese writes small and odd amounts without grouping: 5026, not 5,026.
        return format_decimal(value, locale=locale, group_separator=False, decimal_quantization=False)
    if style in ("indian", "lakh"):
        return format_decimal(value, locale="en_IN", decimal_quantization=False)
    return format_decimal(value, locale=locale, decimal_quantization=False)


def _compact_value(text: str) -> Decimal | None:
    numbers = find_target_numbers(text, words=False)
    return numbers[0].value if len(numbers) == 1 and numbers[0].text == text else None


def localise_numbers(translation: str, source: str, locale: str, style: str) -> str:
    """Re-render the translation's numbers and dates that match a source one by value.

    Only what the source has is touched (never invent or patch a number); years, ordinals, times
    and codes keep their digits; amounts the model wrote with scale words ("3 lakh", "1.5 million")
    are kept as written unless the style is compact. Dates are rewritten whole, in Babel's long
    form for the locale (en May 20, 2023; zh 2023年5月20日), when the source has that same date.
    """
    source_numbers = [n for n in find_source_numbers(source) if not n.soft]
    amounts = {n.value for n in source_numbers if n.kind not in NEVER_GROUPED}
    source_dates = {(d.year, d.month, d.day) for d in find_source_dates(without_spans(source))}
    edits: list[tuple[int, int, str]] = []
    masked = without_spans(translation)
    for date in find_target_dates(masked):
        if (date.year, date.month, date.day) in source_dates and date.month is not None:
            rendered = render_date(date, locale)
            if rendered:
                edits.append((date.start, date.end, rendered))
    for number in find_target_numbers(translation, words=False):
        if number.soft or number.kind in NEVER_GROUPED or number.value not in amounts:
            continue
        if any(s <= number.start < e for s, e, _ in edits):
            continue
        if number.value != number.digits_value and style not in ("compact", "lakh"):
            continue  # "3 lakh", "1.5 million": already words; keep them
        if _WRITTEN_AS_ONE_WORD.search(number.text):
            continue  # 340多万 ("3.4 million and more"), a 1.5-lakh grant: rewriting would lose a word
        edits.append((number.start, number.end, render_number(number.value, locale, style)))
    out, last = [], 0
    for start, end, text in sorted(edits):
        out += [translation[last:start], text]
        last = end
    out.append(translation[last:])
    return "".join(out)
