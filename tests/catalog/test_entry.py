"""What an entry is and who owns it, read from the entry alone (pipeline.catalog.entry)."""

from __future__ import annotations

import polib

from pipeline.catalog import entry
from pipeline.catalog.entry import State
from pipeline.model import Finding, Translation

LONG_ID = "/home/team/models/nllb-200-distilled-600M-ct2-int8@0123456789ab"


def machine(msgid: str, text: str, model_id: str = "tiny@1") -> polib.POEntry:
    comment = entry.machine_comment(Translation(msgid, text, model_id, (Finding("numbers", "x"),)))
    return polib.POEntry(
        msgid=msgid,
        msgstr=text,
        flags=["fuzzy"],
        comment=comment,
        tcomment=entry.with_note("a translator's note", text),
    )


def test_the_pipelines_text_is_its_own_until_a_person_changes_it():
    e = machine("એક.", "One.")
    assert entry.state(e) is State.MACHINE and entry.written_digest(e) == entry.digest("One.")
    assert entry.model_of(e) == "tiny@1" and entry.without_note(e.tcomment) == "a translator's note"
    e.msgstr = "One!"
    assert entry.state(e) is State.EDITED and entry.state(e).persons  # edited, left fuzzy
    e.msgstr, e.flags = "One.", []
    assert entry.state(e) is State.REVIEWED and entry.state(e).persons  # approved
    e.obsolete = True
    assert entry.state(e) is State.OBSOLETE and entry.text_state(e) is State.REVIEWED  # revived as it was
    assert entry.state(polib.POEntry(msgid="બે.", msgstr="")) is State.UNTRANSLATED


def test_ownership_survives_an_editor_rewrapping_the_comment(tmp_path):
    po = polib.POFile(wrapwidth=30)
    po.append(machine("એક.", "One.", LONG_ID))
    po.save(str(tmp_path / "x.po"))  # polib wraps at spaces and after hyphens
    again = polib.pofile(str(tmp_path / "x.po"))[0]
    assert "\n" in again.comment.split("qa:")[0]
    assert entry.model_of(again) == LONG_ID and entry.state(again) is State.MACHINE


def test_ownership_survives_msgmerge_dropping_every_extracted_comment():
    e = machine("એક.", "One.")
    e.comment = ""  # msgmerge takes #. lines from the template, which has none
    assert entry.state(e) is State.MACHINE
    e.tcomment = ""  # a person deleted the note: nothing shows it is the machine's
    assert entry.state(e) is State.EDITED


def test_suggestions_and_other_tools_fuzzy_entries_are_a_persons():
    e = polib.POEntry(msgid="એક.", msgstr="One.", flags=["fuzzy"], comment="source changed: ...")
    assert entry.state(e) is State.EDITED


def test_plural_forms_are_translated_reviewed_and_digested_together():
    e = polib.POEntry(msgid="ફાઇલ", msgid_plural="ફાઇલો", msgstr_plural={0: "file", 1: "files"})
    assert entry.texts(e) == ("file", "files") and entry.state(e) is State.REVIEWED and entry.is_translated(e)
    assert entry.digest(("file", "files")) != entry.digest(("files", "file"))
    assert not entry.is_translated(polib.POEntry(msgid="ફાઇલ", msgid_plural="ફાઇલો", msgstr_plural={0: "", 1: ""}))
    partly = polib.POEntry(msgid="ફાઇલ", msgid_plural="ફાઇલો", msgstr_plural={0: "file", 1: ""})
    assert entry.state(partly) is State.REVIEWED and not entry.releasable(partly)  # a person's; gettext would show ""


def test_what_ships():
    fuzzy = machine("એક.", "One.")
    approved = polib.POEntry(msgid="બે.", msgstr="Two.")
    assert not entry.releasable(fuzzy) and entry.releasable(fuzzy, include_fuzzy=True)
    assert entry.releasable(approved)
    approved.obsolete = True
    assert not entry.releasable(approved, include_fuzzy=True)


def test_a_machine_translations_confidence_is_cut_down_and_never_reads_certain():
    assert entry.shown_confidence(0.99507) == "0.99"  # rounding would say 1.00
    assert entry.shown_confidence(1.0) == "0.99"
    assert entry.shown_confidence(0.5) == "0.50"
    assert entry.shown_confidence(0.0349) == "0.03"
    assert entry.shown_confidence(0.0) == "0.00"
    comment = entry.machine_comment(Translation("s", "x", "tiny@1", confidence=0.999))
    assert comment.splitlines()[1] == "confidence: 0.99"
