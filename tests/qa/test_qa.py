"""QA checks on (Gujarati source, translation) pairs: numbers by value, punctuation, length, script."""

from __future__ import annotations

import pytest

from pipeline.qa.checks import run_checks


def checks(source, translation):
    return [f.check for f in run_checks(source, translation)]


@pytest.mark.parametrize(
    "source,translation",
    [
        ("ઓછામાં ઓછા પાંચ લોકો ઘાયલ થયા.", "At least five people were injured."),
        ("ઓછામાં ઓછા 5 લોકો ઘાયલ થયા.", "At least five people were injured."),
        ("2 હજાર લોકો આવ્યા.", "Two thousand people came."),
        ("2 હજાર લોકો આવ્યા.", "两千人来了。"),
        ("3 લાખ લોકો આવ્યા.", "三十万人来了。"),
        ("3 લાખ લોકો આવ્યા.", "300 thousand people came."),
        ("10 અબજ યુરો.", "100 亿欧元。"),
        ("તા. 20-05-2023 ના રોજ સવારે 9:30 વાગ્યે.", "On May 20, 2023 at 9:30 a.m."),
        ("તા. 20-05-2023 ના રોજ સવારે 9:30 વાગ્યે.", "2023年5月20日上午9点30分。"),
        ("1960ના દાયકામાં.", "在 20 世纪 60 年代。"),
        ("2 થી 3 મિલિયન વર્ષ જૂના.", "Two million to three million years old."),
        ("એક વ્યક્તિ આવી.", "A person came."),
        ("COVID-19 વિશે ચિંતા.", "Concern about the coronavirus."),
    ],
)
def test_right_translations_pass(source, translation):
    assert checks(source, translation) == []


@pytest.mark.parametrize(
    "source,translation,message",
    [
        ("3 લાખ લોકો આવ્યા.", "30 thousand people came.", "300000"),
        ("ઓછામાં ઓછા પાંચ લોકો ઘાયલ થયા.", "At least four people were injured.", "missing"),
        ("તેઓ આવ્યા.", "All 12 of them came.", "not in source: 12"),
        ("તા. 20-05-2023 ના રોજ.", "On June 20, 2023.", "month 5"),
        ("સવારે 9:30 વાગ્યે.", "At 9:45 a.m.", "30"),
        ("2 હજાર લોકો આવ્યા.", "两百人来了。", "2000"),
    ],
)
def test_wrong_numbers_are_flagged(source, translation, message):
    findings = run_checks(source, translation)
    assert [f.check for f in findings if f.check == "numbers"] and any(message in f.message for f in findings)


def test_punctuation():
    assert checks("શું તે આવ્યો?", "Did he come?") == []
    assert checks("તે આવ્યો।", "他来了。") == []
    assert checks("તે આવ્યો।", "He came") == ["punctuation"]
    assert checks("તે આવ્યો।", "他来了.") == ["punctuation"]
    assert checks("શું તે આવ્યો?", "He came.") == ["punctuation"]


def test_length_ratio_and_loops():
    source = "આ એક લાંબું વાક્ય છે જેમાં ઘણા બધા શબ્દો છે અને વધુ શબ્દો પણ છે."
    assert "repetition" in checks(source, "It.")
    assert "repetition" in checks(source, "This is a long sentence. " * 12)
    assert "repetition" in checks("તે આવ્યો.", "他来了他来了他来了他来了他来了。")


def test_empty_and_untranslated():
    assert checks("તે આવ્યો.", "   ") == ["empty"]
    assert checks("તે આવ્યો.", "") == []  # untranslated entries are counted elsewhere
    assert checks("તે આવ્યો.", "He આવ્યો.") == ["untranslated"]
