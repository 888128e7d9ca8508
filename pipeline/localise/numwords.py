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
    "શૂન્ય": 0,
    "એક": 1,
    "બે": 2,
    "ત્રણ": 3,
    "ચાર": 4,
    "પાંચ": 5,
    "છ": 6,
    "સાત": 7,
    "આઠ": 8,
    "નવ": 9,
    "દસ": 10,
    "દશ": 10,
    "અગિયાર": 11,
    "બાર": 12,
    "તેર": 13,
    "ચૌદ": 14,
    "પંદર": 15,
    "સોળ": 16,
    "સત્તર": 17,
    "અઢાર": 18,
    "ઓગણીસ": 19,
    "વીસ": 20,
    "એકવીસ": 21,
    "બાવીસ": 22,
    "ત્રેવીસ": 23,
    "ચોવીસ": 24,
    "પચ્ચીસ": 25,
    "પચીસ": 25,
    "ત્રીસ": 30,
    "પાંત્રીસ": 35,
    "ચાલીસ": 40,
    "ચાળીસ": 40,
    "પિસ્તાલીસ": 45,
    "પચાસ": 50,
    "સાઠ": 60,
    "સાઈઠ": 60,
    "સિત્તેર": 70,
    "પંચોતેર": 75,
    "એંસી": 80,
    "એંશી": 80,
    "નેવું": 90,
    "સો": 100,
    "સેંકડો": 100,
    "હજારો": 1000,
    "લાખો": 100000,
    "અડધો": Decimal("0.5"),
    "અડધા": Decimal("0.5"),
    "અડધી": Decimal("0.5"),
    "દોઢ": Decimal("1.5"),
    "અઢી": Decimal("2.5"),
    "બમણ": 2,
    "ત્રણગણ": 3,
    "બેવડ": 2,
    # ordinals
    "પ્રથમ": 1,
    "પહેલ": 1,
    "બીજ": 2,
    "ત્રીજ": 3,
    "ચોથ": 4,
    "પાંચમ": 5,
    "છઠ્ઠ": 6,
    "સાતમ": 7,
    "આઠમ": 8,
    "નવમ": 9,
    "દસમ": 10,
}

# Scale words borrowed from English, in every spelling news uses (ઇ/ઈ and િ/ી vary freely).
BORROWED_SCALES = {
    f"{stem}{i}લ{j}યન": value
    for stem, value in (("મ", 10**6), ("બ", 10**9), ("ટ્ર", 10**12))
    for i in ("િ", "ી")
    for j in ("િ", "ી")
}
GUJARATI_WORD_SCALES = {
    "સો": 100,
    "હજાર": 10**3,
    "લાખ": 10**5,
    "કરોડ": 10**7,
    "અબજ": 10**9,
    "અરબ": 10**9,
    **BORROWED_SCALES,
    "દશક": 10,
    "દાયક": 10,
    "ડઝન": 12,
}
# What may follow a scale word in the same word: a plural or oblique vowel and a case ending
# (હજારો, દાયકામાં, લાખનો); anything else makes another word (સોમવાર "Monday", સોનું "gold").
_SCALE_REST = re.compile(r"(?:ા|ો|ાઓ)?(?:ના|ની|નો|નું|નાં|થી|માં|ને|મા|માંથી|એ|ે)?")
# સાડા ત્રણ = 3.5, સવા બે = 2.25, પોણા સાત = 6.75 (and, before વાગ્યે, 6:45).
FRACTION_WORDS = {"સાડા": Decimal("0.5"), "સવા": Decimal("0.25"), "પોણા": Decimal("-0.25")}
_GENITIVES = ("ના", "ની", "નો", "નું", "નાં")
CLOCK_WORDS = ("વાગ્યે", "વાગે", "વાગ્યા")  # "o'clock", and વાગ્યાથી, વાગ્યાની ...
_GU_WORD = re.compile(r"[\u0A80-\u0AFF]+")
_GU_SIGN = re.compile(r"[\u0A81-\u0A83\u0ABC-\u0ACD]")  # vowel signs, virama: not a case suffix


# Case endings after which a cardinal word still surely is that number (ત્રણનાં, સાતથી).
_CASE_ENDINGS = ("", "ના", "ની", "નો", "નું", "નાં", "થી", "માં", "ને", "નુ", "ય", "મા", "માંથી")
_VAGUE = {"એક", "બે", "નવ", "સેંકડો", "હજારો", "લાખો", "અડધો", "અડધા", "અડધી", "દોઢ", "અઢી", "બમણ", "ત્રણગણ"}
# Vague alone, sure before what they count: એક and બે are also "a" and "a couple" (એક હજાર, બે
# ટકા are not); નવ is also "new" (નવ વર્ષ), but never with a case ending (નવને, નવમાંથી).
_ARTICLE_LIKE = {"એક", "બે", "નવ"}
_HOMOGRAPHS = {"નવ"}
_PERCENT_WORD = "ટકા"
_ORDINAL_FROM = "પ્રથમ"
_VOWEL_STEMS = {"બમણ", "ત્રણગણ", "બેવડ"}  # બમણું, બમણા, બેવડો: the vowel is the ending


def _gujarati_word_value(word: str) -> tuple[Decimal, bool] | None:
    """Value of a number word, allowing a short case suffix (ત્રણનાં, સાતથી) but not a vowel sign
    (છે "is" is not છ "six", નવા "new" is not નવ "nine"); and whether it surely is that number."""
    for size in range(0, 6):
        stem, rest = (word, "") if size == 0 else (word[:-size], word[-size:])
        if stem in _GU_WORDS and rest in _ABOUT:
            return Decimal(_GU_WORDS[stem]), False  # પચાસેક "about fifty"
        if stem == "સો" and rest:
            continue  # સોય "needle", સોની "Soni", સોનું "gold": a hundred is written સો alone
        if stem in _GU_WORDS and (not _GU_SIGN.match(rest) or stem in _VOWEL_STEMS):
            cardinal = list(_GU_WORDS).index(stem) < list(_GU_WORDS).index(_ORDINAL_FROM)
            vague = stem in _VAGUE and not (stem in _HOMOGRAPHS and rest)
            sure = cardinal and not vague and rest in _CASE_ENDINGS
            return Decimal(_GU_WORDS[stem]), sure
    return None


_ABOUT = ("ેક", "એક")  # દસેક, સોએક: "about ten", "about a hundred"
_PAIRED = re.compile(r"\s*-\s*|\s+કે\s+|\s+અથવા\s+")  # ચાર-પાંચ, બે કે ત્રણ: "four or five", "a few"


def gujarati_word_values(text: str) -> list[tuple[Decimal, bool]]:
    """Values the Gujarati text spells out, each with whether a translation must carry it: a plain
    cardinal of three or more (પાંચ, બાર, દસ મિલિયન) must; એક ("a", "one"), બે, ordinals, vague
    plurals (હજારો), approximations (ચાર-પાંચ, પચાસેક) and part-words only may."""
    matches = list(_GU_WORD.finditer(text))
    words = [m.group() for m in matches]
    numbers = [_gujarati_word_value(w) for w in words]
    values, shared = _share_values(words, numbers)
    for i, word in enumerate(words):
        found = numbers[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        next_word = following if following and not text[matches[i].end() : matches[i + 1].start()].strip() else ""
        fraction_alone = (
            found is None
            and word in FRACTION_WORDS
            and word != "સાડા"
            and (i + 1 == len(words) or numbers[i + 1] is None)
        )
        if fraction_alone:
            found = (1 + FRACTION_WORDS[word], False)  # સવા લાખ = 125,000, પોણા લાખ = 75,000
        if found is None:
            continue
        value, sure = found
        fraction = FRACTION_WORDS.get(words[i - 1]) if i and not fraction_alone else None
        paired = any(
            0 <= j < len(words)
            and numbers[j] is not None
            and _PAIRED.fullmatch(text[matches[min(i, j)].end() : matches[max(i, j)].start()])
            for j in (i - 2, i - 1, i + 1, i + 2)
        )
        if sure and (
            fraction is not None or paired or i in shared or _only_may(word, words[i - 1] if i else "", next_word)
        ):
            sure = False
        scale = gujarati_scale(following)
        if (
            word in _ARTICLE_LIKE
            and fraction is None
            and not paired
            and (following.startswith(_PERCENT_WORD) or ((scale or 0) >= 100 and not following.startswith("અરબ")))
        ):
            sure = True  # એક હજાર, એક ટકા: "a thousand" and "one percent" are still numbers (અરબ is also "Arab")
        if scale == 10 and word.endswith(_GENITIVES) and value < 100 and not value % 10:
            scale = None  # એંશીના દાયકામાં: the eighties, 1980 or 2080, not 800
            values += [(value + 1900, False), (value + 2000, False)]
        if fraction is not None:
            values.append((value + fraction, False))
            if following.startswith(CLOCK_WORDS):  # પોણા સાત વાગ્યે = 6:45
                hour, minutes = divmod((value + fraction) * 60, 60)
                values += [(hour, False), (minutes, False)]
        if scale is None:
            values.append((value, sure))
        else:
            values += [(value, False), (value * scale, sure)]
            if fraction is not None:
                values.append(((value + fraction) * scale, False))
    return values


def _share_values(words: list[str], numbers: list) -> tuple[list[tuple[Decimal, bool]], set[int]]:
    """ "પાંચમાંથી એક", "દસ લોકોમાંથી ત્રણ", "પાંચ પૈકી બે": a share, which a translation may give as
    its two numbers or as a percentage (one in five, 20%, 五分之一). Returns the percentages (soft)
    and the positions of the words in a share (which become soft too)."""
    values, shared = [], set()
    for i, found in enumerate(numbers):
        out_of = next(
            (j for j in (i, i + 1) if j < len(words) and (words[j].endswith("માંથી") or (j > i and words[j] == "પૈકી"))),
            None,
        )
        part = numbers[out_of + 1] if out_of is not None and out_of + 1 < len(words) else None
        if found is None or part is None or not found[0]:
            continue
        shared |= {i, out_of + 1}
        percent = part[0] * 100 / found[0]
        if percent == round(percent, 1):
            values.append((percent, False))
    return values, shared


# After બાર, words that show it is a bar, not twelve: what follows a noun, not a count.
_NOT_COUNTED = frozenset(
    """પર માં માટે સાથે પાસે નજીક અંદર બહાર સામે તરફ સુધી અને કે અથવા પણ તથા તેમજ છે હતો હતી
    હતું હતા હતાં નથી જ તો બંધ""".split()
)
_BAR_COMPOUNDS = ("કાઉન્સિલ", "એસોસિએશન", "એસોસિયેશન")  # the bar council, the bar association
_SINGULAR = ("એક", "કોઈ", "દરેક", "કોઈપણ")  # a bar, any bar: twelve would not take these


def _only_may(word: str, before: str, following: str) -> bool:
    """A cardinal word that need not come out as digits: a multiplier (ત્રણ ગણા), સો ટકા ("fully",
    "surely" as often as "a hundred percent"), and the "bar" of શહેરના બાર, એક બાર, બાર પર, બારમાં
    (twelve is બાર before what it counts)."""
    return (
        following.startswith("ગણ")
        or (word == "સો" and following.startswith("ટકા"))
        or (
            word.startswith("બાર")
            and (
                word != "બાર"
                or before.endswith(_GENITIVES)
                or before in _SINGULAR
                or not following
                or following in _NOT_COUNTED
                or following.startswith(_BAR_COMPOUNDS)
            )
        )
    )


def gujarati_scale(word: str) -> int | None:
    """The scale a word names (હજાર, લાખનો, દાયકામાં, મીલીયન), or None (સોમવાર is Monday)."""
    for name, scale in GUJARATI_WORD_SCALES.items():
        if word.startswith(name) and _SCALE_REST.fullmatch(word, len(name)):
            return scale
    return None


# Multipliers: "tripled" or "threefold" may stand for ત્રણ ગણા or 3 ગણો.
_EN_MULTIPLIERS = {
    "double": 2,
    "doubled": 2,
    "doubles": 2,
    "twice": 2,
    "twofold": 2,
    "triple": 3,
    "tripled": 3,
    "triples": 3,
    "thrice": 3,
    "threefold": 3,
    "quadruple": 4,
    "quadrupled": 4,
    "fourfold": 4,
    "fivefold": 5,
    "tenfold": 10,
    "hundredfold": 100,
}
# Fractions that may stand for a percentage: half (50 ટકા), a quarter, one-fifth, two-thirds.
_EN_FRACTIONS = {
    "half": 50,
    "a third": Decimal("33.3"),
    "one third": Decimal("33.3"),
    "two thirds": Decimal("66.7"),
    "a quarter": 25,
    "one quarter": 25,
    "one fourth": 25,
    "three quarters": 75,
    "three fourths": 75,
    "a fifth": 20,
    "one fifth": 20,
    "two fifths": 40,
    "a tenth": 10,
    "one tenth": 10,
}
_EN_FRACTION = re.compile(r"\b(" + "|".join(_EN_FRACTIONS).replace(" ", "[ -]") + r")\b", re.IGNORECASE)
_EN_AND_A_HALF = re.compile(r"\b(\d+) and a half\b")  # three and a half = 3.5
_EN_MULTIPLIER = re.compile(r"\b(" + "|".join(_EN_MULTIPLIERS) + r")\b", re.IGNORECASE)


def english_words_to_digits(text: str) -> str:
    """ "five", "two thousand and twenty", "ten million", "first", "tripled" → 5, 2020, 10000000, 1st, 3."""
    from text_to_num import alpha2digit

    text = _EN_MULTIPLIER.sub(lambda m: f"{m.group(0)} ({_EN_MULTIPLIERS[m.group(1).lower()]})", text)
    text = _EN_FRACTION.sub(lambda m: f"{m.group(0)} ({_EN_FRACTIONS[m.group(1).lower().replace('-', ' ')]}%)", text)
    return _EN_AND_A_HALF.sub(r"\1.5", alpha2digit(text, "en", threshold=0))


# Vague round quantities: 上万 "tens of thousands", 数千 "thousands" (数千万 = tens of millions).
_ZH_VAGUE = {
    "成千上万": "1000",
    "上万": "10000",
    "数万": "10000",
    "几万": "10000",
    "上千": "1000",
    "数千": "1000",
    "几千": "1000",
    "上百": "100",
    "数百": "100",
    "几百": "100",
    "百分之百": "百分之一百",
    "翻了一番": "2倍",
    "翻一番": "2倍",
    "翻了两番": "4倍",
    "翻两番": "4倍",
}  # doubled, quadrupled
_ZH_VAGUE_RE = re.compile("|".join(sorted(_ZH_VAGUE, key=len, reverse=True)))
_ZH_NUMERAL = "[〇零一二两三四五六七八九十百千万0-9.]+"
_ZH_FRACTION = re.compile(rf"({_ZH_NUMERAL})分之({_ZH_NUMERAL})")
_ZH_AND_A_HALF = re.compile(r"(\d+)个0\.5")  # 三个半小时 reads as 3个0.5小时
# 三成 = 30%, 两成半 = 25% (not 完成 "finished", 变成 "become", 成为, 成功, 一成不变 "unchanging").
_ZH_TENTHS = re.compile(r"(?<![完变分组构形造达合促赞])([一二两三四五六七八九])成(半?)(?![为功立绩本熟员果就交长不])")
_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
# Words that hold a numeral but no number: 十分 "very", 一些 "some", 一举 "in one go", 周四 "Thursday"
# (weekdays are names, as ગુરુવાર is). cn2an reads them as 10, 1, 1 and 4, which would excuse a
# number the translation dropped. Not inside a numeral (二十分 20 points, 十一起 11 cases, 一点五 1.5),
# nor 十分钟 "ten minutes".
_ZH_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿0-9"
_ZH_NOT_NUMBERS = re.compile(
    f"(?<![{_ZH_NUMERAL_CHARS}第])(?:十分(?![钟之])|十足|三明治|一些|一举|一起|一直|一定|一样|一般|一切|一旦|一致|一同|一再|一边|一下|一点|一会|一流|一共"
    "|一向|一味|一律|一贯|一概|一并|一体|一系列|一心一意|一模一样|一无所知|一带一路|一口气|统一|唯一|同一|不一|进一步"
    f"|(?:周|星期|礼拜)[一二三四五六日天])(?![{_ZH_NUMERAL_CHARS}])"
)


def chinese_numerals_to_digits(text: str) -> str:
    """五, 两千, 三十万, 百分之十, 五分之一, 三成, 二〇二三年五月, 上万 → 5, 2000, 300000, 10%, 20%, 30%,
    2023年5月, 10000."""
    import cn2an

    def read(numeral: str) -> Decimal | None:
        try:
            return Decimal(str(cn2an.cn2an(numeral.replace("两", "二"), "smart")))
        except (ValueError, KeyError, ArithmeticError):
            return None

    def as_percent(m: re.Match) -> str:  # 五分之一 = one fifth = 20%, or 1 of 5 (પાંચમાંથી એક)
        whole, part = read(m.group(1)), read(m.group(2))
        if not whole or part is None:
            return m.group(0)
        percent = part * 100 / whole
        shown = f"{percent.normalize():f}% " if percent == round(percent, 2) else ""
        return f"{shown}({part.normalize():f} / {whole.normalize():f})"

    text = _ZH_VAGUE_RE.sub(lambda m: _ZH_VAGUE[m.group(0)], text)
    text = _ZH_FRACTION.sub(as_percent, text)
    text = _ZH_TENTHS.sub(lambda m: f"{_ZH_DIGIT[m.group(1)] * 10 + (5 if m.group(2) else 0)}%", text)
    text = _ZH_NOT_NUMBERS.sub(lambda m: "〃" * len(m.group(0)), text)
    with warnings.catch_warnings():  # cn2an warns on every numeral-like run it cannot read
        warnings.simplefilter("ignore")
        text = cn2an.transform(text.replace("两", "二"), "cn2an")  # cn2an skips 两 (两组 = 2 groups)
    return _ZH_AND_A_HALF.sub(r"\1.5个", text)


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
