"""Reviewed work travels between catalogues, through the `pipeline` command: a sentence approved
in one article's catalogue is what every other catalogue gets for it (marked with where it came
from), a close sentence gets it as a fuzzy suggestion, a person's own entry is never replaced,
and renaming, moving or switching the layout loses no reviewed translation. The tiny model's
output is gibberish: only where reviewed text goes is asserted."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from pipeline.catalog import pofile
from pipeline.jobs import reviewed_stage
from pipeline.layout import Paths
from pipeline.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent.parent
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[40:50]


def edit(sentence: str, word: int = 3) -> str:
    """The sentence with one word replaced, as an author's small correction."""
    words = sentence.split()
    return " ".join(words[:word] + ["નવું"] + words[word + 1 :])


@pytest.fixture
def project(tmp_path, tiny_models) -> Path:
    (tmp_path / "articles").mkdir()
    text = tiny_models.read_text(encoding="utf-8").replace("beam_size: 2", "beam_size: 1")
    (tmp_path / "models.yaml").write_text(
        text.replace("source: ./", f"source: {tiny_models.parent}/"), encoding="utf-8"
    )
    return tmp_path


def write(project: Path, name: str, *sentences: str) -> None:
    path = project / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")


def run(pipeline, project: Path, layout: str = "per-document", *more, code: int = 0):
    return pipeline(
        "run", "articles", "--to", "en", "--models", "models.yaml", "--catalogs", layout, *more, cwd=project, code=code
    )


def po_path(project: Path, domain: str) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{domain}.po"


def live(project: Path, domain: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(project, domain))) if not e.obsolete}


def review(project: Path, domain: str, texts: dict[str, str]) -> None:
    """A reviewer in Poedit: each source's text typed in, fuzzy cleared."""
    path = po_path(project, domain)
    po = polib.pofile(str(path))
    for e in po:
        if e.msgid in texts:
            e.msgstr, e.flags = texts[e.msgid], [f for f in e.flags if f != "fuzzy"]
    po.save(str(path))


def snapshot(project: Path) -> dict[str, bytes]:
    root = project / "locales"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_sentence_approved_in_one_catalogue_reaches_the_others_and_a_fresh_clone_agrees(project, pipeline):
    write(project, "a.md", S[0], S[1])
    write(project, "b.md", S[0], S[2])
    run(pipeline, project)
    assert live(project, "b")[S[0]].fuzzy  # the machine's, awaiting review
    review(project, "a", {S[0]: "Approved in a.", S[1]: "Second, approved in a."})

    run(pipeline, project)
    b = live(project, "b")
    assert (b[S[0]].msgstr, b[S[0]].fuzzy) == ("Approved in a.", False)
    assert b[S[0]].comment.split("\n")[0] == "reused: reviewed translation from a.po"  # then QA's notes
    assert b[S[2]].fuzzy and b[S[2]].msgstr not in ("Approved in a.", "Second, approved in a.")
    assert "catalog en (2 of 2 catalogues)" in run(pipeline, project).err  # the run after merges nothing

    write(project, "c.md", edit(S[1]), S[3])  # a close sentence, in a new article
    run(pipeline, project)
    c = live(project, "c")[edit(S[1])]
    assert (c.msgstr, c.fuzzy, c.previous_msgid) == ("Second, approved in a.", True, S[1])
    assert "reviewed translation of a similar source (#|) in a.po" in c.comment

    # what the work directory keeps of each catalogue is what reading it gives
    kept = Ledger(project / ".pipeline").reviewed("en")
    paths = Paths(project / ".pipeline", project / "locales")
    fresh = reviewed_stage.read_catalogs(paths, Ledger(project / "no-work-directory"), "en")
    assert {n: replace(c, state=None) for n, c in kept.items()} == {n: replace(c, state=None) for n, c in fresh.items()}
    assert set(kept) == {"a.po", "b.po", "c.po"}

    before = snapshot(project)
    shutil.rmtree(project / ".pipeline")  # a fresh clone
    run(pipeline, project)
    assert snapshot(project) == before


def test_a_review_elsewhere_merges_again_only_the_catalogues_holding_the_sentence(project, pipeline):
    write(project, "a.md", S[0], S[1])
    write(project, "b.md", S[0], S[2])
    write(project, "d.md", S[4], S[5])
    run(pipeline, project)
    untouched = po_path(project, "d").stat().st_mtime_ns
    review(project, "a", {S[0]: "Approved in a."})
    assert "catalog en (1 of 3 catalogues)" in run(pipeline, project).err  # a and b merged, d not
    assert live(project, "b")[S[0]].msgstr == "Approved in a."
    assert po_path(project, "d").stat().st_mtime_ns == untouched


def test_a_persons_entry_is_never_replaced_by_another_catalogues(project, pipeline):
    write(project, "a.md", S[0], S[1])
    write(project, "b.md", S[0], S[1])
    run(pipeline, project)
    review(project, "b", {S[0]: "Mine, in b."})
    path = po_path(project, "b")
    po = polib.pofile(str(path))
    for e in po:
        if e.msgid == S[1]:
            e.msgstr = "My fuzzy edit, in b."  # "needs editing": still fuzzy
    po.save(str(path))
    review(project, "a", {S[0]: "Theirs, in a.", S[1]: "Also theirs, in a."})
    run(pipeline, project)
    b = live(project, "b")
    assert (b[S[0]].msgstr, b[S[0]].fuzzy) == ("Mine, in b.", False)
    assert (b[S[1]].msgstr, b[S[1]].fuzzy) == ("My fuzzy edit, in b.", True)


def holds(entries: dict[str, polib.POEntry], text: str) -> bool:
    return any(e.msgstr == text for e in entries.values())


@pytest.mark.parametrize("purge", [False, True])
def test_renames_moves_and_layout_switches_keep_every_reviewed_translation(project, pipeline, purge, monkeypatch):
    more = ("--purge-obsolete",) if purge else ()
    write(project, "a.md", S[0], S[1], S[2])
    run(pipeline, project)
    reviewed = {S[0]: "First, reviewed.", S[1]: "Second, reviewed.", S[2]: "Third, reviewed."}
    review(project, "a", reviewed)

    (project / "articles" / "a.md").unlink()  # renamed, one sentence edited
    write(project, "a2.md", S[0], edit(S[1]), S[2])
    run(pipeline, project, "per-document", *more)
    a2 = live(project, "a2")
    assert (a2[S[0]].msgstr, a2[S[0]].fuzzy) == ("First, reviewed.", False)
    assert (a2[S[2]].msgstr, a2[S[2]].fuzzy) == ("Third, reviewed.", False)
    assert (a2[edit(S[1])].msgstr, a2[edit(S[1])].fuzzy) == ("Second, reviewed.", True)
    assert a2[edit(S[1])].previous_msgid == S[1]
    old = po_path(project, "a")
    if purge:
        assert not old.exists()
    else:
        assert {e.msgid: e.msgstr for e in polib.pofile(str(old)) if e.obsolete}.items() >= reviewed.items()
        assert not any(e for e in polib.pofile(str(old)) if not e.obsolete)
        assert not old.with_suffix(".mo").exists()
    parsed = []
    real = pofile.read_for_merge
    with monkeypatch.context() as patch:
        patch.setattr(pofile, "read_for_merge", lambda path, *data: parsed.append(Path(path).name) or real(path, *data))
        run(pipeline, project, "per-document", *more)
    assert parsed == []  # what the rename run wrote, the retired catalogue included, is not read again

    (project / "articles" / "a2.md").rename(project / "articles" / "politics.md")
    (project / "articles" / "politics").mkdir()
    (project / "articles" / "politics.md").rename(project / "articles" / "politics" / "a2.md")  # moved
    for layout, domain in [
        ("per-document", "politics/a2"),
        ("per-folder", "politics"),
        ("single", "messages"),
        ("per-document", "politics/a2"),
    ]:
        run(pipeline, project, layout, *more)
        now = live(project, domain)
        assert now[S[0]].msgstr == "First, reviewed." and not now[S[0]].fuzzy, layout
        assert now[S[2]].msgstr == "Third, reviewed." and not now[S[2]].fuzzy, layout
        assert holds(now, "Second, reviewed."), (layout, {e.msgid: e.msgstr for e in now.values()})
