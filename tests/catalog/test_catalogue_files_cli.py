"""Catalogue files as other tools and people leave them, through the `pipeline` command: a UTF-8
byte-order mark, a `#TODO` comment without a space, no header at all, folders in `locales/` that
are not locales. What GNU gettext accepts is read the same way; nothing is refused or lost."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

S1 = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."
REVIEWED = f'msgid "{S1}"\nmsgstr "The government has started a new scheme."\n'
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'


@pytest.fixture
def project(new_project) -> Path:
    return new_project({"a.txt": S1 + "\n"})


def po_at(project: Path, locale: str = "en") -> Path:
    path = project / "locales" / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_catalogue_with_a_utf8_byte_order_mark_is_read_and_written_without_it(project, pipeline):
    path = po_at(project)
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + REVIEWED).encode())
    proc = pipeline("run", "articles", "--to", "en", cwd=project)
    assert "loading" not in proc.stderr  # the reviewed entry was read: nothing to translate
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    (entry,) = polib.pofile(data.decode())
    assert entry.msgstr == "The government has started a new scheme." and not entry.fuzzy
    pipeline("check", path, cwd=project)


def test_a_comment_without_a_space_is_a_translator_comment_as_msgfmt_reads_it(project, pipeline):
    path = po_at(project)
    path.write_text(HEADER + "#TODO ask the desk about the scheme's name\n" + REVIEWED, encoding="utf-8")
    pipeline("run", "articles", "--to", "en", cwd=project)
    (entry,) = polib.pofile(str(path))
    assert entry.tcomment == "TODO ask the desk about the scheme's name"  # msgcat writes it "# TODO ..."
    assert entry.msgstr == "The government has started a new scheme." and not entry.fuzzy


def test_a_catalogue_without_a_header_exports_a_mo_a_gettext_runtime_reads(project, pipeline):
    po_at(project).write_text(REVIEWED, encoding="utf-8")
    pipeline("export", "--format", "mo", "--to", "en", cwd=project)
    with open(project / "dist/en/LC_MESSAGES/messages.mo", "rb") as f:
        translations = gettext.GNUTranslations(f)  # read the bytes as ASCII before, and failed
    assert translations.gettext(S1) == "The government has started a new scheme."
    assert translations.ngettext("a", "b", 2) == "b"
    info = translations.info()
    assert info["content-type"] == "text/plain; charset=UTF-8" and info["language"] == "en"


def test_folders_in_locales_that_are_not_locales_are_named_and_skipped(project, pipeline):
    for name in ("en", "backup", "en-GB", "old.en"):
        po_at(project, name).write_text(HEADER + REVIEWED, encoding="utf-8")
    proc = pipeline("status", cwd=project)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["en"]
    for name in ("backup", "en-GB", "old.en"):
        assert f"locales/{name}: not a locale folder" in proc.stderr
    proc = pipeline("status", "--json", cwd=project, code=0)
    assert '"backup"' not in proc.stdout


def test_a_comment_on_the_first_entry_of_a_catalogue_without_a_header_stays_on_that_entry(project, pipeline):
    """Without a header entry, the comments opening the file are the first entry's (msgcat keeps
    them there); the run made them the file's header comment, detached from the entry."""
    path = po_at(project)
    path.write_text("# Checked with the desk: keep 'scheme'.\n" + REVIEWED, encoding="utf-8")
    if shutil.which("msgcat"):  # the same layout in ASCII (msgcat wants a charset for anything else)
        ascii_po = project / "ascii.po"
        ascii_po.write_text('# Checked with the desk.\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
        gnu = subprocess.run(["msgcat", str(ascii_po)], capture_output=True, text=True, check=True).stdout
        assert gnu == '# Checked with the desk.\nmsgid "a"\nmsgstr "b"\n'
        ascii_po.unlink()
    pipeline("run", "articles", "--to", "en", cwd=project)
    po = polib.pofile(str(path))
    (entry,) = po
    assert entry.tcomment == "Checked with the desk: keep 'scheme'."
    assert entry.msgstr == "The government has started a new scheme." and not entry.fuzzy
    assert "Checked with the desk" not in po.header
