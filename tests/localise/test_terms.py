"""Fixed glossary terms never reach the model: a numbered marker after the spans' markers stands
in their place, and the locale's term is put back there."""

from __future__ import annotations

from pipeline.glossary import Glossary, Term
from pipeline.localise.numformat import prepare_for_model
from pipeline.localise.spans import restore_spans
from pipeline.localise.terms import protect_terms, restore_terms
from pipeline.qa.checks import CheckContext, run_checks

GLOSSARY = Glossary(
    "g",
    (
        Term("જાહેર સુરક્ષા મંત્રાલય", (("en", "Ministry of Public Security"), ("zh_Hans", "公安部")), fixed=True),
        Term("ચીન", (("en", "China"), ("zh_Hans", "中国")), fixed=True),
        Term("સુરક્ષા અંગો", (("en", "security organs"),)),  # not fixed: the model translates it
        Term("બેઇજિંગ", (("zh_Hans", "北京"),), fixed=True),  # no English: not protected for en
    ),
)
SOURCE = "જાહેર સુરક્ષા મંત્રાલયે https://mps.gov.cn પર ચીનના સુરક્ષા અંગો અને બેઇજિંગ વિશે લખ્યું."


def model_input(locale: str) -> str:
    return protect_terms(SOURCE, prepare_for_model(SOURCE), GLOSSARY, locale)


def test_the_model_sees_markers_numbered_after_the_spans_and_keeps_the_endings():
    assert model_input("en") == "[2] [1] પર [3]ના સુરક્ષા અંગો અને બેઇજિંગ વિશે લખ્યું."
    assert model_input("zh_Hans") == "[2] [1] પર [3]ના સુરક્ષા અંગો અને [4] વિશે લખ્યું."
    assert protect_terms(SOURCE, prepare_for_model(SOURCE), None, "en") == prepare_for_model(SOURCE)


def test_the_locale_term_is_put_back_where_the_model_left_the_marker():
    output = "The [2] wrote about the security organs of [3 ] at [1]."
    text = restore_spans(SOURCE, restore_terms(SOURCE, output, GLOSSARY, "en"))
    assert text == "The Ministry of Public Security wrote about the security organs of China at https://mps.gov.cn."
    zh = restore_spans(SOURCE, restore_terms(SOURCE, "［2］在[1]上写了关于[3]和[4]。", GLOSSARY, "zh_Hans"))
    assert zh == "公安部在https://mps.gov.cn上写了关于中国和北京。"
    assert run_checks(SOURCE, text, context=CheckContext("en", GLOSSARY)) == ()


def test_a_marker_the_model_lost_is_reported_naming_the_expected_term():
    text = restore_spans(SOURCE, restore_terms(SOURCE, "The ministry wrote about [3] at [1].", GLOSSARY, "en"))
    findings = run_checks(SOURCE, text, context=CheckContext("en", GLOSSARY))
    assert [(f.check, f.message) for f in findings] == [
        (
            "terminology",
            "glossary term જાહેર સુરક્ષા મંત્રાલય is 'Ministry of Public Security' in en; not in the translation",
        ),
        ("terminology", "glossary term સુરક્ષા અંગો is 'security organs' in en; not in the translation"),
    ]
    assert run_checks(SOURCE, text) == ()  # no glossary, no terminology findings
