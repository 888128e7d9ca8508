"""Control characters by class (see `pipeline.ingest.controls`): what is kept, what becomes a line
break, what is dropped, and where a warning says it was."""

from __future__ import annotations

from pipeline.ingest import controls
from pipeline.segment.splitter import clean_segment_text


def test_each_class_is_kept_replaced_or_dropped():
    assert controls.clean("a\tb\nc\r\n") == "a\tb\nc\r\n"
    assert controls.clean("a\x0cb\x0bc\x85d\u2028e\u2029f\x1eg") == "a\nb\nc\nd\ne\nf\ng"
    assert controls.clean("a\x07b\x1bc\x7fd\x9be\x80f\ufeffg\x1fh") == "abcdefgh"


def test_scan_names_each_line_once_per_character_and_finds_nothing_in_clean_text():
    data = "ok\nbell\x07 and \x07 again\x1b\n\ufeffat the start is fine\nform\x0cfeed\n".encode()
    found = controls.scan(data)
    assert [(f.line, f.chars) for f in found] == [(2, ("\x07", "\x1b")), (3, ("\ufeff",)), (4, ("\x0c",))]
    assert found[0].describe("a.txt") == (
        "a.txt:2: U+0007 BELL dropped, U+001B ESCAPE dropped (no catalogue may hold a control character)"
    )
    assert "U+000C FORM FEED replaced by a line break" in found[2].describe("a.txt")
    assert controls.scan("\ufeffનવી શાળા.\n\tતૈયાર.\r\n".encode()) == ()  # a leading BOM is the decoder's


def test_scan_finds_every_character_clean_changes_among_gujarati_text_and_typography():
    """The bytes are sieved before they are searched: no control may slip through the sieve,
    whatever text surrounds it (Gujarati letters, curly quotes, a no-break space)."""
    around = "ગુજરાતી \u201cસમાચાર\u201d\u00a0\u2014 "
    assert controls.scan(around.encode()) == ()
    for char in sorted(set(controls.LINE_BREAKS + controls.DROPPED)):
        found = controls.scan((around + "\n" + around + char + around).encode())
        assert [(f.line, f.chars) for f in found] == [(2, (char,))], repr(char)


def test_scan_finds_character_references_to_controls_in_html_only():
    data = b"<p>a&#7;b</p>\n<p>&#x1B;&#8217;&#x85;&#9;&#0;</p>\n"
    assert [(f.line, f.chars, f.referenced) for f in controls.scan(data, html=True)] == [
        (1, ("\x07",), True),
        (2, ("\x1b",), True),
    ]  # 0x85 is windows-1252's ellipsis; tab is text
    assert controls.scan(data) == ()


def test_a_segment_keeps_no_control_a_reference_or_a_client_left_in_it():
    assert clean_segment_text("નવી\x07 શાળા\x0b છે\x00.") == "નવી શાળા  છે."
    assert clean_segment_text("bad \ud800 decode") == "bad \ufffd decode"
    assert clean_segment_text("plain ascii") == "plain ascii"
