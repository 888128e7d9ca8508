from decimal import Decimal

import pytest

from pipeline.numbers import find_source_numbers, find_target_numbers, localise_numbers, prepare_for_model
from pipeline.qa import run_checks


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


def test_chinese_compact_forms_only_when_exact():
    source = "21000 740000 218000 120000000 218345"
    mt = "21000 740000 218000 120000000 218345"
    assert localise_numbers(mt, source, "zh_Hans", "compact") == "2.1万 74万 21.8万 1.2亿 218345"


def test_a_number_not_in_the_source_is_never_rewritten():
    assert localise_numbers("About 300001 people", "લગભગ 300000 લોકો", "en", "decimal") == "About 300001 people"


def test_target_values_in_words_and_chinese_units():
    assert values(find_target_numbers("3 lakh, 1.5 million, 30万, 1.2亿")) == [
        Decimal(300000), Decimal(1500000), Decimal(300000), Decimal(120000000)]


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
