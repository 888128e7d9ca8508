"""The catalogue reader: polib's data model, read the way gettext reads it.

Pinned against polib itself on the catalogues in tests/data and on catalogues this project's
writer produces from random entries; the deliberate differences (a comment's trailing spaces,
`#~|` lines, two-digit plural indexes) are tested by name.
"""

from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import pofile
from pipeline.catalog.poformat import format_catalog
from pipeline.catalog.poreader import PoSyntaxError, parse_po
from pipeline.errors import PipelineError

DATA = Path(__file__).resolve().parent.parent / "data"


def fields(e: polib.POEntry) -> tuple:
    return (
        e.msgctxt,
        e.msgid,
        e.msgid_plural,
        e.msgstr,
        sorted(e.msgstr_plural.items()),
        e.comment,
        e.tcomment,
        list(e.occurrences),
        list(e.flags),
        e.previous_msgctxt,
        e.previous_msgid,
        e.previous_msgid_plural,
        bool(e.obsolete),
    )


def polib_view(e: polib.POEntry) -> tuple:
    """What polib can see of an entry: it skips `#~|` lines (tested apart below)."""
    found = fields(e)
    return found[:9] + (None, None, None) + found[12:] if e.obsolete else found


class LinesAtNewlines(str):
    """Text polib splits at "\\n" only (it uses str.splitlines, which also splits at U+2028,
    \\x1e and other characters a msgstr may hold raw)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")


def same_as_polib(text: str) -> None:
    ours, theirs = parse_po(text).po, polib.pofile(LinesAtNewlines(text))
    assert [polib_view(e) for e in ours] == [polib_view(e) for e in theirs]
    assert ours.metadata == theirs.metadata and ours.header == theirs.header
    assert list(ours.metadata_is_fuzzy or []) == list(theirs.metadata_is_fuzzy or [])


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.po")) + sorted(DATA.rglob("*.pot")), ids=lambda p: p.name)
def test_the_catalogues_in_tests_data_read_as_polib_reads_them(path):
    same_as_polib(path.read_text(encoding="utf-8"))


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\x07"), max_size=120)
LINE = st.text(st.characters(blacklist_categories=("Cs", "Zl", "Zp", "Cc")), max_size=40).map(str.strip)
COMMENT = st.lists(LINE.filter(lambda s: s), max_size=3).map("\n".join)


@st.composite
def catalogues(draw):
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": draw(st.sampled_from(["en", "zh_Hans"]))}
    msgids = draw(st.lists(TEXT.filter(bool), unique=True, max_size=8))
    for msgid in msgids:
        entry = polib.POEntry(
            msgid=msgid,
            msgstr=draw(TEXT),
            tcomment=draw(COMMENT),
            comment=draw(COMMENT),
            msgctxt=draw(st.none() | TEXT),
            occurrences=[(f"doc-{i}.html", "") for i in range(draw(st.integers(0, 3)))],
        )
        if entry.msgstr and draw(st.booleans()):
            entry.flags = ["fuzzy"]
        if draw(st.booleans()):
            entry.previous_msgid = draw(TEXT)
        entry.obsolete = draw(st.integers(0, 4)) == 0
        if entry.obsolete:
            entry.occurrences = []
            entry.previous_msgid = None
        po.append(entry)
    return po


@settings(max_examples=150, deadline=None)
@given(catalogues(), st.booleans())
def test_what_the_writer_writes_reads_back_as_polib_reads_it(po, wrap):
    text = format_catalog(po, wrap=wrap)
    same_as_polib(text)
    assert [fields(e) for e in parse_po(text).po] == [fields(e) for e in po if e.msgid]


@settings(max_examples=60, deadline=None)
@given(catalogues())
def test_entries_without_blank_lines_between_them_read_the_same(po):
    text = format_catalog(po)
    assert [fields(e) for e in parse_po(text.replace("\n\n", "\n")).po] == [fields(e) for e in parse_po(text).po]


def test_each_entry_comes_with_its_text():
    text = 'msgid ""\nmsgstr "Language: en\\n"\n\n#. note\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "c"\n#~ msgstr "d"\n'
    assert parse_po(text).blocks == ['#. note\nmsgid "a"\nmsgstr "b"', '#~ msgid "c"\n#~ msgstr "d"']


def test_what_polib_loses_is_kept():
    text = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n#\n# after an empty line\n#. suggestion: ends in a space \nmsgid "a"\nmsgstr "b"\n\n'
        '#~| msgid "old"\n#~ msgid "c"\n#~ msgstr "d"\n\n'
        'msgid "e"\nmsgid_plural "es"\n' + "".join(f'msgstr[{i}] "{i}"\n' for i in range(12))
    )
    po = parse_po(text).po
    assert po[0].comment == "suggestion: ends in a space "
    assert po[0].tcomment == "\nafter an empty line"
    assert po[1].obsolete and po[1].previous_msgid == "old"
    assert po[2].msgstr_plural[11] == "11"


@pytest.mark.parametrize(
    "text, line",
    [
        ('msgid "a"\n', 1),  # no msgstr
        ('msgid "a"\n#. comment\nmsgstr "b"\n', 2),  # comment inside the entry
        ('msgstr "b"\n', 1),  # msgstr without msgid
        ('msgid "a"\nmsgstr "b"\n"c"\nmsgid_plural "x"\n', 4),
        ('#~x comment\nmsgid "a"\nmsgstr "b"\n', 1),  # msgcat: keyword "x" unknown (#x is a comment)
    ],
)
def test_a_broken_entry_is_an_error_naming_its_line(text, line):
    with pytest.raises(PoSyntaxError) as raised:
        parse_po(text)
    assert raised.value.line == line


def test_read_po_names_the_file_and_line_of_a_broken_entry(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\n#. inside\nmsgstr "b"\n', encoding="utf-8")
    with pytest.raises(PipelineError) as raised:
        pofile.read_po(path)
    assert raised.value.line == 5 and "left untouched" in str(raised.value)


@pytest.mark.parametrize(
    "written,value",
    [
        (r"\x41\101", "AA"),  # bytes, as msgcat reads them
        (r"\xe0\xaa\x95", "ક"),  # the UTF-8 bytes of one letter
        (r"\x4142", "B"),  # gettext keeps the low byte of a long \x escape
        (r"\\x41", r"\x41"),  # an escaped backslash, then text
        (r"\\\x41\n", "\\A\n"),
    ],
)
def test_byte_escapes_are_read_as_gettext_reads_them(written, value):
    (entry,) = parse_po(f'msgid "a"\nmsgstr "{written}"\n').po
    assert entry.msgstr == value


@pytest.mark.parametrize("written", [r"\q", r"\x", r"\8", r"\u0041", r"\0", r"\xff"])
def test_escapes_gettext_refuses_are_errors_with_their_line(written):
    with pytest.raises(PoSyntaxError) as caught:
        parse_po(f'msgid "a"\nmsgstr "ok"\n\nmsgid "b"\nmsgstr "x{written}"\n')
    assert caught.value.line == 5


def test_comments_opening_a_file_without_a_header_are_the_first_entrys_as_msgcat_reads_them():
    po = parse_po(
        '# about the first sentence\n#note\n\n#. extracted\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n'
    ).po
    assert po.header == "" and po[0].tcomment == "about the first sentence\nnote" and po[0].comment == "extracted"
    assert po[0].linenum == 1
    with_header = parse_po('# the file\nmsgid ""\nmsgstr "Language: en\\n"\n\n# the entry\nmsgid "a"\nmsgstr "b"\n').po
    assert with_header.header == "the file" and with_header[0].tcomment == "the entry"


def test_an_empty_msgid_with_a_context_is_an_entry_not_the_header():
    """gettext's header is the empty msgid without a context; `msgctxt ""` makes an entry of its own."""
    parsed = parse_po(
        'msgctxt ""\nmsgid ""\nmsgstr "not the header"\n\n'
        'msgid ""\nmsgstr "Language: en\\n"\n\nmsgctxt ""\nmsgid "a"\nmsgstr "b"\n'
    ).po
    assert parsed.metadata == {"Language": "en"}
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in parsed] == [("", "", "not the header"), ("", "a", "b")]
