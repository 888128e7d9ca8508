from decimal import Decimal

import pytest

from pipeline.localise.numbers import find_source_numbers, find_target_numbers
from pipeline.localise.numformat import localise_numbers, prepare_for_model
from pipeline.qa.checks import run_checks


def values(numbers):
    return [n.value for n in numbers]


def test_gujarati_digits_indian_grouping_and_scale_words():
    nums = find_source_numbers("કુલ ૩,૦૦,૦૦૦ લોકો, 12.5 ટકા અને 5 લાખ કરોડ રૂપિયા")
    assert values(nums) == [Decimal(300000), Decimal("12.5"), Decimal(5 * 10**12)]


def test_kinds_years_ordinals_codes():
    nums = find_source_numbers("2022 માં 20મી કોંગ્રેસ, ફોન 0261234567, કુલ 5026")
    assert [n.kind for n in nums] == ["year", "ordinal", "code", "amount"]


def test_model_input_has_plain_ascii_digits():
    assert prepare_for_model("કુલ ૩,૦૦,૦૦૦ અને ૧૨.૫") == "કુલ 300000 અને 12.5"


@pytest.mark.parametrize(
    "locale,style,expected",
    [
        ("en", "decimal", "About 300,000 communities and 5,026 posts in 2022."),
        ("en_IN", "decimal", "About 3,00,000 communities and 5,026 posts in 2022."),
        ("zh_Hans", "compact", "About 30万 communities and 5026 posts in 2022."),
    ],
)
def test_localised_numbers_per_locale(locale, style, expected):
    source = "2022 માં લગભગ 300000 સમુદાયો અને 5026 ચોકીઓ"
    mt = "About 300000 communities and 5026 posts in 2022."
    assert localise_numbers(mt, source, locale, style) == expected


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_TW"])
def test_traditional_chinese_numbers_as_babel_writes_them(locale):
    source = "21000 740000 300000 120000000 5026"
    mt = "21000 740000 300000 120000000 5026"
    assert localise_numbers(mt, source, locale, "compact") == "2.1萬 74萬 30萬 1.2億 5026"


def test_chinese_compact_forms_only_when_exact():
    source = "21000 740000 218000 120000000 218345"
    mt = "21000 740000 218000 120000000 218345"
    assert localise_numbers(mt, source, "zh_Hans", "compact") == "2.1万 74万 21.8万 1.2亿 218345"


def test_a_number_not_in_the_source_is_never_rewritten():
    assert localise_numbers("About 300001 people", "લગભગ 300000 લોકો", "en", "decimal") == "About 300001 people"


def test_target_values_in_words_and_chinese_units():
    assert values(find_target_numbers("3 lakh, 1.5 million, 30万, 1.2亿")) == [
        Decimal(300000),
        Decimal(1500000),
        Decimal(300000),
        Decimal(120000000),
    ]


def test_qa_flags_a_changed_number_and_passes_a_correct_one():
    source = "દેશભરમાં લગભગ ૩,૦૦,૦૦૦ સમુદાયો"
    assert run_checks(source, "About 300,000 communities nationwide") == ()
    assert run_checks(source, "About 30万 communities") == ()
    findings = run_checks(source, "About 30,000 communities nationwide")
    assert [f.check for f in findings] == ["numbers", "numbers"]
    assert "300000" in findings[0].message


def test_qa_flags_gujarati_left_and_repetition():
    assert [f.check for f in run_checks("આ વાક્ય", "this વાક્ય")] == ["untranslated"]
    assert "repetition" in [f.check for f in run_checks("આ વાક્ય છે", "the the the " * 10)]


# --- source forms (Gujarati) -------------------------------------------------------------------


def hard(numbers):
    """(value, kind) of the numbers a translation must carry, in order."""
    return [(n.value, n.kind) for n in numbers if not n.soft]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("૧૨૩ અને 456", [(123, "amount"), (456, "amount")]),
        ("300,000 અને 3,00,000", [(300000, "amount"), (300000, "amount")]),
        ("૧૨.૫ મીટર", [(Decimal("12.5"), "amount")]),
        ("12.5 ટકા અને 40%", [(Decimal("12.5"), "percent"), (40, "percent")]),
        ("10-15 લોકો", [(10, "amount"), (15, "amount")]),
        ("2 થી 3 મિલિયન વર્ષો", [(2000000, "amount"), (3000000, "amount")]),
        ("20મી સદી, 1લી તારીખ, 3જી વખત", [(20, "ordinal"), (1, "ordinal"), (3, "ordinal")]),
        ("4થી વાર, 80થી વધુ", [(4, "ordinal"), (80, "amount")]),
        ("₹500, રૂ. 200 અને 75 રૂપિયા", [(500, "currency"), (200, "currency"), (75, "currency")]),
        (
            "5 હજાર, 3 લાખ, 2 કરોડ, 1 અબજ, 4 અરબ",
            [(5000, "amount"), (300000, "amount"), (20000000, "amount"), (10**9, "amount"), (4 * 10**9, "amount")],
        ),
        ("1.5 લાખ કરોડ રૂપિયા", [(Decimal("1.5") * 10**12, "currency")]),
        ("2 લાખ 50 હજાર લોકો", [(250000, "amount")]),
        ("2023માં ચૂંટણી", [(2023, "year")]),
        ("સવારે 9:30 વાગ્યે", [(9, "time"), (30, "time")]),
        ("રાત્રે 21:15 કલાકે", [(9, "time"), (15, "time")]),
        ("સવારે ૮.૪૬ વાગ્યે", [(8, "time"), (46, "time")]),
        ("પાંચ લોકો અને બાર મિનિટ", [(5, "amount"), (12, "amount")]),
    ],
)
def test_source_forms_have_their_values(text, expected):
    assert hard(find_source_numbers(text)) == [(Decimal(v), k) for v, k in expected]


@pytest.mark.parametrize(
    "text",
    ["20 મે 2023ના રોજ", "20મી મે, 2023", "મે-20-2023", "તા. 20-05-2023", "તા. ૨૦-૦૫-૨૦૨૩"],
)
def test_source_date_shapes(text):
    assert hard(find_source_numbers(text)) == [(20, "day"), (5, "month"), (2023, "year")]


@pytest.mark.parametrize(
    "spelling,month",
    [("ઑક્ટોબર", 10), ("ઓક્ટોબર", 10), ("જુલાઈ", 7), ("જુલાઇ", 7), ("ઑગસ્ટ", 8), ("ઓગસ્ટ", 8), ("સપ્ટેમ્બરે", 9)],
)
def test_gujarati_month_names_in_either_spelling(spelling, month):
    assert hard(find_source_numbers(f"4 {spelling} 1999")) == [(4, "day"), (month, "month"), (1999, "year")]


def test_words_that_only_look_like_numbers_or_months_are_not_required():
    # સામે ("against") holds મે (May); છે ("is") starts like છ (six); એક is also "a".
    assert hard(find_source_numbers("તે સામે 1973માં એક હડતાળ છે")) == [(1973, "year")]


def test_digits_in_urls_and_placeholders_are_not_numbers():
    assert hard(find_source_numbers("https://example.com/2023/05 પર %2$s અને {count} 7")) == [(7, "amount")]


# --- target forms (English, Chinese) ------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [
        ("300,000", 300000),
        ("300000", 300000),
        ("3 lakh", 300000),
        ("300 thousand", 300000),
        ("1.5 million", 1500000),
        ("three hundred thousand", 300000),
        ("five", 5),
        ("two thousand", 2000),
        ("an eight-year search", 8),
        ("30万", 300000),
        ("3000万", 30000000),
        ("1.2亿", 120000000),
        ("五", 5),
        ("两千", 2000),
        ("三十万", 300000),
        ("百分之八十八", 88),
        ("2.1万", 21000),
    ],
)
def test_target_forms_have_their_values(text, value):
    assert Decimal(value) in [n.value for n in find_target_numbers(text)]


@pytest.mark.parametrize(
    "text",
    [
        "on May 20, 2023",
        "on 20 May 2023",
        "on 20th of May, 2023",
        "2023年5月20日",
        "二〇二三年五月二十日",
        "20-05-2023",
    ],
)
def test_target_date_shapes(text):
    found = {(n.value, n.kind) for n in find_target_numbers(text)}
    assert {(20, "day"), (5, "month"), (2023, "year")} <= found


def test_target_times_ordinals_and_decades():
    got = [(n.value, n.kind) for n in find_target_numbers("at 9:30 p.m., the 20th, 20 世纪 70 年代, 晚上9点半")]
    assert got[:5] == [(9, "time"), (30, "time"), (20, "ordinal"), (1970, "year"), (9, "time")]


def test_a_number_spelt_out_is_soft_and_a_digit_is_not():
    soft = {n.value: n.soft for n in find_target_numbers("five people and 7 cars")}
    assert soft == {Decimal(5): True, Decimal(7): False}


# --- rendering -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "locale,expected",
    [
        ("en", "It happened on May 20, 2023."),
        ("en_IN", "It happened on 20 May 2023."),
        ("zh_Hans", "It happened on 2023年5月20日."),
    ],
)
def test_dates_rendered_for_the_locale(locale, expected):
    style = "compact" if locale.startswith("zh") else "decimal"
    assert localise_numbers("It happened on 20-05-2023.", "તા. 20-05-2023 ના રોજ", locale, style) == expected


def test_date_without_a_year_and_a_date_not_in_the_source():
    assert localise_numbers("on 20 May", "20મી મે ના રોજ", "en", "decimal") == "on May 20"
    assert localise_numbers("on 21 May", "20મી મે ના રોજ", "en", "decimal") == "on 21 May"


def test_en_in_lakh_style():
    mt = "300000 people, 25000000 rupees and 5026 posts"
    src = "300000 લોકો, 25000000 રૂપિયા અને 5026 ચોકીઓ"
    assert (
        localise_numbers(mt, src, "en_IN", "lakh") == "3\u202flakh people, 2.5\u202fcrore rupees and 5,026 posts"
    )  # Babel's narrow NBSP
    assert localise_numbers(mt, src, "en_IN", "indian") == "3,00,000 people, 2,50,00,000 rupees and 5,026 posts"


def test_years_ordinals_times_phones_and_codes_are_never_grouped():
    src = "2023માં 1500મી વાર 10:30 વાગ્યે ફોન 0261234567, ખાતું 12345678901, કુલ 12000"
    mt = "In 2023, for the 1500th time at 10:30, phone 0261234567, account 12345678901, total 12000"
    assert localise_numbers(mt, src, "en", "decimal") == (
        "In 2023, for the 1500th time at 10:30, phone 0261234567, account 12345678901, total 12,000"
    )


def test_prepare_for_model_masks_spans_and_plain_digits():
    assert prepare_for_model("જુઓ https://x.org/a1 અને %(n)s: ૧,૨૦૦") == "જુઓ [1] અને [2]: 1200"


# --- never invent a number ----------------------------------------------------------------------

from collections import Counter  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_GU = [
    "૩,૦૦,૦૦૦",
    "12.5 ટકા",
    "10-15",
    "20મી",
    "₹500",
    "2 લાખ",
    "20 મે 2023",
    "તા. 20-05-2023",
    "9:30",
    "https://a.example/c1",
    "%s",
    "પાંચ",
    "છે",
    "2023",
    "0261234567",
    "12000",
    "5026",
    ".",
    "૩ લાખ ૨૦ હજાર કરોડ",
    "2019-20",
    "40 મીલીયન",
    "સાડા 3 લાખ",
    "રમેશ,24,",
    "34 લાખથી",
]
_MT = [
    "300000",
    "3 lakh",
    "1.5 million",
    "30万",
    "1.2亿",
    "五",
    "May 20, 2023",
    "20-05-2023",
    "2023年5月20日",
    "9:30 am",
    "20th",
    "five",
    "https://a.example/c1",
    "[1]",
    "2023",
    "0261234567",
    "12000",
    "5026",
    "31-02-2023",
    "3,20,000 crore",
    "2019-20",
    "£40m",
    "350000",
    "Delhi,24,",
    "340多万",
    "a 1.5-lakh",
    "２０２３年",
]


def _digit_values(text):
    return Counter(n.value for n in find_target_numbers(text, words=False) if not n.soft)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_GU), min_size=1, max_size=6),
    st.lists(st.sampled_from(_MT), min_size=1, max_size=6),
    st.sampled_from([("en", "decimal"), ("en_IN", "indian"), ("en_IN", "lakh"), ("zh_Hans", "compact")]),
)
def test_localising_changes_how_numbers_look_never_their_values(source, mt, target):
    source, mt = " ".join(source), " ".join(mt)
    out = localise_numbers(mt, source, *target)
    assert _digit_values(out) == _digit_values(mt)
