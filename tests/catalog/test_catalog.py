import shutil
import subprocess

import polib
import pytest

from pipeline.catalog import entry, merge, pofile
from pipeline.errors import PipelineError
from pipeline.ledger import migrate_legacy_owned
from pipeline.model import Finding, Segment, Translation


def segs(*texts, doc="a.txt"):
    return [Segment(doc, i, i, t, 0, len(t)) for i, t in enumerate(texts)]


def mt(source, text, *findings):
    return Translation(source, text, "tiny@1", tuple(Finding(c, m) for c, m in findings))


def write(path, messages, translations, locale="en", owned=None):
    existing = pofile.read_po(path)
    if existing is not None:
        migrate_legacy_owned(existing, owned)  # as the ledger reads a catalogue an earlier version left
    po = merge.merge_catalog(existing, messages, translations)
    pofile.save_catalog(path, po, locale)
    return polib.pofile(str(path))


def test_duplicates_become_one_entry_with_both_documents():
    messages = pofile.collect_messages(segs("એક.", "બે.") + segs("એક.", doc="b.txt"))
    assert [(m.msgid, m.references) for m in messages] == [("એક.", ("a.txt", "b.txt")), ("બે.", ("a.txt",))]


def test_new_catalogue_has_fuzzy_machine_entries_and_header(tmp_path):
    path = tmp_path / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    messages = pofile.collect_messages(segs("એક.", "બે."))
    po = write(path, messages, {"એક.": mt("એક.", "一。"), "બે.": mt("બે.", "2", ("numbers", "missing 2"))}, "zh_Hans")
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert all("fuzzy" in e.flags for e in po)
    # provenance in the entry: the model, and a digest of the exact text it wrote (see entry.owner)
    assert po[0].comment == "machine translation: tiny@1"
    assert po[0].tcomment == f"machine translation, awaiting review (msgstr sha256 {entry.digest('一。')})"
    assert "qa: numbers: missing 2" in po[1].comment
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)


def test_reviewed_entry_survives_and_removed_source_goes_obsolete(tmp_path):
    path = tmp_path / "messages.po"
    messages = pofile.collect_messages(segs("એક.", "બે."))
    po = write(path, messages, {"એક.": mt("એક.", "One."), "બે.": mt("બે.", "Two.")})
    po[0].msgstr = "One (reviewed)."
    po[0].flags = []
    po[1].tcomment += "\ncheck with editor"
    po.save()
    again = write(
        path, pofile.collect_messages(segs("એક.", "ત્રણ.")), {"એક.": mt("એક.", "Changed."), "ત્રણ.": mt("ત્રણ.", "Three.")}
    )
    by_id = {e.msgid: e for e in again}
    assert by_id["એક."].msgstr == "One (reviewed)." and not by_id["એક."].fuzzy
    assert by_id["ત્રણ."].msgstr == "Three." and by_id["ત્રણ."].fuzzy
    assert by_id["બે."].obsolete and by_id["બે."].msgstr == "Two."


def test_fuzzy_entry_edited_by_a_person_is_kept(tmp_path):
    path = tmp_path / "messages.po"
    messages = pofile.collect_messages(segs("એક."))
    po = write(path, messages, {"એક.": mt("એક.", "One.")})
    po[0].msgstr = "One, edited but still fuzzy."
    po.save()
    again = write(path, messages, {"એક.": mt("એક.", "Other.")}, owned={"એક.": "One."})
    assert again[0].msgstr == "One, edited but still fuzzy."


def test_unchanged_content_keeps_bytes_and_date(tmp_path):
    path = tmp_path / "messages.po"
    messages = pofile.collect_messages(segs("એક."))
    write(path, messages, {"એક.": mt("એક.", "One.")})
    before = path.read_bytes()
    po = merge.merge_catalog(pofile.read_po(path), messages, {"એક.": mt("એક.", "One.")})
    assert pofile.save_catalog(path, po, "en") is False
    assert path.read_bytes() == before


def test_broken_catalogue_is_an_error_naming_the_line_and_is_left_alone(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(PipelineError, match="messages.po:5"):
        pofile.read_po(path)
    assert path.read_bytes() == before


def test_crlf_catalogue_from_an_editor_is_accepted(tmp_path):
    path = tmp_path / "messages.po"
    write(path, pofile.collect_messages(segs("એક.")), {"એક.": mt("એક.", "One.")})
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert pofile.read_po(path)[0].msgstr == "One."


def test_mo_holds_reviewed_entries_only(tmp_path):
    path = tmp_path / "messages.po"
    po = write(path, pofile.collect_messages(segs("એક.", "બે.")), {"એક.": mt("એક.", "One."), "બે.": mt("બે.", "Two.")})
    po[0].flags = []
    pofile.save_mo(tmp_path / "messages.mo", po)
    mo = polib.mofile(str(tmp_path / "messages.mo"))
    assert [(e.msgid, e.msgstr) for e in mo] == [("એક.", "One.")]


def test_header_keys_set_by_a_translators_tool_survive_a_content_change(tmp_path):
    path = tmp_path / "messages.po"
    write(path, pofile.collect_messages(segs("એક.")), {"એક.": mt("એક.", "One.")})
    po = polib.pofile(str(path))
    created = po.metadata["POT-Creation-Date"]
    po.metadata["Last-Translator"] = "Asha <asha@example.org>"
    po.metadata["PO-Revision-Date"] = "2020-01-02 03:04+0000"
    po.metadata["X-Generator"] = "Poedit 3.4"
    po.metadata["Language"] = "fr"  # ours: the folder decides the language
    po.save()
    again = write(path, pofile.collect_messages(segs("એક.", "બે.")), {"બે.": mt("બે.", "Two.")})
    assert again.metadata["Last-Translator"] == "Asha <asha@example.org>"
    assert again.metadata["PO-Revision-Date"] == "2020-01-02 03:04+0000"
    assert again.metadata["X-Generator"] == "Poedit 3.4"
    assert again.metadata["Language"] == "en"
    assert again.metadata["POT-Creation-Date"] >= created
