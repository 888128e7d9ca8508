from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.ingest import read_document
from pipeline.segment import segment_document, split_sentences

EXAMPLE = Path(__file__).parent.parent / "examples" / "smart-communities.gu.txt"


def texts(s):
    return [s[a:b] for a, b in split_sentences(s)]


def test_splits_at_full_stops_and_danda():
    assert texts("આ પહેલું વાક્ય છે. આ બીજું છે। ત્રીજું?") == ["આ પહેલું વાક્ય છે.", "આ બીજું છે।", "ત્રીજું?"]


def test_sentence_ending_in_number_still_splits():
    assert texts("આ વર્ષ 2024. આ નવું વાક્ય છે.") == ["આ વર્ષ 2024.", "આ નવું વાક્ય છે."]


def test_no_split_when_punctuation_follows_the_stop():
    assert texts("મજબૂત બનાવ્યું છે. , અને તત્વ નિયંત્રણ.") == ["મજબૂત બનાવ્યું છે. , અને તત્વ નિયંત્રણ."]


@pytest.mark.parametrize(
    "text",
    [
        "ડૉ. મહેતા આવ્યા.",
        "શ્રી. પટેલ અને પ્રો. શાહ મળ્યા.",
        "કિંમત રૂ. 500 છે.",
        "એ. બી. શર્મા આવ્યા.",
        "Dr. Smith from the U.S. arrived.",
        "દર ૧૨.૫ ટકા અને 3,00,000 લોકો.",
        "સવારે 9:30 વાગ્યે www.example.com પર info@example.org લખો.",
    ],
)
def test_no_split_inside_abbreviations_numbers_urls(text):
    assert texts(text) == [text]


def test_closing_quote_stays_with_its_sentence():
    assert texts('તેણે કહ્યું "હા." પછી ગયા.') == ['તેણે કહ્યું "હા."', "પછી ગયા."]


def test_sample_article_blocks_artefacts_and_offsets():
    doc = read_document(EXAMPLE, EXAMPLE.name)
    segs = list(segment_document(doc))
    assert [b.kind for b in doc.blocks].count("artefact") == 3  # "• 1", wps_doc_0, wps_doc_11
    assert all("wps_doc" not in s.text for s in segs)
    assert segs[0].text.endswith("બનાવવામાં આવ્યા છે")  # the headline is a segment of its own
    assert segs[-1].text == "પોસ્ટ સમય: મે-20-2023"
    for s in segs:
        assert doc.text[s.start : s.end] == s.text
    assert [s.index for s in segs] == list(range(len(segs)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["આ", "છે", ".", " ", "ડૉ.", "।", "2024", "?", '"', "\n", "x", "…"]), max_size=40))
def test_offsets_rebuild_the_input(pieces):
    text = "".join(pieces)
    spans = split_sentences(text)
    rebuilt, pos = [], 0
    for a, b in spans:
        assert a >= pos and text[pos:a].strip() == ""
        rebuilt.append(text[pos:b])
        pos = b
    assert text[pos:].strip() == ""
    assert "".join(rebuilt) + text[pos:] == text


def test_bad_input_is_reported_with_file_and_offset(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("સારું\n".encode() + b"\xff\xfe oops")
    with pytest.raises(PipelineError, match=r"bad.txt:2: not valid UTF-8 at byte offset 16"):
        read_document(bad, "bad.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(PipelineError, match="empty"):
        read_document(empty, "empty.txt")
