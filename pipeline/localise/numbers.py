"""Numbers: find them in Gujarati and in translations, and know their values.

Numbers are compared by value, never by spelling: 3,00,000 (Indian grouping), ૩૦૦૦૦૦, 300000,
"3 lakh", "300 thousand", "three hundred thousand" and 30万 are one number; so are ૩ લાખ ૨૦ હજાર
કરોડ, 3,20,000 crore and 3.2万亿, and સાડા 3 લાખ and 350,000. A split year (2019-20) is two years,
not a range. Dates count by their parts and times by hour, minute and second (see `dates`); a share
(5માંથી 1, one in five) counts also as its percentage, a decade (80ના દાયકામાં, 上世纪八十年代) also
as its years. Digits inside URLs and placeholders are not numbers (see `spans`). Rendering numbers
for the model and the locale is `numformat`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipeline.localise.dates import (
    DateMatch,
    find_source_dates,
    find_source_times,
    find_target_dates,
    find_target_times,
)
from pipeline.localise.numwords import (
    BORROWED_SCALES,
    CLOCK_WORDS,
    FRACTION_WORDS,
    gujarati_word_values,
    words_to_digits,
)
from pipeline.localise.spans import without_spans

GUJARATI_DIGITS = "૦૧૨૩૪૫૬૭૮૯"
FULL_WIDTH_DIGITS = "０１２３４５６７８９"  # Chinese text sometimes writes ２０２３年
_TO_ASCII = str.maketrans(GUJARATI_DIGITS + FULL_WIDTH_DIGITS, "0123456789" * 2)

_D = "[0-9૦-૯０-９]"
# A number: digits with optional Western (3-digit) or Indian (2-digit) comma grouping and decimals.
# A comma or stop glued to a word does not hide a number after it (રમેશ,24, / Delhi,300 / No.1);
# one after a digit does (the 000 of 3,000, the 5 of 1.5).
NUMBER = rf"(?<!{_D})(?<!{_D}[.,])(?:{_D}{{1,3}}(?:,{_D}{{2,3}})+(?!{_D})|{_D}+)(?:\.{_D}+)?(?!{_D})"

# Scale words in a row multiply when each is larger: લાખ કરોડ = 10^12, હજાર કરોડ = 10^10, 千万 = 10^7.
GUJARATI_SCALES = {
    "હજાર": 10**3,
    "લાખ": 10**5,
    "કરોડ": 10**7,
    "અબજ": 10**9,
    "અરબ": 10**9,
    **BORROWED_SCALES,
}
ENGLISH_SCALES = {
    "thousand": 10**3,
    "lakh": 10**5,
    "lakhs": 10**5,
    "lac": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "bn": 10**9,
    "mn": 10**6,
    "m": 10**6,
    "cr": 10**7,
    "lacs": 10**5,
    "k": 10**3,
    "decades": 10,
    "decade": 10,
}
CURRENCY_ONLY_SCALES = {"m", "k"}  # £40m is 40 million, $5k 5,000; 40m is 40 metres, a 5k run 5 km
CHINESE_SCALES = {"百": 100, "千": 10**3, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
# 20મી, 1લી, 3જી, 6ઠ્ઠી, 5મો ...; થી is an ordinal only after 4 (4થી, "fourth"): 80થી is "than 80".
_GU_ORDINAL = re.compile(r"મી|લી|જી|ઠી|ઠ્ઠી|મો|લો|જો|ઠો|ઠ્ઠો|મું|લું|મા(?!ં)")
NEVER_GROUPED = ("year", "ordinal", "code", "day", "month", "time")


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# સો ("hundred") after digits (1-સો ટકા, 5 સો) only as a word of its own: સોમવાર is Monday, સોનું gold.
_GU_SCALE_RE = _alternation(GUJARATI_SCALES) + r"|સો(?![\u0A80-\u0AFF])"
_GU_SCALE_WORD = re.compile(_GU_SCALE_RE)
_GU_NUMBER = re.compile(rf"(?P<num>{NUMBER})(?:(?:\s*|-)(?P<scale>(?:{_GU_SCALE_RE})(?:\s*(?:{_GU_SCALE_RE}))*))?")
_EN_SCALE_RE = rf"(?:{_alternation(ENGLISH_SCALES)})\b"
_ZH_SCALE_RE = _alternation(CHINESE_SCALES)
# 千 before 米/克/瓦 is a unit prefix (千米 = km), not "thousand"; 340多万 and 340余万 are "3.4 million
# and more".
_TARGET_NUMBER = re.compile(
    rf"(?P<num>{NUMBER})(?:(?:\s*|-)(?P<en>{_EN_SCALE_RE}(?:\s+{_EN_SCALE_RE})*)"  # 1.5-lakh, 4,500-crore
    rf"|\s*[多余]?\s*(?P<zh>(?:{_ZH_SCALE_RE})+)(?![米克瓦卡焦帕赫]))?",
    re.IGNORECASE,
)
_TARGET_SCALE_WORD = re.compile(rf"{_alternation(ENGLISH_SCALES)}\b|{_ZH_SCALE_RE}", re.IGNORECASE)
# 2019-20: a fiscal or season year, not a range 2019 to 20 (nor 20 sharing a later scale word).
_SPLIT_YEAR = re.compile(rf"(?<!{_D})(?<![.,])(?P<first>{_D}{{4}})\s?[-–/]\s?(?P<second>{_D}{{2}})(?!{_D})")
_FRACTION_BEFORE = re.compile(r"(?P<word>" + "|".join(FRACTION_WORDS) + r")\s*$")
_CLOCK_AFTER = re.compile(r"\s*(?:" + "|".join(CLOCK_WORDS) + ")")
# A decade: 80ના દાયકામાં, 1980ના દશકમાં; the 80s, the '80s; 80年代.
_GU_DECADE_AFTER = re.compile(r"\s*-?\s*(?:ના|ની|નાં)?\s*(?:દાયક|દશક|દસક)")
_TARGET_DECADE_AFTER = re.compile(r"\s*年代|[’']?s\b")
_PERCENT_AFTER = re.compile(r"\s*(?:%|％|ટકા|per\s?cent|percent)")
_CURRENCY_BEFORE = re.compile(r"(?:₹|રૂ\.?|Rs\.?|INR|\$|€|£|¥)\s*$")
# A number after a Latin letter (J6, H5N1, Il-76, A1GP) or a Gujarati word and a hyphen (કોવિડ-19,
# ચંદ્રયાન-3) is part of a name; not one that measures on (6-ફૂટ-6 is six feet six), nor the
# power of a unit (km2, mm3, કિમી2: "square kilometres" and km² carry no 2).
_NAMED = re.compile(r"(?:[A-Za-z]-?|(?<![\u0A80-\u0AFF0-9૦-૯])(?<![0-9૦-૯]-)[\u0A80-\u0AFF]+-)$")
_UNIT_POWER = re.compile(r"(?:(?<![A-Za-z])(?:[kcmµ]?m|ft|mi|in)|મી|એમએમ)$")  # km2, mm3, કિમી2, એમએમ2
_RANGE = re.compile(r"\s*(?:થી|-|–|—|to|or|કે|અથવા|到|至|~)\s*")
# 20 世纪 70 年代, 上世纪 70 年代 ("last century's"), 本世纪 ("this century's"): a decade of a century.
_ZH_DECADE = re.compile(r"(?:(?<!\d)(?P<century>\d{1,2})\s*|(?P<last>上个?)|本)世纪\s*(?P<decade>\d)0\s*年代")
# "one in five", "3 out of 10": a share, which the other side may give as a percentage (20 ટકા,
# 五分之一) or as its two numbers (પાંચમાંથી એક).
_TARGET_SHARE = re.compile(r"(?<![\d.,])(?P<part>\d+)\s+(?:in|out\s+of|of\s+every)\s+(?P<whole>\d+)(?![\d.,])", re.I)
_SOURCE_SHARE = re.compile(
    rf"(?P<whole>{NUMBER})(?:\s*|\s+[\u0A80-\u0AFF]+)(?:માંથી|\s+પૈકી)\s+"
    rf"(?:[\u0A80-\u0AFF]+\s+)?(?P<part>{NUMBER})(?![.,]?{_D})"
)
_CURRENCY_AFTER = re.compile(r"\s*(?:રૂપિયા|રૂ\.|rupees?|卢比|元|美元|欧元|dollars?|euros?)")


@dataclass(frozen=True)
class Number:
    """One number as written: where, its digits' value, and the full value with any scale word.

    `soft` numbers are written as words (five, 五, પાંચ): they may stand for a source number, but
    are never required in a translation nor counted as invented. `named` ones are part of a name
    or code (COVID-19, J6, H5N1): soft too, but the numbers check holds them to the other side
    (see `qa.checks.check_numbers`).
    """

    start: int
    end: int
    text: str
    digits_value: Decimal
    value: Decimal
    kind: str  # amount | percent | currency | year | ordinal | code | day | month | time | share
    grouped: bool = False
    soft: bool = False
    spelt: bool = False  # written as words: a translation may spell it too, or use digits
    named: bool = False  # inside a name or code: J6, H5N1, કોવિડ-19
    parts: tuple[Decimal, ...] = ()  # a share's (whole, part): 20 (percent) of "1 in 5" is (5, 1)

    @property
    def key(self):
        """What the numbers check compares: the value, except that a month only matches a month."""
        return ("month", self.value) if self.kind == "month" else self.value


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def parse_digits(text: str) -> Decimal | None:
    try:
        return Decimal(to_ascii_digits(text).replace(",", ""))
    except InvalidOperation:
        return None


def _kind(raw: str, value: Decimal, scaled: bool, before: str, after: str) -> str:
    digits = to_ascii_digits(raw)
    fourth = digits.endswith("4") and re.match("થ[ીો]", after)  # 4થી; but 34 લાખથી is "than 34 lakh"
    suffix = not scaled and (_GU_ORDINAL.match(after) or fourth or re.match(r"(?i:st|nd|rd|th)\b", after))
    if suffix or before.endswith("第"):
        return "ordinal"
    if _PERCENT_AFTER.match(after):
        return "percent"
    if _CURRENCY_BEFORE.search(before[-5:]) or _CURRENCY_AFTER.match(after):
        return "currency"
    if scaled or "," in digits or "." in digits:
        return "amount"
    if len(digits) > 1 and digits.startswith("0") or (len(digits) >= 10 and not digits.endswith("000")):
        return "code"  # phone numbers, IDs: never regrouped (round amounts still are)
    if len(digits) == 4 and 1000 <= value <= 2100:
        return "year"
    return "amount"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _date_parts(date: DateMatch, text: str) -> list[Number]:
    span = text[date.start : date.end]
    parts = [("day", date.day), ("month", date.month), ("year", date.year)]
    return [Number(date.start, date.end, span, Decimal(v), Decimal(v), kind) for kind, v in parts if v is not None]


def _time_parts(time, text: str) -> list[Number]:
    span = text[time.start : time.end]
    parts = [time.hour] + ([time.minute] if time.minute else []) + ([time.second] if time.second else [])
    return [Number(time.start, time.end, span, Decimal(v), Decimal(v), "time") for v in parts]


def _scale(words: list[int]) -> int:
    """Scale words in a row multiply while each is larger than the one before (લાખ કરોડ, 千万)."""
    total, last = 1, 0
    for value in words:
        if value <= last:
            break
        total, last = total * value, value
    return total


def _split_years(text: str) -> list[Number]:
    """2019-20, ૨૦૧૯-૨૦: both years, when the second is the year after the first."""
    found = []
    for m in _SPLIT_YEAR.finditer(text):
        first, second = int(to_ascii_digits(m.group("first"))), int(to_ascii_digits(m.group("second")))
        if 1000 <= first <= 2100 and second == (first + 1) % 100:
            span = m.group(0)
            found += [
                Number(m.start(), m.end(), span, Decimal(first), Decimal(first), "year"),
                Number(m.start(), m.end(), span, Decimal(second), Decimal(first + 1), "year"),
            ]
    return found


def _scan(text: str, dates, times, pattern, scale_words) -> tuple[list[Number], list[tuple[int, int]]]:
    """Dates, then split years and times, then plain numbers; each claims its stretch of text from the next."""
    found, taken = [], []
    for date in dates(text):
        found += _date_parts(date, text)
        taken.append((date.start, date.end))
        text = _blank(text, date.start, date.end)
    for year in _split_years(text):
        found.append(year)
        taken.append((year.start, year.end))
        text = _blank(text, year.start, year.end)
    for time in times(text):
        found += _time_parts(time, text)
        taken.append((time.start, time.end))
        text = _blank(text, time.start, time.end)
    for m in pattern.finditer(text):
        raw = m.group("num")
        digits_value = parse_digits(raw)
        if digits_value is None:
            continue
        words = scale_words(next((w for k, w in m.groupdict().items() if k != "num" and w), ""))
        end = m.end()
        if (
            words
            and words[0][0].lower() in CURRENCY_ONLY_SCALES
            and not _CURRENCY_BEFORE.search(text[: m.start()][-5:])
        ):
            words, end = [], m.end("num")  # 40m: metres, not millions
        scale = _scale([value for _, value in words])
        kind = _kind(raw, digits_value, scale != 1, text[: m.start()], text[end:])
        # part of a name (COVID-19, Il-76, 4x4, A1GP): models keep or drop these freely
        before = text[max(0, m.start() - 24) : m.start()]
        power = raw in ("2", "3") and bool(_UNIT_POWER.search(before))
        named = not power and bool(_NAMED.search(before))
        found.append(
            Number(
                m.start(),
                end,
                text[m.start() : end],
                digits_value,
                digits_value * scale,
                "code" if named or power else kind,
                "," in raw,
                named or power,
                named=named,
            )
        )
        taken.append((m.start(), end))
    return sorted(found, key=lambda n: n.start), taken


def _gujarati_scale_words(words: str) -> list[tuple[str, int]]:
    return [(w, GUJARATI_SCALES.get(w, 100)) for w in _GU_SCALE_WORD.findall(words)]


def _target_scale_words(words: str) -> list[tuple[str, int]]:
    return [(w, ENGLISH_SCALES.get(w.lower()) or CHINESE_SCALES[w]) for w in _TARGET_SCALE_WORD.findall(words)]


def _share_scales(numbers: list[Number], text: str) -> list[Number]:
    """In a range the scale word is written once: 2 થી 3 મિલિયન, 2-3 million = 2 million to 3 million.
    Only a small first number takes it: 1,000 — 1 લાખ is a thousand to a lakh (and a bare 1000 would
    read as a year once the model's input drops the grouping comma)."""
    out = list(numbers)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.value == a.digits_value
            and b.value != b.digits_value
            and a.kind == b.kind == "amount"
            and a.value < 1000
            and a.end <= b.start
            and _RANGE.fullmatch(text[a.end : b.start])
        ):
            out[i] = Number(a.start, a.end, a.text, a.digits_value, a.value * b.value / b.digits_value, "amount")
    return out


def _merge_compounds(numbers: list[Number], text: str) -> list[Number]:
    """ "2 લાખ 50 હજાર" is one number, 250000: a scaled number followed by a smaller-scaled one;
    a scale word after the last part counts the whole (૩ લાખ ૨૦ હજાર કરોડ = 3,20,000 crore)."""
    out: list[Number] = []
    leads: list[int | None] = []  # the first scale word of each number's last part; None: closed
    for n in numbers:
        steps = [v for _, v in _gujarati_scale_words(text[n.start : n.end])] if n.start >= 0 else []
        prev = out[-1] if out else None
        if (
            prev
            and leads[-1]
            and steps
            and steps[0] < leads[-1]
            and {prev.kind, n.kind} <= _AMOUNTS
            and not text[prev.end : n.start].strip()
        ):
            counted_in = _scale(steps) // steps[0]  # the કરોડ of "20 હજાર કરોડ"
            value = (prev.value + n.digits_value * steps[0]) * counted_in
            kind = "currency" if "currency" in (prev.kind, n.kind) else "amount"
            out[-1] = Number(prev.start, n.end, text[prev.start : n.end], prev.digits_value, value, kind)
            leads[-1] = steps[0] if counted_in == 1 else None
        else:
            out.append(n)
            leads.append(steps[0] if steps and n.kind in _AMOUNTS else None)
    return out


_AMOUNTS = {"amount", "currency"}


def _with_fraction_words(numbers: list[Number], text: str) -> list[Number]:
    """સાડા 3 લાખ = 3.5 lakh, પોણા 7 = 6.75, and before વાગ્યે a time: સાડા 3 વાગ્યે = 3:30."""
    out = []
    for n in numbers:
        before = _FRACTION_BEFORE.search(text, 0, n.start) if n.kind in _AMOUNTS and n.start > 0 else None
        if before is None or n.digits_value == 0:
            out.append(n)
            continue
        digits = n.digits_value + FRACTION_WORDS[before.group("word")]
        if n.value == n.digits_value and _CLOCK_AFTER.match(text, n.end):
            hour, minutes = divmod(digits * 60, 60)
            out += [Number(before.start(), n.end, text[before.start() : n.end], v, v, "time") for v in (hour, minutes)]
        else:
            out.append(
                Number(
                    before.start(),
                    n.end,
                    text[before.start() : n.end],
                    digits,
                    n.value / n.digits_value * digits,
                    n.kind,
                )
            )
    return out


def _decade_readings(numbers: list[Number], text: str, decade_after: re.Pattern) -> list[Number]:
    """The other ways to write a decade, as soft numbers: 80 (the 80s) may be 1980 or 2080, and 1980 80."""
    out = []
    for n in numbers:
        if n.start < 0 or n.value != n.digits_value or n.value % 10 or not decade_after.match(text, n.end):
            continue
        if n.value < 100:
            out += [Number(-1, -1, n.text, v, v, "year", soft=True) for v in (n.value + 1900, n.value + 2000)]
        elif 1000 <= n.value <= 2100:
            out.append(Number(-1, -1, n.text, n.value % 100, n.value % 100, "year", soft=True))
    return out


def find_source_numbers(text: str) -> list[Number]:
    """Numbers in Gujarati text: digits (scale words folded in: 3 લાખ = 300000, સાડા 3 = 3.5), date
    parts, times, split years (2019-20), and, as soft numbers at the end, numbers spelt as words."""
    text = without_spans(text)
    found, taken = _scan(text, find_source_dates, find_source_times, _GU_NUMBER, _gujarati_scale_words)
    found = _share_scales(_merge_compounds(_with_fraction_words(found, text), text), text)
    found = _share_readings(found, text, _SOURCE_SHARE)
    readings = _decade_readings(found, text, _GU_DECADE_AFTER)
    for start, end in taken:
        text = _blank(text, start, end)
    words = readings + [
        Number(-1, -1, "", v, v, "amount", soft=not sure, spelt=True) for v, sure in gujarati_word_values(text)
    ]
    return found + words


def _share_readings(numbers: list[Number], text: str, pattern: re.Pattern) -> list[Number]:
    """ "1 in 5", "5માંથી 1": a share, which the other side may write as its two numbers or as a
    percentage (20 ટકા, 五分之一). Its numbers become soft, and the share is added as a soft
    number of kind "share" whose value is the percentage and whose `parts` are the two numbers
    (the numbers check asks for one or the other)."""
    out = numbers
    for m in pattern.finditer(text):
        whole, part = parse_digits(m.group("whole")), parse_digits(m.group("part"))
        percent = part * 100 / whole if whole and part <= whole else None
        if percent is None or percent != round(percent, 1):
            continue
        out = [_soften(n) if m.start() <= n.start < m.end() else n for n in out]
        out.append(Number(-1, -1, m.group(0), percent, percent, "share", soft=True, parts=(whole, part)))
    return out


def _target_digits(text: str) -> tuple[list[Number], list[tuple[int, int]]]:
    """The numbers written in digits in a translation, with the stretches of text they take."""
    decades = []
    for m in _ZH_DECADE.finditer(text):  # 20 世纪 70 年代 = the 1970s
        century = int(m.group("century")) if m.group("century") else 20 if m.group("last") else 21
        year = Decimal((century - 1) * 100 + int(m.group("decade")) * 10)
        decades.append(Number(m.start(), m.end(), m.group(0), year, year, "year"))
        text = _blank(text, m.start(), m.end())
    found, taken = _scan(text, find_target_dates, find_target_times, _TARGET_NUMBER, _target_scale_words)
    found = _share_readings(_share_scales(found, text), text, _TARGET_SHARE)
    readings = _decade_readings(found, text, _TARGET_DECADE_AFTER) + [
        Number(-1, -1, n.text, n.value % 100, n.value % 100, "year", soft=True) for n in decades
    ]  # the 70s
    taken += [(n.start, n.end) for n in decades]
    found = sorted(decades + [_soften(n) if n.kind == "month" else n for n in found], key=lambda n: n.start)
    return found + readings, taken


def find_target_numbers(text: str, words: bool = True) -> list[Number]:
    """Numbers in an English or Chinese translation: digits with scale words (lakh, million, 万, 亿),
    dates and times, then (soft) numbers spelt as words (five, 五, 三十万). Months are always soft:
    a translation may name a month the source only implied."""
    text = without_spans(text)
    found, taken = _target_digits(text)
    if not words:
        return found
    rest, last = [], 0
    for start, end in sorted(taken):
        rest += [text[last:start], " ; "]
        last = max(last, end)
    rest.append(text[last:])
    soft, _ = _target_digits(words_to_digits("".join(rest)))
    return found + [_soften(n) for n in soft]


def _soften(n: Number) -> Number:
    return Number(-1, -1, n.text, n.digits_value, n.value, n.kind, n.grouped, True, n.spelt, n.named, n.parts)
