"""Control characters from scraped pages never reach a catalogue, through the `pipeline` command:
each class is dropped or replaced where the source is decoded, the run says what and where
(file:line), GNU gettext accepts the .pot and .po written, and export still finds every sentence
where it stood. A reviewer's catalogue is kept as msgfmt reads it, or refused by line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

S1 = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."
S2 = "નવી શાળા ગામમાં ખુલી છે."
REVIEWED = (
    f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
    f'msgid "{S1}"\nmsgstr "Gov."\n\nmsgid "{S2}"\nmsgstr "School."\n'
)
# What no catalogue may hold: C0 and C1 controls but tab and newline, DEL (the writer would escape
# \a \b \f \v \r, which msgfmt warns about; the rest it would write raw).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]")
WITHIN = S1.replace("સરકારે ", "સરકારે{} ")  # a control inside the first sentence

DROPPED = {
    "BEL": "\x07",
    "ESC": "\x1b",
    "backspace": "\x08",
    "unit separator": "\x1f",
    "DEL": "\x7f",
    "C1 CSI": "\x9b",
    "C1 PAD": "\x80",
    "BOM in mid-text": "\ufeff",
}
LINE_BREAKS = {
    "form feed": "\x0c",
    "vertical tab": "\x0b",
    "record separator": "\x1e",
    "NEL": "\x85",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
}


@pytest.fixture
def project(tmp_path, new_project) -> Path:
    new_project({})
    po = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(REVIEWED, encoding="utf-8")
    return tmp_path


def run(project: Path, pipeline, code: int = 0):
    return pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, code=code)


def gettext_accepts(*paths: Path) -> None:
    """msgfmt -c without a warning about a string, and msgcat, on each file."""
    if not shutil.which("msgfmt"):
        return
    for path in paths:
        checked = subprocess.run(
            ["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0 and "escape sequence" not in checked.stderr, checked.stderr
        subprocess.run(["msgcat", "-o", os.devnull, str(path)], check=True, capture_output=True)


def catalogued(project: Path) -> list[str]:
    return [e.msgid for e in polib.pofile(str(project / "locales" / "messages.pot"))]


def write_source(project: Path, name: str, text: str) -> Path:
    path = project / "articles" / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("char", list(DROPPED.values()), ids=list(DROPPED))
def test_a_control_character_in_a_sentence_is_dropped_and_named_by_line(project, pipeline, char):
    write_source(project, "a.txt", f"{S2}\n{WITHIN.format(char)}\n")
    ran = run(project, pipeline)
    assert catalogued(project) == [S2, S1]
    assert f"articles/a.txt:2: U+{ord(char):04X} " in ran.err and " dropped" in ran.err
    assert "control characters dropped or replaced in 1 source line(s): articles/a.txt:2" in ran.out
    assert "loading" not in ran.err  # the reviewed entries matched: nothing to translate
    gettext_accepts(project / "locales" / "messages.pot", project / "locales/en/LC_MESSAGES/messages.po")
    pipeline("export", "--format", "txt", "--to", "en", "articles", cwd=project)
    assert (project / "dist/en/a.txt").read_text(encoding="utf-8") == "School.\nGov.\n"


@pytest.mark.parametrize("char", list(LINE_BREAKS.values()), ids=list(LINE_BREAKS))
def test_a_character_that_ends_a_line_becomes_a_line_break(project, pipeline, char):
    write_source(project, "a.txt", f"{S1}{char}{S2}\n")
    ran = run(project, pipeline)
    assert catalogued(project) == [S1, S2]
    assert f"articles/a.txt:1: U+{ord(char):04X} " in ran.err and "replaced by a line break" in ran.err
    gettext_accepts(project / "locales" / "messages.pot", project / "locales/en/LC_MESSAGES/messages.po")
    pipeline("export", "--format", "txt", "--to", "en", "articles", cwd=project)
    assert (project / "dist/en/a.txt").read_text(encoding="utf-8") == "Gov.\nSchool.\n"


def test_controls_in_markdown_and_character_references_in_html_are_kept_out_too(project, pipeline):
    write_source(project, "a.md", f"# {WITHIN.format(chr(0x1B))}\n\n{S2}\n")
    write_source(project, "b.html", f"<p>{WITHIN.format('&#7;')}</p>\n<p>\n{S2.replace(' ', '&#x1B; ', 1)}</p>\n")
    ran = run(project, pipeline)
    assert sorted(catalogued(project)) == sorted([S1, S2])
    assert "articles/a.md:1: U+001B ESCAPE dropped" in ran.err
    assert "articles/b.html:1: written as a character reference, U+0007 BELL dropped" in ran.err
    assert "articles/b.html:3: written as a character reference, U+001B ESCAPE dropped" in ran.err
    gettext_accepts(project / "locales" / "messages.pot", project / "locales/en/LC_MESSAGES/messages.po")
    pipeline("export", "--format", "html", "--to", "en", "articles", cwd=project)
    page = (project / "dist/en/b.html").read_text(encoding="utf-8")
    assert "<p>Gov.</p>" in page and "School." in page and not CONTROL.search(page)


@pytest.mark.parametrize(
    "data, message",
    [
        (S1.encode() + b"\x00\n", "a.txt:1: file looks binary (NUL byte"),  # NUL: refused, as before
        (S1.encode() + b"\n" + b"\xed\xa0\x80\n", "a.txt:2: not valid UTF-8"),  # a lone surrogate, badly encoded
    ],
    ids=["NUL", "lone surrogate"],
)
def test_what_cannot_be_text_is_refused_by_line_and_nothing_is_written(project, pipeline, data, message):
    (project / "articles" / "a.txt").write_bytes(data)
    before = (project / "locales/en/LC_MESSAGES/messages.po").read_bytes()
    ran = run(project, pipeline, code=2)
    assert message in ran.err and "Traceback" not in ran.err
    assert (project / "locales/en/LC_MESSAGES/messages.po").read_bytes() == before
    assert not (project / "locales" / "messages.pot").exists()


def test_a_reviewers_control_character_that_msgfmt_accepts_is_kept(project, pipeline):
    """A reviewer's msgstr is theirs: msgfmt compiles an escape character in it, so the run keeps it."""
    path = project / "locales/en/LC_MESSAGES/messages.po"
    path.write_text(REVIEWED.replace('"Gov."', '"Gov.\x1b"'), encoding="utf-8")
    write_source(project, "a.txt", f"{S1} {S2}\n")
    run(project, pipeline)
    assert {e.msgid: e.msgstr for e in polib.pofile(str(path))}[S1] == "Gov.\x1b"
    gettext_accepts(path)


def test_a_reviewers_nul_character_is_refused_naming_its_line(project, pipeline):
    """gettext cuts a string at NUL, and in a .mo it would split the msgstr into plural forms."""
    path = project / "locales/en/LC_MESSAGES/messages.po"
    path.write_text(REVIEWED.replace('"Gov."', '"Gov.\x00 and more"'), encoding="utf-8")
    before = path.read_bytes()
    write_source(project, "a.txt", f"{S1} {S2}\n")
    ran = run(project, pipeline, code=2)
    assert "messages.po:7: NUL character in catalogue" in ran.err and "Traceback" not in ran.err
    assert path.read_bytes() == before and not (path.parent / "messages.mo").exists()


def test_a_reviewed_entry_written_with_a_control_character_stays_reviewed(project, pipeline):
    """A catalogue written before sources were cleaned holds the msgid with the control (`\\a`): the
    entry takes the clean msgid, approved as it was, instead of coming back as a changed source."""
    path = project / "locales/en/LC_MESSAGES/messages.po"
    path.write_text(REVIEWED.replace(f'msgid "{S1}"', f'msgid "{WITHIN.format(chr(92) + "a")}"'), encoding="utf-8")
    write_source(project, "a.txt", f"{WITHIN.format(chr(7))} {S2}\n")
    ran = run(project, pipeline)
    assert "loading" not in ran.err  # nothing to translate: both entries are the reviewer's
    entries = [(e.msgid, e.msgstr, e.fuzzy, e.obsolete) for e in polib.pofile(str(path))]
    assert entries == [(S1, "Gov.", False, False), (S2, "School.", False, False)]
    gettext_accepts(path)
