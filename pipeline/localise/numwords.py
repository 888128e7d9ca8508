"""Numbers written as words: Gujarati (પાંચ, બે હજાર, દસ મિલિયન), English (five, two thousand) and
Chinese (五, 两千, 三十万).

English and Chinese are read by well-kept libraries (text2num's `alpha2digit`, cn2an's
`transform`), which rewrite number words as digits. Gujarati has no such library, so a small table
covers the words news uses. Word numbers are "soft" in the numbers check: they may stand for a
source number, but a translation that spells out "one" or "first" is never accused of inventing it.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal

_GU_WORDS = {
    "શૂન્ય": 0, "એક": 1, "બે": 2, "ત્રણ": 3, "ચાર": 4, "પાંચ": 5, "છ": 6, "સાત": 7, "આઠ": 8, "નવ": 9,
    "દસ": 10, "દશ": 10, "અગિયાર": 11, "બાર": 12, "તેર": 13, "ચૌદ": 14, "પંદર": 15, "સોળ": 16,
    "સત્તર": 17, "અઢાર": 18, "ઓગણીસ": 19, "વીસ": 20, "એકવીસ": 21, "બાવીસ": 22, "ત્રેવીસ": 23,
    "ચોવીસ": 24, "પચ્ચીસ": 25, "પચીસ": 25, "ત્રીસ": 30, "પાંત્રીસ": 35, "ચાલીસ": 40, "ચાળીસ": 40,
    "પિસ્તાલીસ": 45, "પચાસ": 50, "સાઠ": 60, "સાઈઠ": 60, "સિત્તેર": 70, "પંચોતેર": 75, "એંસી": 80,
    "એંશી": 80, "નેવું": 90, "સો": 100, "સેંકડો": 100, "હજારો": 1000, "લાખો": 100000,
    "અડધો": Decimal("0.5"), "અડધા": Decimal("0.5"), "અડધી": Decimal("0.5"), "દોઢ": Decimal("1.5"),
    "અઢી": Decimal("2.5"), "બમણ": 2, "ત્રણગણ": 3,
    # ordinals
    "પ્રથમ": 1, "પહેલ": 1, "બીજ": 2, "ત્રીજ": 3, "ચોથ": 4, "પાંચમ": 5, "છઠ્ઠ": 6, "સાતમ": 7,
    "આઠમ": 8, "નવમ": 9, "દસમ": 10,
}
GUJARATI_WORD_SCALES = {
    "સો": 100, "હજાર": 10**3, "લાખ": 10**5, "કરોડ": 10**7, "અબજ": 10**9, "અરબ": 10**9,
    "મિલિયન": 10**6, "બિલિયન": 10**9, "ટ્રિલિયન": 10**12, "દશક": 10, "દાયક": 10, "ડઝન": 12,
}
_GU_WORD = re.compile(r"[\u0A80-\u0AFF]+")
_GU_SIGN = re.compile(r"[\u0A81-\u0A83\u0ABC-\u0ACD]")  # vowel signs, virama: not a case suffix


# Case endings after which a cardinal word still surely is that number (ત્રણનાં, સાતથી).
_CASE_ENDINGS = ("", "ના", "ની", "નો", "નું", "નાં", "થી", "માં", "ને", "નુ", "ય", "મા")
_VAGUE = {"એક", "બે", "નવ", "સેંકડો", "હજારો", "લાખો", "અડધો", "અડધા", "અડધી", "દોઢ", "અઢી", "બમણ", "ત્રણગણ"}
_ORDINAL_FROM = "પ્રથમ"


def _gujarati_word_value(word: str) -> tuple[Decimal, bool] | None:
    """Value of a number word, allowing a short case suffix (ત્રણનાં, સાતથી) but not a vowel sign
    (છે "is" is not છ "six", નવા "new" is not નવ "nine"); and whether it surely is that number."""
    for size in range(0, 5):
        stem, rest = (word, "") if size == 0 else (word[:-size], word[-size:])
        if stem in _GU_WORDS and not _GU_SIGN.match(rest):
            cardinal = list(_GU_WORDS).index(stem) < list(_GU_WORDS).index(_ORDINAL_FROM)
            sure = cardinal and stem not in _VAGUE and rest in _CASE_ENDINGS
            return Decimal(_GU_WORDS[stem]), sure
    return None


def gujarati_word_values(text: str) -> list[tuple[Decimal, bool]]:
    """Values the Gujarati text spells out, each with whether a translation must carry it: a plain
    cardinal of three or more (પાંચ, બાર, દસ મિલિયન) must; એક ("a", "one"), બે, ordinals, vague
    plurals (હજારો) and part-words only may."""
    words = _GU_WORD.findall(text)
    values = []
    for i, word in enumerate(words):
        found = _gujarati_word_value(word)
        if found is None:
            continue
        value, sure = found
        following = words[i + 1] if i + 1 < len(words) else ""
        scale = next((s for w, s in GUJARATI_WORD_SCALES.items() if following.startswith(w)), None)
        if scale is None:
            values.append((value, sure))
        else:
            values += [(value, False), (value * scale, sure)]
    return values


def english_words_to_digits(text: str) -> str:
    """"five", "two thousand and twenty", "ten million", "first" → 5, 2020, 10000000, 1st."""
    from text_to_num import alpha2digit

    return alpha2digit(text, "en", threshold=0)


def chinese_numerals_to_digits(text: str) -> str:
    """五, 两千, 三十万, 百分之十, 二〇二三年五月 → 5, 2000, 300000, 10%, 2023年5月."""
    import cn2an

    with warnings.catch_warnings():  # cn2an warns on every numeral-like run it cannot read
        warnings.simplefilter("ignore")
        return cn2an.transform(text.replace("两", "二"), "cn2an")  # cn2an skips 两 (两组 = 2 groups)


_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")


def words_to_digits(text: str) -> str:
    """A translation with its English and Chinese number words rewritten as digits."""
    if _LATIN.search(text):
        text = english_words_to_digits(_WORD_HYPHEN.sub(" ", text))  # eight-year, top-ten
    if _HAN.search(text):
        text = chinese_numerals_to_digits(text)
    return text
