from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.ingest import artefact_matcher, read_document
from pipeline.segment.splitter import SPACE_LIKE, clean_segment_text, segment_document, split_sentences

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "smart-communities.gu.txt"


def texts(s):
    return [s[a:b] for a, b in split_sentences(s)]


def test_splits_at_full_stops_and_danda():
    assert texts("આ પહેલું વાક્ય છે. આ બીજું છે। ત્રીજું?") == ["આ પહેલું વાક્ય છે.", "આ બીજું છે।", "ત્રીજું?"]


@pytest.mark.parametrize("mark", [".", "।", "॥", "?", "!", "…", "...", "?!", "।।"])
def test_every_terminator_ends_a_sentence(mark):
    assert texts(f"આ પહેલું વાક્ય છે{mark} આ બીજું છે.") == [f"આ પહેલું વાક્ય છે{mark}", "આ બીજું છે."]


@pytest.mark.parametrize("closer", ['"', "”", "’", ")", "]", "»", '")'])
def test_closing_quotes_and_brackets_stay_with_their_sentence(closer):
    assert texts(f"તેણે આમ કહ્યું છે.{closer} પછી ગયા.") == [f"તેણે આમ કહ્યું છે.{closer}", "પછી ગયા."]


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


def test_bad_input_is_reported_with_file_and_offset(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("સારું\n".encode() + b"\xff\xfe oops")
    with pytest.raises(PipelineError, match=r"bad.txt:2: not valid UTF-8 at byte offset 16"):
        read_document(bad, "bad.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(PipelineError, match="empty"):
        read_document(empty, "empty.txt")


def test_sentence_ending_in_gujarati_digits_still_splits():
    assert texts("આ વર્ષ ૨૦૨૪. આ નવું વાક્ય છે.") == ["આ વર્ષ ૨૦૨૪.", "આ નવું વાક્ય છે."]
    assert texts("દર 12.5. હવે બીજું.") == ["દર 12.5.", "હવે બીજું."]


@pytest.mark.parametrize(
    "abbreviation",
    [
        "ડૉ.",
        "ડો.",
        "શ્રી.",
        "શ્રીમતી.",
        "પ્રો.",
        "રૂ.",
        "તા.",
        "નં.",
        "કિ.મી.",
        "દા.ત.",
        "યુ.એસ.",
        "યુ.એન.",
        "એ. બી.",
        "ડબલ્યુ.",
        "ક.",
        "મિ.",
        "ડૉ૰",
        "નં૰",
        "એ.એફ.સી.",
        "Dr.",
        "U.S.",
        "etc.",
        "e.g.",
        "J.",
        "(ફે.)",
    ],
)
def test_no_split_after_abbreviations_and_initials(abbreviation):
    text = f"આજે {abbreviation} મહેતા આવ્યા. પછી તેઓ ગયા."
    assert texts(text) == [f"આજે {abbreviation} મહેતા આવ્યા.", "પછી તેઓ ગયા."]


def test_a_one_letter_word_that_ends_sentences_is_not_an_initial():
    assert texts("એ તો રહેવાનું જ. નિરાશા ન રાખો.") == ["એ તો રહેવાનું જ.", "નિરાશા ન રાખો."]


def test_a_postposition_after_a_stop_continues_the_sentence():
    assert texts("તે એ.એફ.સી.એફ.ટી.એ. માં જોડાશે. બીજું.") == ["તે એ.એફ.સી.એફ.ટી.એ. માં જોડાશે.", "બીજું."]
    assert texts("Dr. smith આવ્યા.") == ["Dr. smith આવ્યા."]  # lower-case Latin goes on


@pytest.mark.parametrize(
    "sentence",
    [
        "સવારે 9:30 અને 9.30 વાગ્યે મળીશું.",
        "દર ૧૨.૫ ટકા અને 3,00,000 લોકો.",
        "કુલ 1,23,456.78 રૂપિયા થયા.",
        "https://example.com/a.b?x=1&y=2 પર માહિતી છે.",
        "વિગતો www.gujarat.gov.in/news પર છે.",
        "info@example.org અથવા shah.r@mail.co.in પર લખો.",
        "ફાઇલ report.v2.pdf અને data.csv ખોલો.",
    ],
)
def test_no_split_inside_numbers_times_urls_emails_and_file_names(sentence):
    assert texts(f"{sentence} બીજું વાક્ય.") == [sentence, "બીજું વાક્ય."]


def test_a_url_or_email_at_the_end_of_a_sentence_lets_it_end():
    assert texts("જુઓ www.example.com. બીજું.") == ["જુઓ www.example.com.", "બીજું."]
    assert texts("લખો info@example.org. બીજું.") == ["લખો info@example.org.", "બીજું."]


@pytest.mark.parametrize(
    "sentence",
    ["તે આવ્યો... અને ગયો.", "તે આવ્યો… કે નહીં?", "રાહ ... જોઈ.", "મહત્વ શીખવ્યુ છે,.... વાચન ગમે છે.", "ગણો 1, 2... 10 સુધી."],
)
def test_an_ellipsis_inside_a_sentence_does_not_split(sentence):
    assert texts(f"{sentence} બીજું વાક્ય.") == [sentence, "બીજું વાક્ય."]


def test_list_numbers_are_not_sentences():
    assert texts("1. પહેલું કામ. 2. બીજું કામ.") == ["1. પહેલું કામ.", "2. બીજું કામ."]
    assert texts("૩. ત્રીજું કામ") == ["૩. ત્રીજું કામ"]


def test_a_citation_or_aside_after_the_stop_stays_with_its_sentence():
    assert texts("સમય ઓછો છે. (બ્રીમર, 1998) ઇન્ટરનેટ વધ્યું.") == ["સમય ઓછો છે. (બ્રીમર, 1998)", "ઇન્ટરનેટ વધ્યું."]
    assert texts("આ વિકલ્પ નથી. (નીચે જુઓ)") == ["આ વિકલ્પ નથી. (નીચે જુઓ)"]
    assert texts("આ છે. (આ અલગ વાક્ય છે.) પછી.") == ["આ છે.", "(આ અલગ વાક્ય છે.)", "પછી."]


def test_blank_lines_and_list_lines_are_hard_breaks_single_line_breaks_are_not():
    assert texts("મોટું શીર્ષક\n\nઆ વાક્ય છે.") == ["મોટું શીર્ષક", "આ વાક્ય છે."]
    assert texts("આ યાદી છે\n• પહેલું\n- બીજું\n3. ત્રીજું") == ["આ યાદી છે", "• પહેલું", "- બીજું", "3. ત્રીજું"]
    assert texts("આ વાક્ય\nબીજી લીટીમાં ચાલુ છે.") == ["આ વાક્ય\nબીજી લીટીમાં ચાલુ છે."]
    assert texts("શીર્ષક\r\n\r\nવાક્ય.") == texts("શીર્ષક\u2029વાક્ય.") == ["શીર્ષક", "વાક્ય."]


def test_headlines_bullets_and_list_items_are_segments_of_their_own(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(
        "સમાચાર શીર્ષક\n• પહેલો મુદ્દો\n• બીજો મુદ્દો\n1) ત્રીજો\nwps_doc_3\nપાનું 2\nઆ વાક્ય છે. બીજું.\n", encoding="utf-8"
    )
    doc = read_document(source, "a.txt")
    segs = [s.text for s in segment_document(doc)]
    assert segs == ["સમાચાર શીર્ષક", "• પહેલો મુદ્દો", "• બીજો મુદ્દો", "1) ત્રીજો", "આ વાક્ય છે.", "બીજું."]
    artefacts = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "artefact"]
    assert artefacts == ["wps_doc_3", "પાનું 2"]  # out of translation, still in the document structure


def test_artefact_patterns_are_configurable(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("જાહેરાત\nઆ વાક્ય છે.\n", encoding="utf-8")
    assert [s.text for s in segment_document(read_document(source, "a.txt"))] == ["જાહેરાત", "આ વાક્ય છે."]
    doc = read_document(source, "a.txt", artefacts=artefact_matcher([r"જાહેરાત|Advertisement"]))
    assert [s.text for s in segment_document(doc)] == ["આ વાક્ય છે."]
    assert [b.kind for b in doc.blocks] == ["artefact", "paragraph"]
    with pytest.raises(PipelineError, match=r"artefact pattern '\(' is not a valid"):
        artefact_matcher(["("])


def test_nbsp_and_zero_width_spaces_separate_sentences_and_are_cleaned_invisibly():
    text = "આ\u00a0વાક્ય છે.\u00a0બીજું\u200b વાક્ય.\u200b"
    assert texts(text) == ["આ\u00a0વાક્ય છે.", "બીજું\u200b વાક્ય."]  # the trailing ZWSP is left out
    assert clean_segment_text(texts(text)[1]) == "બીજું વાક્ય."
    assert clean_segment_text("આ\u00a0વાક્ય\u202fછે\u00ad.") == "આ વાક્ય છે."
    # ZWJ/ZWNJ shape conjuncts between letters: kept there, dropped where they join nothing
    assert clean_segment_text("ક્\u200dષ \u200cઆ\u200d.") == "ક્\u200dષ આ."
    assert clean_segment_text("સાદું વાક્ય.") == "સાદું વાક્ય."
    assert clean_segment_text("\u200d આ.") == "આ."


def test_segment_text_is_cleaned_but_offsets_point_at_the_source_as_read(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("આ\u00a0વાક્ય છે. બીજું\u200bવાક્ય.\n", encoding="utf-8")
    doc = read_document(source, "a.txt")
    segs = list(segment_document(doc))
    assert [s.text for s in segs] == ["આ વાક્ય છે.", "બીજુંવાક્ય."]
    assert [doc.text[s.start : s.end] for s in segs] == ["આ\u00a0વાક્ય છે.", "બીજું\u200bવાક્ય."]


PIECES = [
    "આ",
    "છે",
    ".",
    " ",
    "ડૉ.",
    "।",
    "॥",
    "2024",
    "૧૨.૫",
    "?",
    "!",
    '"',
    "”",
    "(",
    ")",
    "\n",
    "\n\n",
    "x",
    "…",
    "...",
    "• ",
    "1. ",
    "યુ.એસ.",
    " માં",
    "www.a.com",
    ",",
    "\u00a0",
    "\u200b",
    "\u200d",
    "જ",
    "(બ્રીમર, 1998)",
    ' " ',
    "રેવ.",
    "દા. ત.",
    "ઓક્ટ.",
    " તેમ",
    "છતાં",
    '""',
]


def blank(gap: str) -> bool:
    return gap.translate({ord(c): " " for c in SPACE_LIKE}).strip() == ""


def rebuilt_from(text, spans, is_gap=blank):
    """The text rebuilt from `spans` and the gaps between them; every gap must pass `is_gap`."""
    out, pos = [], 0
    for a, b in spans:
        assert pos <= a < b
        assert is_gap(text[pos:a])
        assert text[a:b] == text[a:b].strip() and text[a:b].strip(SPACE_LIKE)
        out.append(text[pos:b])
        pos = b
    assert is_gap(text[pos:])
    return "".join(out) + text[pos:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_offsets_rebuild_the_input(pieces):
    text = "".join(pieces)
    assert rebuilt_from(text, split_sentences(text)) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["wps_doc_1", "• 3"]), max_size=40))
def test_document_segments_and_artefacts_rebuild_the_decoded_source(pieces):
    text = "".join(pieces)
    if not text.strip():
        return
    doc = read_document(Path("x.txt"), "x.txt", text.encode("utf-8"))
    segs = list(segment_document(doc))
    artefacts = [(b.start, b.end) for b in doc.blocks if b.kind == "artefact"]
    spans = sorted([(s.start, s.end) for s in segs] + artefacts)
    # a line of nothing but invisible characters (a lone ZWJ) is no segment: it counts as blank here
    assert rebuilt_from(doc.text, spans, lambda gap: clean_segment_text(gap).strip() == "") == doc.text
    for s in segs:
        assert s.text == clean_segment_text(doc.text[s.start : s.end])
        assert s.text and s.text == s.text.strip()


def test_a_format_placeholder_after_a_stop_starts_a_sentence_but_a_percent_sign_continues():
    assert texts("લોકો આવ્યા. %(name)s ને મળ્યા.") == ["લોકો આવ્યા.", "%(name)s ને મળ્યા."]
    assert texts("દર 5. % વધ્યો.") == ["દર 5. % વધ્યો."]
