"""A locale's reviewed memory across catalogues: which text wins, what it is marked with, what a
merge may fill with it, and what a run reads again (no model: translations are given)."""

from __future__ import annotations

import random
from pathlib import Path

import polib

from pipeline.catalog import merge, pofile
from pipeline.catalog.reviewed import LocaleMemory, ReadCatalog, refreshed
from pipeline.catalog.similarity import Matcher, best_matches
from pipeline.model import Segment, Translation

GU = (Path(__file__).parent.parent / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
A, B, C, D = GU[30], GU[31], GU[32], GU[33]


def edit(sentence: str, word: int = 2) -> str:
    words = sentence.split()
    return " ".join(words[:word] + ["નવું"] + words[word + 1 :])


def messages(*texts):
    return pofile.collect_messages(Segment("b.md", i, i, t, 0, len(t)) for i, t in enumerate(texts))


def mt(*texts):
    return {t: Translation(t, f"MT of {GU.index(t) if t in GU else t[:8]}", "tiny@1") for t in texts}


def by_id(po):
    return {e.msgid: e for e in po if not e.obsolete}


def test_the_catalogues_own_text_first_then_other_catalogues_by_name():
    memory = LocaleMemory({"z.po": {A: "A in z", B: "B in z"}, "m.po": {A: "A in m"}, "b.po": {C: "C in b"}})
    own = memory.for_catalog("b.po", {C: "C in b", D: "D in b"})
    assert own.get(A) == ("A in m", "m.po")  # m before z
    assert own.get(B) == ("B in z", "z.po")
    assert own.get(C) == ("C in b", None) and own.get(D) == ("D in b", None)
    assert memory.for_catalog("m.po", {A: "A in m"}).get(A) == ("A in m", None)
    assert memory.elsewhere(A, "m.po") == ("A in z", "z.po")


def test_a_machine_entry_takes_text_reviewed_in_another_catalogue_marked_with_where_from():
    first = merge.merge_catalog(None, messages(A, B), mt(A, B))
    memory = LocaleMemory({"politics/budget.po": {A: "A, approved."}})
    po = by_id(merge.merge_catalog(first, messages(A, B), mt(A, B), reviewed=memory.for_catalog("b.po", {})))
    assert po[A].msgstr == "A, approved." and not po[A].fuzzy
    assert po[A].comment == "reused: reviewed translation from politics/budget.po"
    assert "awaiting review" not in po[A].tcomment
    assert po[B].msgstr == "MT of 31" and po[B].fuzzy


def test_a_persons_entry_and_an_emptied_one_are_never_filled_from_another_catalogue():
    first = merge.merge_catalog(None, messages(A, B, C), mt(A, B, C))
    entries = by_id(first)
    entries[A].msgstr, entries[A].flags = "A, mine.", []  # approved here
    entries[B].msgstr = "B, my edit."  # fuzzy, edited
    entries[C].msgstr, entries[C].flags = "", []  # emptied on purpose
    memory = LocaleMemory({"a.po": {A: "A, theirs.", B: "B, theirs.", C: "C, theirs."}})
    po = by_id(merge.merge_catalog(first, messages(A, B, C), mt(A, B, C), reviewed=memory.for_catalog("b.po", {})))
    assert (po[A].msgstr, po[A].fuzzy) == ("A, mine.", False)
    assert (po[B].msgstr, po[B].fuzzy) == ("B, my edit.", True)
    assert po[C].msgstr == "MT of 32" and po[C].fuzzy


def test_a_new_close_source_gets_the_text_reviewed_elsewhere_as_a_fuzzy_suggestion_naming_it():
    memory = LocaleMemory({"a.po": {A: "A, approved."}})
    close = edit(A, 3)
    po = by_id(merge.merge_catalog(None, messages(close, B), mt(close, B), reviewed=memory.for_catalog("c.po", {})))
    assert po[close].msgstr == "A, approved." and po[close].fuzzy and po[close].previous_msgid == A
    assert "reviewed translation of a similar source (#|) in a.po" in po[close].comment
    again = by_id(merge.merge_catalog(polib.POFile(), messages(close), mt(close), reviewed={}))
    assert again[close].msgstr.startswith("MT of")  # without the memory: the machine's text


def test_a_persons_fuzzy_draft_elsewhere_comes_to_a_new_entry_still_fuzzy():
    memory = LocaleMemory({}, {"a.po": {A: ("A, my draft.", None), B: ("B, suggested.", edit(B))}})
    po = by_id(merge.merge_catalog(None, messages(A, B, C), mt(A, B, C), reviewed=memory.for_catalog("b.po", {})))
    assert (po[A].msgstr, po[A].fuzzy, po[A].previous_msgid) == ("A, my draft.", True, None)
    assert (po[B].msgstr, po[B].fuzzy, po[B].previous_msgid) == ("B, suggested.", True, edit(B))
    assert po[A].comment == "from the translation memory: a person's fuzzy translation in a.po, still fuzzy"
    assert po[C].msgstr == "MT of 32"
    first = merge.merge_catalog(None, messages(A), mt(A))  # the pipeline's entry already there: its own
    po = by_id(merge.merge_catalog(first, messages(A), mt(A), reviewed=memory.for_catalog("b.po", {})))
    assert po[A].msgstr == "MT of 30"


def test_refreshed_reads_only_catalogues_whose_file_changed_and_drops_those_gone():
    held = {"a.po": ReadCatalog("d1", {A: "a"}), "b.po": ReadCatalog("d2", {B: "b"}), "gone.po": ReadCatalog("d3", {})}
    read = []

    def reader(name, digest):
        read.append(name)
        return ReadCatalog(digest, {C: name})

    out, read_now = refreshed(held, {"a.po": "d1", "b.po": "d2-new", "c.po": "d4"}, reader)
    assert read == read_now == ["b.po", "c.po"]
    assert out == {
        "a.po": held["a.po"],
        "b.po": ReadCatalog("d2-new", {C: "b.po"}),
        "c.po": ReadCatalog("d4", {C: "c.po"}),
    }


def test_a_catalogues_key_changes_only_with_what_others_approved_for_its_machine_entries():
    before = LocaleMemory({"a.po": {A: "A1", C: "C1", D: "D1"}, "b.po": {B: "B1"}})
    mine = [A, B, D]  # b.po's sources: B approved there, A and D the pipeline's
    key = before.key_for("b.po", mine)
    assert key != LocaleMemory({"a.po": {A: "A2", C: "C1", D: "D1"}, "b.po": {B: "B1"}}).key_for("b.po", mine)
    assert key == LocaleMemory({"a.po": {A: "A1", C: "C2", D: "D1"}, "b.po": {B: "B1"}}).key_for("b.po", mine)
    assert key == LocaleMemory({"a.po": {A: "A1", B: "B-a", D: "D1"}, "b.po": {B: "B2"}}).key_for("b.po", mine)
    assert key == before.key_for("b.po", mine, persons={B})
    # once b.po took A and D, what a.po says of them no longer matters to it
    took = LocaleMemory({"a.po": {A: "A1", C: "C1", D: "D1"}, "b.po": {A: "A1", B: "B1", D: "D1"}})
    assert took.key_for("b.po", mine) == LocaleMemory({"a.po": {A: "A9"}, "b.po": {A: "A1", B: "B1", D: "D1"}}).key_for(
        "b.po", mine
    )
    assert took.key_for("b.po", mine) == before.key_for("b.po", mine, persons={A, B, D})


def test_a_review_comes_before_copies_of_it_whatever_the_names():
    memory = LocaleMemory({"a.po": {A: "A1"}, "b.po": {A: "A1"}, "w.po": {A: "A1"}}, copies={"a.po": {A}, "b.po": {A}})
    assert memory.elsewhere(A, "b.po") == ("A1", "w.po")
    assert memory.elsewhere(A, "w.po") == ("A1", "a.po")
    assert memory.for_catalog("c.po", {}).get(A) == ("A1", "w.po")


def test_a_shared_matcher_leaving_sentences_out_matches_as_best_matches_without_them():
    rng = random.Random(3)
    old = GU[100:300]
    new = [edit(s, rng.randrange(1, 4)) for s in GU[100:300:3]] + GU[300:320]
    matcher = Matcher(old)
    for left_out in (set(), set(old[::2]), set(rng.sample(old, 50))):
        kept = [s for s in old if s not in left_out]
        assert matcher.best(new, lambda s, left_out=left_out: s not in left_out) == best_matches(new, kept)
    assert len(best_matches(new, old)) > 40
