"""Merge rules, one reviewer action or source change at a time (no model: translations are given)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog import merge, pofile
from pipeline.catalog.entry import without_note
from pipeline.ledger import migrate_legacy_owned
from pipeline.model import Finding, Segment, Translation

GU = (Path(__file__).parent.parent / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
A, B, C, D = GU[10], GU[11], GU[12], GU[13]


def edit(sentence: str, word: int = 2) -> str:
    """The sentence with one word replaced, as an author's small correction."""
    words = sentence.split()
    return " ".join(words[:word] + ["નવું"] + words[word + 1 :])


def messages(*texts, doc="a.txt"):
    return pofile.collect_messages(Segment(doc, i, i, t, 0, len(t)) for i, t in enumerate(texts))


def mt(texts, tag="v1", model="tiny@1"):
    return {t: Translation(t, f"MT {tag} of {GU.index(t) if t in GU else t[:12]}", model) for t in texts}


def run(path: Path, msgs, translations, owned=None, **options) -> polib.POFile:
    """One catalogue stage: merge with the file on disk, write it the way the pipeline does."""
    existing = pofile.read_po(path)
    if existing is not None:
        migrate_legacy_owned(existing, owned)  # as the ledger reads a catalogue an earlier version left
    po = merge.merge_catalog(existing, msgs, translations, **options)
    pofile.save_catalog(path, po, "en", existing)
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True, capture_output=True)
    return polib.pofile(str(path))


def by_id(po):
    return {e.msgid: e for e in po}


@pytest.fixture
def path(tmp_path):
    return tmp_path / "en" / "LC_MESSAGES" / "messages.po"


def review(path, msgid, text=None, *, clear_fuzzy=True, note=None):
    po = polib.pofile(str(path))
    entry = by_id(po)[msgid]
    if text is not None:
        entry.msgstr = text
    if clear_fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    if note is not None:  # added below the pipeline's own note, as an editor does
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, note]))
    po.save()


def test_reviewed_and_edited_entries_survive_new_model_output(path):
    msgs = messages(A, B, C)
    run(path, msgs, mt([A, B, C]))
    review(path, A, "A, approved.")
    review(path, B, "B, edited but left fuzzy.", clear_fuzzy=False)
    review(path, C, note="ask the editor about the name", clear_fuzzy=False)
    owned = {A: "MT v1 of 10", B: "MT v1 of 11", C: "MT v1 of 12"}
    po = by_id(run(path, msgs, mt([A, B, C], "v2"), owned))
    assert po[A].msgstr == "A, approved." and not po[A].fuzzy
    assert po[B].msgstr == "B, edited but left fuzzy." and po[B].fuzzy
    assert po[C].msgstr == "MT v2 of 12" and po[C].fuzzy  # ours: re-translated...
    assert without_note(po[C].tcomment) == "ask the editor about the name"  # ...the reviewer's note kept


def test_slightly_changed_source_keeps_reviewed_text_fuzzy_with_previous_msgid_and_offers_mt(path):
    run(path, messages(A, B), mt([A, B]))
    review(path, A, "A, approved.", note="checked with the author")
    changed = edit(A)
    po = by_id(run(path, messages(changed, B), mt([changed, B])))
    entry = po[changed]
    assert entry.msgstr == "A, approved." and entry.fuzzy  # the reviewer's work, not the model's
    assert entry.previous_msgid == A
    assert f"suggestion (tiny@1): {mt([changed])[changed].text}" in entry.comment
    assert without_note(entry.tcomment) == "checked with the author"
    assert A not in po  # matched, so not left behind as obsolete


def test_slightly_changed_machine_entry_gets_new_mt_with_previous_msgid(path):
    run(path, messages(A, B), mt([A, B]))
    changed = B.rstrip(".") + " અને બીજું."
    po = by_id(run(path, messages(A, changed), mt([A, changed], "v2")))
    assert po[changed].msgstr == mt([changed], "v2")[changed].text and po[changed].fuzzy
    assert po[changed].previous_msgid == B
    assert po[changed].comment.startswith("machine translation: tiny@1")


def test_unrelated_new_sentence_is_not_matched_and_old_goes_obsolete_until_purged(path):
    run(path, messages(A, B), mt([A, B]))
    review(path, B, "B, approved.")
    po = by_id(run(path, messages(A, C), mt([A, C])))
    assert po[C].previous_msgid is None and po[C].msgstr == "MT v1 of 12"
    assert po[B].obsolete and po[B].msgstr == "B, approved."
    po = by_id(run(path, messages(A, C), mt([A, C]), purge_obsolete=True))
    assert B not in po


def test_moved_paragraph_reorders_entries_and_changes_nothing_else(path):
    run(path, messages(A, B, C), mt([A, B, C]))
    review(path, B, "B, approved.")
    po = run(path, messages(C, A, B), mt([C, A, B]))
    assert [e.msgid for e in po] == [C, A, B]
    assert not any(e.obsolete or e.previous_msgid for e in po)
    assert by_id(po)[B].msgstr == "B, approved." and not by_id(po)[B].fuzzy


def test_identical_sentence_in_two_documents_is_one_entry_with_both_references(path):
    msgs = pofile.collect_messages(
        [Segment("a.txt", 0, 0, A, 0, 1), Segment("a.txt", 1, 1, B, 0, 1), Segment("b.txt", 0, 0, A, 0, 1)]
    )
    po = run(path, msgs, mt([A, B]))
    assert by_id(po)[A].occurrences == [("a.txt", ""), ("b.txt", "")]
    assert len(po) == 2


def test_context_keeps_identical_msgids_apart(path):
    msgs = [pofile.Message(A, ("a.txt",), "heading"), pofile.Message(A, ("a.txt",))]
    run(path, msgs, mt([A]))
    po = polib.pofile(str(path))
    po[0].msgstr, po[0].flags = "Heading form.", []
    po.save()
    again = run(path, msgs, mt([A], "v2"))
    assert [(e.msgctxt, e.msgstr, e.fuzzy) for e in again] == [
        ("heading", "Heading form.", False),
        (None, "MT v2 of 10", True),
    ]


def test_reviewed_memory_reused_for_identical_and_suggested_for_similar_sources(path):
    memory = {C: "C, reviewed elsewhere.", D: "D, reviewed elsewhere."}
    close = edit(D, 3)
    po = by_id(run(path, messages(A, C, close), mt([A, close]), reviewed=memory))
    assert po[C].msgstr == "C, reviewed elsewhere." and not po[C].fuzzy
    assert po[C].comment == merge.REUSED
    assert po[close].msgstr == "D, reviewed elsewhere." and po[close].fuzzy and po[close].previous_msgid == D
    assert po[A].msgstr == "MT v1 of 10" and not po[A].previous_msgid


def test_reviewer_who_empties_an_entry_gets_it_translated_again_not_refilled(path):
    run(path, messages(A), mt([A]))
    review(path, A, "A, approved.")
    review(path, A, "")
    po = by_id(run(path, messages(A), mt([A], "v2"), reviewed={A: "A, approved."}))
    assert po[A].msgstr == "MT v2 of 10" and po[A].fuzzy


def test_reviewed_entry_is_kept_byte_for_byte_comments_included(path):
    run(path, messages(A, B), {A: Translation(A, "MT", "tiny@1", (Finding("numbers", "lost 3"),)), **mt([B])})
    review(path, A, "A, approved (the number fixed).")
    run(path, messages(A, B), mt([B]), {B: "MT v1 of 11"})  # polib saved it: back to msgcat's layout
    before = path.read_bytes()
    run(path, messages(A, B), {A: Translation(A, "Other MT", "tiny@2"), **mt([B])}, {B: "MT v1 of 11"})
    assert path.read_bytes() == before


def test_every_rerun_without_change_is_byte_identical(path):
    msgs = messages(A, B, C)
    run(path, msgs, mt([A, B, C]))
    review(path, A, "A, approved.")
    changed = edit(B)
    msgs = messages(A, changed, D)
    run(path, msgs, mt([A, changed, D]))
    before = path.read_bytes()
    owned = {changed: mt([changed])[changed].text, D: mt([D])[D].text}
    run(path, msgs, mt([A, changed, D]), owned)
    assert path.read_bytes() == before


def test_obsolete_entries_are_stable_across_reruns(path):
    run(path, messages(A, B), mt([A, B]))
    run(path, messages(A, edit(B)), mt([A, edit(B)]))  # B's entry now carries `#| msgid`
    run(path, messages(A), mt([A]))
    assert by_id(polib.pofile(str(path)))[edit(B)].obsolete
    before = path.read_bytes()
    run(path, messages(A), mt([A]))
    assert path.read_bytes() == before


def test_comment_lines_an_editor_rewrapped_are_kept_as_they_are_not_duplicated(path):
    msgs = messages(GU[0])
    finding = Finding("qa", "punctuation: source ends with '.' (full stop); the translation has no end mark")
    translations = {GU[0]: Translation(GU[0], "MT", "tiny@1", (finding,))}
    run(path, msgs, translations)
    po = polib.pofile(str(path), wrapwidth=40)
    entry = by_id(po)[GU[0]]
    entry.comment = entry.comment.replace("has no end mark", "has no\nend mark")  # as an editor wraps it
    entry.comment += "\nTRANSLATORS: a note from another tool"
    po.save()
    again = by_id(run(path, msgs, translations))[GU[0]]
    assert again.comment.count("end mark") == 1 and "TRANSLATORS: a note from another tool" in again.comment
    entry.comment = entry.comment.replace("\nTRANSLATORS: a note from another tool", "")
    po.save()
    as_saved = by_id(polib.pofile(str(path)))[GU[0]].comment
    assert as_saved.count("\n") > 2  # the editor wrapped our lines
    again = by_id(run(path, msgs, translations))[GU[0]]
    assert again.comment == as_saved  # ... and that layout is kept


def test_an_empty_context_is_matched_only_by_itself(path):
    """`msgctxt ""` is a context (gettext's `pgettext("", ...)`), not the absence of one: a plain
    message neither takes its text nor lets it replace its own, and the plan still translates it."""
    from pipeline.catalog.plan import make_plan

    path.parent.mkdir(parents=True)
    path.write_text(
        f'msgid ""\nmsgstr "Language: en\\n"\n\nmsgctxt ""\nmsgid "{A}"\nmsgstr "Empty context."\n', encoding="utf-8"
    )
    existing = pofile.read_po(path)
    assert existing[0].msgctxt == ""
    assert make_plan(existing, messages(A)).todo == (A,)  # the plain message is the pipeline's to translate
    po = run(path, messages(A), mt([A]))
    found = {(e.msgctxt, e.obsolete): e for e in po}
    assert found[(None, False)].msgstr == f"MT v1 of {GU.index(A)}" and found[(None, False)].fuzzy
    assert found[("", True)].msgstr == "Empty context." and not found[("", True)].fuzzy
    assert '#~ msgctxt ""\n' in path.read_text(encoding="utf-8")
    assert pofile.read_po(path)[1].msgctxt == ""  # and it reads back as written


def test_an_entry_whose_msgid_holds_a_control_character_takes_the_clean_msgid(path):
    """Sources are cleaned of control characters (see `ingest.controls`); an entry written before
    keeps its state under the msgid they give now, unless that msgid has an entry already."""
    from pipeline.catalog.plan import make_plan

    path.parent.mkdir(parents=True)
    path.write_text(
        f'msgid ""\nmsgstr "Language: en\\n"\n\nmsgid "{A}\\a"\nmsgstr "A, approved."\n\n'
        f'msgid "{B}\\a"\nmsgstr "B with a bell."\n\nmsgid "{B}"\nmsgstr "B, approved."\n',
        encoding="utf-8",
    )
    assert make_plan(pofile.read_po(path), messages(A, B)).todo == ()
    run(path, messages(A, B), mt([A, B]))
    po = pofile.read_po(path)  # polib reads `\a` as two characters
    assert [(e.msgid, e.msgstr, e.fuzzy, bool(e.obsolete)) for e in po] == [
        (A, "A, approved.", False, False),
        (B, "B, approved.", False, False),
        (B + "\x07", "B with a bell.", False, True),
    ]
