"""Numbers: find them in Gujarati and in translations, know their values, render them with Babel.

Numbers are compared by value, never by spelling: 3,00,000 (Indian grouping), ૩૦૦૦૦૦, 300000,
"3 lakh", "300 thousand" and 30万 are one number. Rendering for the target locale is Babel's
job; we only decide which numbers may be regrouped (years, ordinals and codes never are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_compact_decimal, format_decimal

GUJARATI_DIGITS = "૦૧૨૩૪૫૬૭૮૯"
_TO_ASCII = str.maketrans(GUJARATI_DIGITS, "0123456789")

_D = "[0-9૦-૯]"
# A number: digits with optional Western (3-digit) or Indian (2-digit) comma grouping and decimals.
_NUMBER = rf"(?<![0-9૦-૯.,])(?:{_D}{{1,3}}(?:,{_D}{{2,3}})+|{_D}+)(?:\.{_D}+)?(?![0-9૦-૯])"

GUJARATI_SCALES = {"લાખ કરોડ": 10**12, "હજાર": 10**3, "લાખ": 10**5, "કરોડ": 10**7, "અબજ": 10**9, "અરબ": 10**9}
ENGLISH_SCALES = {
    "thousand": 10**3, "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "crore": 10**7, "crores": 10**7,
    "million": 10**6, "billion": 10**9, "trillion": 10**12,
}
CHINESE_SCALES = {"千": 10**3, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "万亿": 10**12}
GUJARATI_ORDINAL_SUFFIXES = ("મી", "લી", "જી", "થી", "ઠી", "મો", "લો", "જો", "થો", "ઠો", "મું", "લું")

_GU_SCALE_RE = "|".join(sorted(map(re.escape, GUJARATI_SCALES), key=len, reverse=True))
_GU_NUMBER = re.compile(rf"{_NUMBER}(?:\s*(?P<scale>{_GU_SCALE_RE})(?![\u0A80-\u0AFF]))?")
_EN_SCALE_RE = "|".join(sorted(ENGLISH_SCALES, key=len, reverse=True))
_ZH_SCALE_RE = "|".join(sorted(map(re.escape, CHINESE_SCALES), key=len, reverse=True))
_TARGET_NUMBER = re.compile(
    rf"{_NUMBER}(?:\s*(?P<en>{_EN_SCALE_RE})\b|(?P<zh>{_ZH_SCALE_RE}))?", re.IGNORECASE
)


@dataclass(frozen=True)
class Number:
    """One number as written: where, its digits' value, and the full value with any scale word."""

    start: int
    end: int
    text: str
    digits_value: Decimal
    value: Decimal
    kind: str  # "amount" | "year" | "ordinal" | "code"
    grouped: bool = False


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def parse_digits(text: str) -> Decimal | None:
    try:
        return Decimal(to_ascii_digits(text).replace(",", ""))
    except InvalidOperation:
        return None


def _kind(raw: str, value: Decimal, scaled: bool, after: str) -> str:
    digits = to_ascii_digits(raw)
    if after.startswith(GUJARATI_ORDINAL_SUFFIXES) or re.match(r"(st|nd|rd|th)\b", after):
        return "ordinal"
    if scaled or "," in digits or "." in digits:
        return "amount"
    if len(digits) > 1 and digits.startswith("0") or (len(digits) >= 10 and not digits.endswith("000")):
        return "code"  # phone numbers, IDs: never regrouped (round amounts still are)
    if len(digits) == 4 and 1000 <= value <= 2100:
        return "year"
    return "amount"


def find_source_numbers(text: str) -> list[Number]:
    """Numbers in Gujarati text, with scale words (3 લાખ = 300000) folded into the value."""
    found = []
    for m in _GU_NUMBER.finditer(text):
        raw = m.group(0)[: len(m.group(0)) - len(m.group("scale") or "")].rstrip()
        digits_value = parse_digits(raw)
        if digits_value is None:
            continue
        scale = GUJARATI_SCALES.get(m.group("scale") or "", 1)
        after = text[m.end() :]
        found.append(
            Number(m.start(), m.end(), m.group(0), digits_value, digits_value * scale,
                   _kind(raw, digits_value, scale != 1, after), "," in raw)
        )
    return found


def find_target_numbers(text: str) -> list[Number]:
    """Numbers in an English or Chinese translation: digits plus scale words (lakh, million, 万, 亿)."""
    found = []
    for m in _TARGET_NUMBER.finditer(text):
        scale_word = m.group("en") or m.group("zh") or ""
        raw = m.group(0)[: len(m.group(0)) - len(scale_word)].rstrip()
        digits_value = parse_digits(raw)
        if digits_value is None:
            continue
        scale = ENGLISH_SCALES.get(scale_word.lower()) or CHINESE_SCALES.get(scale_word, 1)
        found.append(
            Number(m.start(), m.end(), m.group(0), digits_value, digits_value * scale,
                   _kind(raw, digits_value, scale != 1, text[m.end():]), "," in raw)
        )
    return found


def prepare_for_model(text: str) -> str:
    """What the model sees: ASCII digits, no grouping commas (models copy plain digits best)."""
    def plain(m: re.Match) -> str:
        return to_ascii_digits(m.group(0)).replace(",", "")

    return re.sub(_NUMBER, plain, text)


def render_number(value: Decimal, locale: str, style: str) -> str:
    """`value` written the way `locale` writes it; compact (30万) only when it is exact."""
    if style == "compact":
        if abs(value) >= 10000:
            for digits in (0, 1, 2):
                compact = format_compact_decimal(value, locale=locale, fraction_digits=digits)
                if _compact_value(compact) == value:
                    return compact
        # Chinese writes small and odd amounts without grouping: 5026, not 5,026.
        return format_decimal(value, locale=locale, group_separator=False, decimal_quantization=False)
    if style == "indian":
        return format_decimal(value, locale="en_IN", decimal_quantization=False)
    return format_decimal(value, locale=locale, decimal_quantization=False)


def _compact_value(text: str) -> Decimal | None:
    numbers = find_target_numbers(text)
    return numbers[0].value if len(numbers) == 1 and numbers[0].text == text else None


def localise_numbers(translation: str, source: str, locale: str, style: str) -> str:
    """Re-render the translation's digit numbers that match a source number by value.

    Only numbers whose value the source has are touched (never invent or patch a number); years,
    ordinals and codes keep their digits; numbers spelt with scale words are left as the model
    wrote them (the numbers check still compares their values).
    """
    by_value = {n.value: n for n in find_source_numbers(source)}
    out, last = [], 0
    for number in find_target_numbers(translation):
        source_number = by_value.get(number.value)
        if source_number is None or source_number.kind != "amount" or number.kind != "amount":
            continue
        if number.value != number.digits_value and style != "compact":
            continue  # "3 lakh", "1.5 million": already words; keep them
        out.append(translation[last : number.start])
        out.append(render_number(number.value, locale, style))
        last = number.end
    out.append(translation[last:])
    return "".join(out)
