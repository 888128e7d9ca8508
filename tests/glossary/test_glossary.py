"""Glossaries: CSV and TBX read into terms, bad rows named by file and line, and Gujarati terms
found in their inflected forms but never inside another word."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.glossary import Glossary, Term, load_glossary
from pipeline.glossary.matching import find_terms

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "glossary.csv"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_columns_are_locales_with_optional_note_and_fixed(tmp_path):
    g = load_glossary(
        write(
            tmp_path,
            "g.csv",
            "gu,en,zh-Hans,note,fixed\n"
            "જાહેર સુરક્ષા મંત્રાલય,Ministry of Public Security,公安部,a ministry,yes\n"
            "\n"
            '"સુરક્ષા  અંગો",public security organs,,,\n',
        )
    )
    ministry, organs = g.terms
    assert ministry == Term(
        "જાહેર સુરક્ષા મંત્રાલય", (("en", "Ministry of Public Security"), ("zh_Hans", "公安部")), "a ministry", True, 2
    )
    assert organs.source == "સુરક્ષા અંગો" and not organs.fixed and organs.line == 4
    assert ministry.target("en_IN") == "Ministry of Public Security"  # falls back to the language
    assert ministry.target("zh_Hans") == "公安部" and organs.target("zh_Hans") is None
    assert load_glossary(EXAMPLE).terms[0].target("zh_Hans") == "公安部"  # the shipped one reads
    changed = load_glossary(write(tmp_path, "h.csv", "gu,en\nજાહેર સુરક્ષા મંત્રાલય,Public Security Ministry\n"))
    assert changed.digest != g.digest


@pytest.mark.parametrize(
    "text,line,message",
    [
        ("en,zh_Hans\nx,y\n", 1, "no 'gu' column"),
        ("gu,en,colour\nક,a,b\n", 1, "'colour' is not a locale"),
        ("gu,en\nક,a\nખ,b,c\n", 3, "3 fields where the header has 2"),
        ("gu,en,fixed\nક,a,maybe\n", 2, "fixed is 'maybe'"),
        ("gu,en\nક,a\nખ,b\nક,c\n", 4, "term 'ક' is already defined on line 2"),
        ("gu,en\n,a\n", 2, "no Gujarati term"),
        ('gu,en\nક,"a\n', 2, "not valid CSV"),
    ],
)
def test_a_bad_csv_row_is_an_error_naming_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, "g.csv", text)
    with pytest.raises(PipelineError, match=message) as err:
        load_glossary(path)
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_a_glossary_that_is_not_utf8_or_missing_is_an_error(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("gu,en\nક,a\n".encode("utf-16"))
    with pytest.raises(PipelineError, match="not UTF-8"):
        load_glossary(path)
    with pytest.raises(PipelineError, match="glossary file not found"):
        load_glossary(tmp_path / "none.csv")


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="gu">
  <martifHeader><fileDesc><sourceDesc><p>exported</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">a ministry</descrip>
      <langSet xml:lang="gu"><tig><term>જાહેર સુરક્ષા મંત્રાલય</term>
        <termNote type="partOfSpeech">properNoun</termNote></tig></langSet>
      <langSet xml:lang="en"><tig><term>Ministry of Public Security</term></tig></langSet>
      <langSet xml:lang="zh-Hans"><tig><term>公安部</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="gu"><tig><term>જાહેર સુરક્ષા અંગો</term>
        <termNote type="partOfSpeech">noun</termNote></tig></langSet>
      <langSet xml:lang="en"><tig><term>public security organs</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>exported</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="gu"><termSec><term>જાહેર સુરક્ષા મંત્રાલય</term>
        <termNote type="partOfSpeech">properNoun</termNote></termSec></langSec>
      <langSec xml:lang="zh-Hans"><termSec><term>公安部</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_basic_v2_and_v3_read_alike(tmp_path):
    v2 = load_glossary(write(tmp_path, "g.tbx", TBX2))
    ministry, organs = v2.terms
    assert ministry == Term(
        "જાહેર સુરક્ષા મંત્રાલય", (("en", "Ministry of Public Security"), ("zh_Hans", "公安部")), "a ministry", True, 5
    )
    assert organs.source == "જાહેર સુરક્ષા અંગો" and not organs.fixed
    (only,) = load_glossary(write(tmp_path, "g3.tbx", TBX3)).terms
    assert only.fixed and only.target("zh_Hans") == "公安部" and only.target("en") is None


@pytest.mark.parametrize(
    "text,line,message",
    [
        (TBX2.replace("</termEntry>\n    <termEntry", "</termEntry>\n    <termEntry<"), 12, "not valid TBX"),
        (TBX2.replace("<tig><term>public security organs</term></tig>", ""), 15, "has no <term>"),
        (
            TBX2.replace('<langSet xml:lang="gu"><tig><term>જાહેર સુરક્ષા અંગો', '<langSet xml:lang="gu"><tig><term>'),
            13,
            "has no <term>",
        ),
        (
            TBX2.replace(
                '<termEntry id="c2">', '<termEntry id="c2"><langSet xml:lang="hi"><tig><term>x</term></tig></langSet>'
            ).replace('xml:lang="gu"><tig><term>જાહેર સુરક્ષા અંગો', 'xml:lang="en-GB"><tig><term>x'),
            12,
            "no Gujarati term",
        ),
        ("<glossary/>", 1, "not TBX"),
    ],
)
def test_a_bad_tbx_entry_is_an_error_naming_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, "g.tbx", text)
    with pytest.raises(PipelineError, match=message) as err:
        load_glossary(path)
    assert str(err.value).startswith(f"{path}:{line}: ")


MINISTRY = Glossary(
    "g", (Term("મંત્રાલય", (("en", "ministry"),)), Term("જાહેર સુરક્ષા મંત્રાલય", (("en", "Ministry of Public Security"),)))
)


@pytest.mark.parametrize(
    "text,found",
    [
        ("મંત્રાલય", "મંત્રાલય"),
        ("મંત્રાલયે જાહેર કર્યું", "મંત્રાલયે"),
        ("મંત્રાલયની વેબસાઈટ", "મંત્રાલયની"),
        ("મંત્રાલયમાં", "મંત્રાલયમાં"),
        ("મંત્રાલયોમાંથી", "મંત્રાલયોમાંથી"),
        ("(મંત્રાલય)", "મંત્રાલય"),
    ],
)
def test_a_term_is_found_with_its_case_ending_or_postposition(text, found):
    (match,) = find_terms(text, MINISTRY)
    assert text[match.start : match.end] == found and text[match.start : match.stem_end] == "મંત્રાલય"


@pytest.mark.parametrize("text", ["ઉપમંત્રાલય", "મંત્રાલયવાળું", "મંત્રાલયxyz", "મંત્રી"])
def test_a_term_is_never_found_inside_another_word(text):
    assert find_terms(text, MINISTRY) == []


def test_the_longer_term_wins_and_only_the_last_word_inflects():
    text = "જાહેર સુરક્ષા મંત્રાલયે કહ્યું કે મંત્રાલય અને જાહેરમાં સુરક્ષા મંત્રાલયનું"
    found = [(m.term.source, text[m.start : m.end]) for m in find_terms(text, MINISTRY)]
    assert found == [("જાહેર સુરક્ષા મંત્રાલય", "જાહેર સુરક્ષા મંત્રાલયે"), ("મંત્રાલય", "મંત્રાલય"), ("મંત્રાલય", "મંત્રાલયનું")]


def test_terms_with_digits_hyphens_or_no_letters_are_found_too():
    g = Glossary(
        "g",
        (
            Term("કોવિડ-19", (("en", "COVID-19"),)),
            Term("₹", (("en", "INR"),)),
            Term("સ્માર્ટ સિટી મિશન", (("en", "Smart Cities Mission"),)),
        ),
    )
    text = "કોવિડ-19માં ₹ 5 અને સ્માર્ટ સિટી મિશનની વાત"
    assert [text[m.start : m.end] for m in find_terms(text, g)] == ["કોવિડ-19માં", "₹", "સ્માર્ટ સિટી મિશનની"]
