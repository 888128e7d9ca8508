"""End to end with the tiny models: reviewers edit catalogues, authors edit sources, the pipeline
re-runs, and nothing a reviewer did is lost or moved (the model's output is gibberish: never
asserted, only where it goes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline import jobs
from pipeline.catalog.entry import qa_lines, without_note, written_digest
from pipeline.config import load_config
from pipeline.qa.checks import run_checks

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[20:26]
NEW = "આ લેખમાં એક નવું વાક્ય ઉમેરવામાં આવ્યું છે."


def edit(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:2] + ["નવું"] + words[3:])


class Project:
    def __init__(self, root: Path, models: Path):
        self.root = root
        self.articles = root / "articles"
        self.articles.mkdir()
        self.paths = jobs.Paths(root / ".pipeline", root / "locales", "messages")
        self.config = load_config(models)
        self.sent: list[str] = []  # every sentence given to a model
        self.loaded: dict[str, object] = {}

    def write(self, name: str, *paragraphs: list[str]) -> None:
        (self.articles / name).write_text("\n".join(" ".join(p) for p in paragraphs) + "\n", encoding="utf-8")

    def run(self, locales=("en", "zh_Hans"), **options) -> jobs.RunReport:
        def factory(spec):
            if spec.name in self.loaded:  # load each tiny model once per test, not once per run
                return self.loaded[spec.name]
            translator = jobs.default_factory(spec)
            real = translator.translate_scored

            def counting(texts, *args, **kwargs):
                self.sent.extend(texts)
                return real(texts, *args, **kwargs)

            translator.translate_scored = counting
            self.loaded[spec.name] = translator
            return translator

        return jobs.run_all(
            [self.articles], list(locales), self.config, self.paths, factory, options=jobs.CatalogOptions(**options)
        )

    def po_path(self, locale="en") -> Path:
        return self.paths.po(locale)

    def po(self, locale="en") -> polib.POFile:
        return polib.pofile(str(self.po_path(locale)))

    def snapshot(self) -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in sorted(self.paths.locales_dir.rglob("*")) if p.is_file()}


def entries(po):
    return {e.msgid: e for e in po}


def msgfmt_ok(path: Path) -> None:
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path, tiny_models):
    return Project(tmp_path, tiny_models)


def test_reviewers_work_survives_source_changes_and_reruns(project, pipeline):
    project.write("story.gu.txt", [S[0], S[1]], [S[2]], [S[3], S[4]])
    project.run()

    # A reviewer approves one entry, edits another without approving, notes a third, and saves
    # en through msgcat and zh_Hans with CRLF line endings (as editors on Windows do).
    po = project.po()
    e = entries(po)
    e[S[0]].msgstr, e[S[0]].flags = "The reviewed S0.", []
    e[S[1]].msgstr = "An edit of S1, still fuzzy."
    e[S[3]].tcomment += "\ncheck the score with the sports desk"
    po.save()
    if shutil.which("msgcat"):
        saved = subprocess.run(["msgcat", str(project.po_path())], capture_output=True, check=True).stdout
        project.po_path().write_bytes(saved)
    zh = project.po_path("zh_Hans")
    zh.write_bytes(zh.read_bytes().replace(b"\n", b"\r\n"))
    before = project.snapshot()
    project.sent.clear()
    project.run()
    after = project.snapshot()
    zh_po, en_po = str(project.po_path("zh_Hans")), str(project.po_path())
    assert after[zh_po] == before[zh_po], "the reviewer's files must not move"
    # en moves in two places only: the QA notes of the approved entry and of the edited one now
    # describe the person's text, and the model's confidence in the text they replaced is gone
    old, new = entries(polib.pofile(before[en_po].decode())), entries(project.po())
    assert [(x.msgid, x.msgstr, x.flags, without_note(x.tcomment)) for x in old.values()] == [
        (x.msgid, x.msgstr, x.flags, without_note(x.tcomment)) for x in new.values()
    ]
    assert written_digest(old[S[0]]) and not new[S[0]].tcomment  # approved: no longer awaiting review
    assert [k for k in old if old[k].comment != new[k].comment] == [S[0], S[1]]
    for msgid, text in ((S[0], "The reviewed S0."), (S[1], "An edit of S1, still fuzzy.")):
        notes = [line for line in new[msgid].comment.splitlines() if line.startswith(("qa:", "confidence:"))]
        assert notes == qa_lines(run_checks(msgid, text))
    assert project.sent == []
    assert [(m.msgid, m.msgstr) for m in polib.mofile(str(project.po_path().with_suffix(".mo")))] == [
        (S[0], "The reviewed S0.")
    ]  # only the compiled file follows the review
    project.run()
    assert project.snapshot() == after

    # The author edits S0 slightly, deletes S2's paragraph, adds a sentence, moves the last paragraph up.
    project.write("story.gu.txt", [S[3], S[4]], [edit(S[0]), S[1], NEW])
    project.sent.clear()
    project.run()
    assert set(project.sent) == {edit(S[0]), NEW}  # nothing reviewed or unchanged goes to the model
    po = project.po()
    live = [x for x in po if not x.obsolete]
    assert [x.msgid for x in live] == [S[3], S[4], edit(S[0]), S[1], NEW]  # document order
    e = entries(po)
    changed = e[edit(S[0])]
    assert changed.msgstr == "The reviewed S0." and changed.fuzzy and changed.previous_msgid == S[0]
    assert any(line.startswith("suggestion (") for line in changed.comment.splitlines())
    assert e[S[1]].msgstr == "An edit of S1, still fuzzy."
    assert without_note(e[S[3]].tcomment) == "check the score with the sports desk"
    assert e[S[2]].obsolete and S[0] not in e
    assert e[NEW].fuzzy and e[NEW].msgstr and e[NEW].previous_msgid is None
    for locale in ("en", "zh_Hans"):
        msgfmt_ok(project.po_path(locale))
        assert all(not x.msgid_plural for x in project.po(locale))

    before = project.snapshot()
    project.run()
    assert project.snapshot() == before

    # what `pipeline status` reports for it
    status = json.loads(pipeline("status", "--json", cwd=project.root).out)
    assert set(status) == {"en", "zh_Hans"}
    en = status["en"]
    assert (en["total"], en["obsolete"], en["untranslated"]) == (5, 1, 0)
    assert en["fuzzy"] == 5 and en["reviewed"] == 0  # S0's reviewed text is fuzzy again: its source changed
    assert en["percent"]["fuzzy"] == 100.0
    text = pipeline("status", "--to", "en", cwd=project.root).out
    assert text.startswith("en: 5 entries, 0 reviewed (0.0%), 5 fuzzy (100.0%)") and "1 obsolete" in text


def test_purge_and_no_wrap_on_the_command_line(tmp_path, tiny_models, pipeline):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.gu.txt").write_text(f"{S[0]} {S[1]}\n{S[2]}\n", encoding="utf-8")
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=tmp_path)
    (tmp_path / "articles" / "a.gu.txt").write_text(f"{S[0]} {S[1]}\n", encoding="utf-8")
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=tmp_path)
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    assert entries(polib.pofile(str(po_path)))[S[2]].obsolete
    assert max(len(line) for line in po_path.read_text(encoding="utf-8").splitlines()) <= 79 * 3  # wrapped
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, "--purge-obsolete", "--no-wrap", cwd=tmp_path)
    text = po_path.read_text(encoding="utf-8")
    assert S[2] not in text
    assert f'msgid "{S[0]}"' in text  # one line per string
    status = pipeline("status", cwd=tmp_path).out
    assert status.startswith("en: 2 entries") and "0 obsolete" in status


def test_reviewed_translation_is_reused_from_the_catalogue_in_a_new_document_on_a_fresh_clone(project):
    """The reviewed memory is the catalogue's approved entries, live and obsolete: a fresh clone
    without the work directory reuses them as a machine with one does."""
    project.write("old.gu.txt", [S[0], S[1]])
    project.run(locales=("en",))
    po = project.po()
    for x in po:
        x.msgstr, x.flags = f"Reviewed: {S.index(x.msgid)}", []
    po.save()
    (project.articles / "old.gu.txt").unlink()
    project.write("other.gu.txt", [S[4]])
    project.run(locales=("en",))
    assert {x.msgid for x in project.po() if x.obsolete} == {S[0], S[1]}  # kept as #~ for reviewers...

    shutil.rmtree(project.paths.workdir)  # what a fresh clone or a CI runner has
    project.write("new.gu.txt", [S[0], edit(S[1]), S[5]])
    project.sent.clear()
    project.run(locales=("en",))
    e = entries(project.po())
    assert e[S[0]].msgstr == "Reviewed: 0" and not e[S[0]].fuzzy  # the obsolete entry comes back
    assert e[edit(S[1])].msgstr == "Reviewed: 1" and e[edit(S[1])].fuzzy and e[edit(S[1])].previous_msgid == S[1]
    assert S[0] not in project.sent and S[5] in project.sent  # ...and reused from there


def test_purged_entries_are_forgotten_with_or_without_the_work_directory(project):
    project.write("old.gu.txt", [S[0]])
    project.run(locales=("en",))
    po = project.po()
    po[0].msgstr, po[0].flags = "Reviewed: 0", []
    po.save()
    (project.articles / "old.gu.txt").unlink()
    project.write("other.gu.txt", [S[4]])
    project.run(locales=("en",), purge_obsolete=True)
    project.write("old.gu.txt", [S[0]])
    project.sent.clear()
    project.run(locales=("en",))
    again = entries(project.po())[S[0]]
    assert again.fuzzy and again.msgstr != "Reviewed: 0"  # purged means gone: machine text again
