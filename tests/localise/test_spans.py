"""Protected spans: found, masked for the model, restored exactly, and what the model lost flagged."""

from __future__ import annotations

import pytest

from pipeline.localise.spans import find_spans, mask, restore, restore_spans
from pipeline.qa.checks import run_checks

SOURCE = "વિગતો https://example.gov.in/a?b=1 પર, <b>%(count)s</b> અરજીઓ {name} માટે, info@example.org [2]"


def test_each_kind_of_span_is_found_exactly():
    assert [(s.kind, s.text) for s in find_spans(SOURCE)] == [
        ("url", "https://example.gov.in/a?b=1"),
        ("markup", "<b>"),
        ("placeholder", "%(count)s"),
        ("markup", "</b>"),
        ("placeholder", "{name}"),
        ("email", "info@example.org"),
        ("citation", "[2]"),
    ]


@pytest.mark.parametrize("text", ["વધારો 50% સુધી", "વેચાણ 20% of", "a < b > c", "{ }", "ખર્ચ ₹500"])
def test_ordinary_text_is_not_a_span(text):
    assert find_spans(text) == []


def test_url_stops_before_sentence_punctuation():
    assert [s.text for s in find_spans("જુઓ www.example.com.")] == ["www.example.com"]


def test_url_stops_before_chinese_punctuation():
    assert [
        s.text for s in find_spans("详情见https://gujarat.gov.in。另见www.example.com，联系info@example.org。")
    ] == ["https://gujarat.gov.in", "www.example.com", "info@example.org"]
    assert run_checks("વિગતો https://gujarat.gov.in પર છે.", "详情见https://gujarat.gov.in。") == ()


def test_mask_then_a_copying_model_restores_the_source_exactly():
    masked, spans = mask(SOURCE)
    assert "https" not in masked and "%(count)s" not in masked and masked.count("[") == 7
    assert restore(masked, spans).text == SOURCE


@pytest.mark.parametrize("marker", ["[3]", "[ 3 ]", "［3］", "［ 3］"])
def test_restore_accepts_how_models_rewrite_a_marker(marker):
    _, spans = mask(SOURCE)
    out = f"[1] [2]{marker}[4] [5] [6] [7]"
    assert restore(out, spans).text.startswith("https://example.gov.in/a?b=1 <b>%(count)s</b>")


def test_lost_and_repeated_markers_are_reported_never_guessed():
    _, spans = mask("લિંક https://a.example/x અને %s")
    result = restore("link [2] and [2] and [9]", spans)
    assert result.text == "link %s and %s and [9]"
    assert [s.text for s in result.missing] == ["https://a.example/x"]
    assert [s.text for s in result.repeated] == ["%s"]


def test_restore_spans_from_the_source_alone():
    assert restore_spans("જુઓ {name}", "see [1]") == "see {name}"


def test_placeholders_check_flags_a_lost_or_altered_span_and_passes_exact_copies():
    assert [f.check for f in run_checks("નમસ્તે %(name)s!", "Hello %(name)s!")] == []
    findings = run_checks("નમસ્તે %(name)s!", "Hello %(nom)s!")
    assert [f.check for f in findings] == ["placeholders", "placeholders"]
    assert "%(name)s" in findings[0].message and "%(nom)s" in findings[1].message
    assert [f.check for f in run_checks('<a href="x">અહીં</a> જુઓ.', "See here.")] == ["placeholders"]


def test_weblates_tokens_for_markup_are_protected_and_a_lost_one_is_flagged():
    """Weblate sends `Click <a href="x">here</a>` as `Click [X0X]here[X1X]` (its tokens for markup
    and format strings) and puts the markup back into the answer: the tokens must come back whole."""
    source = "ક્લિક [X0X]અહીં[X1X] કરો, [X12X] [2]"
    masked, spans = mask(source)
    assert masked == "ક્લિક [1]અહીં[2] કરો, [3] [4]"
    assert [(s.kind, s.text) for s in spans][:3] == [
        ("placeholder", "[X0X]"),
        ("placeholder", "[X1X]"),
        ("placeholder", "[X12X]"),
    ]
    assert restore("Click [1]here[2], [3] [4]", spans).text == "Click [X0X]here[X1X], [X12X] [2]"
    findings = run_checks(source, "Click here[X1X], [X12X] [2]")
    assert [(f.check, "[X0X]" in f.message) for f in findings] == [("placeholders", True)]
