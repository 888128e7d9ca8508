"""Dates and times in Gujarati news and in English / Chinese translations, and their Babel rendering.

A date is compared by its parts: the day and year are numbers like any other, the month is a month
whether it is written મે, May, 5月 or 05, and a month alone (માર્ચમાં, in March, 3月) is read too.
Times count as their hour (on a 12-hour clock, so 21:30 and 9:30 pm agree), minutes and seconds;
four digits at a time zone are a time (1200 GMT is 12时). Shapes follow what news uses: 20 મે 2023,
20મી મે, 2023, મે-20-2023, તા. 20-05-2023, May 20, 2023, 20 May 2023, 17TH SEPTEMBER, 2023年5月20日.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_date, format_skeleton

_D = "[0-9૦-૯]"
_TO_ASCII = str.maketrans("૦૧૨૩૪૫૬૭૮૯", "0123456789")

# Both spellings news uses (ઑ/ઓ, ઈ/ઇ, ...); longest first so the regex prefers full names.
GUJARATI_MONTHS = {
    "જાન્યુઆરી": 1,
    "જાન્યુઆરિ": 1,
    "ફેબ્રુઆરી": 2,
    "ફેબ્રુઆરિ": 2,
    "ફેબ્રુવારી": 2,
    "માર્ચ": 3,
    "એપ્રિલ": 4,
    "મે": 5,
    "જૂન": 6,
    "જુન": 6,
    "જુલાઈ": 7,
    "જુલાઇ": 7,
    "ઑગસ્ટ": 8,
    "ઓગસ્ટ": 8,
    "ઓગષ્ટ": 8,
    "ઑગષ્ટ": 8,
    "સપ્ટેમ્બર": 9,
    "સપ્ટેંબર": 9,
    "સેપ્ટેમ્બર": 9,
    "ઑક્ટોબર": 10,
    "ઓક્ટોબર": 10,
    "ઓકટોબર": 10,
    "નવેમ્બર": 11,
    "નવેંબર": 11,
    "ડિસેમ્બર": 12,
    "ડિસેંબર": 12,
}
ENGLISH_MONTHS = {
    spelt: i
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        1,
    )
    for name in names
    for spelt in (name, name.upper())  # SEPTEMBER 17TH in headlines
}


def _alternation(names) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


# A Gujarati month may carry a case suffix (માર્ચના, સપ્ટેમ્બરે); મે only a few, since મેચ is "match".
# A vowel sign right after the name makes another word (જૂનું, જૂના "old"), except the locative ે (સપ્ટેમ્બરે).
_GU_MONTH = (
    rf"(?<![\u0A80-\u0AFF])(?P<mon>{_alternation(m for m in GUJARATI_MONTHS if m != 'મે')})"
    r"(?![\u0A81-\u0A83\u0ABE-\u0AC6\u0AC8-\u0ACD])(?:[\u0A80-\u0AFF]{0,4})"
    r"|(?<![\u0A80-\u0AFF])(?P<may>મે)(?:ના|ની|નો|માં|એ)?(?![\u0A80-\u0AFF])"
)
_GU_ORD = "(?:મી|લી|જી|થી|ઠી)?"
# Before a day the month is bare or genitive (માર્ચ 20, માર્ચની 20મી): માર્ચમાં 5.6 ટકા is "5.6 percent in March".
_GU_MONTH_BEFORE_DAY = (
    rf"(?<![\u0A80-\u0AFF])(?P<mon>{_alternation(GUJARATI_MONTHS)})(?:ની|ના)?"
    r"(?![\u0A80-\u0AFF])"
)
_DAY = rf"(?P<day>{_D}{{1,2}})(?!{_D}|\.{_D})"  # not the 5 of 5.6
_YEAR = rf"(?P<year>{_D}{{4}})(?!{_D})"
_NB = r"(?<![0-9૦-૯])(?<![0-9૦-૯][.,:])"  # not inside a number; after તા., or a comma, yes

# A month alone (માર્ચમાં, નવેમ્બરથી, ઑગસ્ટની): only with a case ending, since a longer word is
# another word (જૂનાગઢ); not મે, which is also a spelling of મેં ("I"), nor a protest march (ફ્લેગ માર્ચ).
_GU_BARE_MONTH = (
    rf"(?<![\u0A80-\u0AFF])(?<!ફ્લેગ )(?<!લોંગ )(?P<mon>{_alternation(m for m in GUJARATI_MONTHS if m != 'મે')})"
    r"(?:ના|ની|નો|નું|નાં|માં|મા|થી|માંથી|માંની|એ|ે|માં જ)?(?![\u0A80-\u0AFF])"
)
_GU_DATES = [
    re.compile(p)
    for p in (
        rf"{_NB}(?:તા\.\s*)?(?P<day>{_D}{{1,2}})[-/.](?P<num>{_D}{{1,2}})[-/.]{_YEAR}",  # તા. 20-05-2023
        rf"(?:{_GU_MONTH})-{_DAY}-{_YEAR}",  # મે-20-2023
        rf"{_NB}{_DAY}{_GU_ORD}\s*(?:{_GU_MONTH})(?:\s*,?\s*{_YEAR})?",  # 20 મે 2023, 20મી મે, 2023
        rf"(?:{_GU_MONTH_BEFORE_DAY})\s*{_DAY}(?:{_GU_ORD}|[\u0A80-\u0AFF]{{0,3}})(?:\s*,?\s*{_YEAR})?",  # માર્ચ 20ના
        rf"(?:{_GU_MONTH})\s*,?\s*{_YEAR}",  # મે 2023
        _GU_BARE_MONTH,  # માર્ચમાં
    )
]

_EN_MONTH = rf"(?P<mon>{_alternation(ENGLISH_MONTHS)})\.?(?![A-Za-z])"
_EN_ORD = r"(?i:st|nd|rd|th)?"
_SHORT_MONTHS = _alternation(n for n in ENGLISH_MONTHS if len(n) == 3 and n.istitle())  # Nov-Feb
_EN_DATES = [
    re.compile(p)
    for p in (
        rf"{_NB}(?P<year>\d{{4}})-(?P<num>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)",  # 2023-05-20
        rf"{_NB}(?P<day>\d{{1,2}})[-/.](?P<num>\d{{1,2}})[-/.](?P<year>\d{{4}})(?!\d)",  # 20-05-2023
        rf"{_EN_MONTH}\s*(?P<day>\d{{1,2}}){_EN_ORD}(?!\d|\.\d)(?:,?\s*(?P<year>\d{{4}})(?!\d))?",  # May 20, 2023
        rf"{_NB}(?P<day>\d{{1,2}}){_EN_ORD}\s+(?:of\s+)?{_EN_MONTH}(?:,?\s*(?P<year>\d{{4}})(?!\d))?",
        rf"{_EN_MONTH},?\s*(?:of\s+)?(?P<year>\d{{4}})(?!\d)",  # May 2023, May of 2023
        # in May, (November to March), Nov-Feb; May only after a word or comma (May we ...)
        rf"(?<![A-Za-z])(?P<mon>{_alternation(n for n in ENGLISH_MONTHS if len(n) > 3 and n.lower() != 'may')})(?![A-Za-z])"
        rf"|(?<=[a-z,] )(?P<may>May|MAY)(?![A-Za-z])"
        rf"|(?<![A-Za-z])(?P<abbr>{_SHORT_MONTHS})(?=[-–]\s?[A-Z])|(?<=[A-Za-z][-–])(?P<till>{_SHORT_MONTHS})(?![A-Za-z])",
    )
]
_ZH_DATES = [
    re.compile(p)
    for p in (
        r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<num>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*[日号])?",
        r"(?<![\d.])(?P<num>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]",
        r"(?<![\d.个])(?P<num>\d{1,2})\s*月(?!份?[\d])",  # 5月 (not 3个月, "3 months")
    )
]

# A space may follow the colon (09: 45), never the stop (5. 30 is a list number and an amount).
# Seconds (09:19:00) belong to the time. Four digits before a time zone are a 24-hour time: 1200 GMT.
_SECONDS = r"(?::(?P<s>[0-5][0-9]))?"
_ZONE = r"\s*(?:GMT|UTC|IST|hrs|જીએમટી|યુટીસી)(?![A-Za-z\u0A80-\u0AFF])"
_ZONE_BEFORE = r"(?<![A-Za-z])(?:GMT|UTC) "  # UTC 0230
_GU_TIME = re.compile(
    rf"{_NB}(?P<h>{_D}{{1,2}})(?:[.]|:\s?)(?P<m>{_D}{{2}}){_SECONDS}(?=\s*(?:વાગ્યે|વાગે|કલાકે|કલાક|વાગ્યા))"
    rf"|{_NB}(?P<h2>{_D}{{1,2}}):\s?(?P<m2>{_D}{{2}}){_SECONDS.replace('<s>', '<s2>')}(?!{_D})"
    rf"|{_NB}(?P<h4>[0-2][0-9])(?P<m4>[0-5][0-9])(?={_ZONE})"
    rf"|(?<={_ZONE_BEFORE})(?P<h5>[0-2][0-9])(?P<m5>[0-5][0-9])(?!{_D})"
)
_EN_TIME = re.compile(
    r"(?<![\d.,:])(?P<h>\d{1,2})(?:[.]|:\s?)(?P<m>\d{2})" + _SECONDS + r"(?=\s*[ap]\.?m\b\.?)"
    r"|(?<![\d.,:])(?P<h2>\d{1,2}):\s?(?P<m2>\d{2})" + _SECONDS.replace("<s>", "<s2>") + r"(?!\d)"
    r"|(?<![\d.,:])(?P<h3>\d{1,2})\s*(?:[ap]\.?m\.?|o'clock)(?![A-Za-z])"
    rf"|(?<![\d.,:])(?P<h4>[0-2][0-9])(?P<m4>[0-5][0-9])(?={_ZONE})"
    rf"|(?<={_ZONE_BEFORE})(?P<h5>[0-2][0-9])(?P<m5>[0-5][0-9])(?!\d)"
)
_ZH_TIME = re.compile(r"(?<![\d.,:])(?P<h>\d{1,2})\s*[点點时時](?:\s*(?P<m>\d{1,2})\s*分|(?P<half>半))?")


@dataclass(frozen=True)
class DateMatch:
    """A date as written: where, and its parts (any may be missing: 20 May, May 2023)."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None

    def as_date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    hour: int  # on a 12-hour clock: 21:30 and 9:30 pm are both 9
    minute: int
    second: int = 0


def _int(text: str | None) -> int | None:
    return int(text.translate(_TO_ASCII)) if text else None


def _month(m: re.Match, names: dict[str, int]) -> int | None:
    groups = m.groupdict()
    if groups.get("num"):
        return _int(groups["num"])
    name = groups.get("mon") or groups.get("may") or groups.get("abbr") or groups.get("till")
    return names.get(name.rstrip(".")) if name else None


def _find_dates(text: str, patterns, names) -> list[DateMatch]:
    found: list[DateMatch] = []
    taken = [False] * len(text)
    for pattern in patterns:  # most specific first; a later pattern never re-reads a claimed span
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            day, month, year = _int(m.groupdict().get("day")), _month(m, names), _int(m.groupdict().get("year"))
            if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
                continue
            if year is not None and not 1000 <= year <= 2200:
                continue
            found.append(DateMatch(m.start(), m.end(), year, month, day))
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(found, key=lambda d: d.start)


def find_source_dates(text: str) -> list[DateMatch]:
    return _find_dates(text, _GU_DATES, GUJARATI_MONTHS)


def find_target_dates(text: str) -> list[DateMatch]:
    return _find_dates(text, _EN_DATES + _ZH_DATES, ENGLISH_MONTHS)


def _find_times(text: str, pattern) -> list[TimeMatch]:
    found = []
    for m in pattern.finditer(text):
        g = m.groupdict()
        hour = _int(g.get("h") or g.get("h2") or g.get("h3") or g.get("h4") or g.get("h5"))
        minute = 30 if g.get("half") else (_int(g.get("m") or g.get("m2") or g.get("m4") or g.get("m5")) or 0)
        second = _int(g.get("s") or g.get("s2")) or 0
        if hour is None or hour > 24 or minute > 59:
            continue
        found.append(TimeMatch(m.start(), m.end(), hour - 12 if hour > 12 else hour, minute, second))
    return found


def find_source_times(text: str) -> list[TimeMatch]:
    return _find_times(text, _GU_TIME)


def find_target_times(text: str) -> list[TimeMatch]:
    return _find_times(text, _EN_TIME) + _find_times(text, _ZH_TIME)


def render_date(date: DateMatch, locale: str) -> str | None:
    """The date written the way `locale` writes it (en May 20, 2023; zh 2023年5月20日), or None."""
    full = date.as_date()
    if full is not None:
        return format_date(full, "long", locale=locale)
    if date.month and date.day and date.year is None:
        try:
            return format_skeleton("MMMMd", dt.date(2000, date.month, date.day), locale=locale)
        except ValueError:
            return None
    if date.month and date.year and date.day is None:
        return format_skeleton("yMMMM", dt.date(date.year, date.month, 1), locale=locale)
    return None
