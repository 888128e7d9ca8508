"""A newsroom's day: sources edited and added after reviewers approved part of the catalogue.

What the catalogue stage may skip or reuse on such a run (the parse of the plan, the text of
unchanged entries, the QA findings of unchanged approved entries, the next run entirely) is
checked here against what a fresh clone, which has none of it, writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from pipeline import jobs
from pipeline.catalog import pofile

ROOT = Path(__file__).resolve().parent.parent
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[40:48]


RUN = ("run", "articles", "--to", "en", "--models", "models.yaml")  # the newsroom's command, from its folder


def po_path(project: Path) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / "messages.po"


def edit_one_word(sentence: str) -> str:
    words = sentence.split()
    words[1] = "નવું"
    return " ".join(words)


@pytest.fixture
def project(tmp_path, tiny_models, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # header dates equal in every copy
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.gu.txt").write_text("\n".join(S[:6]) + "\n", encoding="utf-8")
    models = tmp_path / "models.yaml"
    models.write_text(
        tiny_models.read_text(encoding="utf-8").replace("source: ./", f"source: {tiny_models.parent}/"),
        encoding="utf-8",
    )
    return tmp_path


def approve(project: Path, msgids: list[str], text: str = "Reviewed by a person.") -> None:
    po = polib.pofile(str(po_path(project)))
    for e in po:
        if e.msgid in msgids:
            e.msgstr = text
            e.flags = []
    po.save()


def daily_edit(project: Path) -> None:
    """One approved sentence edited by a word, one removed, one new."""
    lines = [edit_one_word(S[0])] + S[1:5] + [S[6]]
    (project / "articles" / "a.gu.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def files(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "locales").rglob("*")) if p.is_file()
    }


def test_a_daily_update_writes_what_a_fresh_clone_writes_and_the_next_run_skips(project, pipeline):
    pipeline(*RUN, cwd=project)
    approve(project, [S[0], S[2]])
    pipeline(*RUN, cwd=project)
    daily_edit(project)
    clone = project.parent / "clone"
    shutil.copytree(project, clone)
    shutil.rmtree(clone / ".pipeline")

    pipeline(*RUN, cwd=project)  # copies unchanged entries' text, reuses findings and the plan's parse
    pipeline(*RUN, cwd=clone)  # formats and checks everything
    assert files(project) == files(clone)
    e = {e.msgid: e for e in polib.pofile(str(po_path(project)))}[edit_one_word(S[0])]
    assert e.fuzzy and e.msgstr == "Reviewed by a person." and e.previous_msgid == S[0]

    before = files(project)
    err = pipeline(*RUN, cwd=project).err
    assert "catalog en" in err  # the merge made the edited entry a person's; the next run knows it
    assert files(project) == before


def test_approved_entries_are_checked_again_only_when_their_text_changed(project, monkeypatch, pipeline):
    pipeline(*RUN, cwd=project)
    approve(project, [S[0], S[2], S[3]])
    checked: list[tuple[str, str]] = []
    real = jobs.catalog_writes.run_checks
    monkeypatch.setattr(
        jobs.catalog_writes,
        "run_checks",
        lambda source, text, *rest, **context: checked.append((source, text)) or real(source, text, *rest, **context),
    )
    pipeline(*RUN, cwd=project)
    assert sorted(s for s, _ in checked) == sorted([S[0], S[2], S[3]])

    checked.clear()
    daily_edit(project)
    pipeline(*RUN, cwd=project)
    # S[2], S[3]: same source, same reviewed text; S[0]'s edited source now holds its reviewed text as a
    # fuzzy suggestion, a pair not seen before: checked as it reads
    assert checked == [(edit_one_word(S[0]), "Reviewed by a person.")]

    checked.clear()

    approve(project, [S[2]], "Reviewed again, now with 99 balloons.")
    pipeline(*RUN, cwd=project)
    assert checked == [(S[2], "Reviewed again, now with 99 balloons.")]
    e = {e.msgid: e for e in polib.pofile(str(po_path(project)))}[S[2]]
    assert "qa: numbers" in e.comment and "99" in e.comment

    checked.clear()
    (project / ".pipeline" / "checked-en.json").write_text("{ damaged", encoding="utf-8")
    (project / "articles" / "b.gu.txt").write_text(S[7] + "\n", encoding="utf-8")
    pipeline(*RUN, cwd=project)
    # a damaged record: every text a person wrote checked again, with the same notes
    assert sorted(s for s, _ in checked) == sorted([edit_one_word(S[0]), S[2], S[3]])
    assert {e.msgid: e.comment for e in polib.pofile(str(po_path(project)))}[S[2]] == e.comment


def test_a_daily_update_reads_and_parses_each_catalogue_once(project, monkeypatch, pipeline):
    pipeline(*RUN, cwd=project)
    approve(project, [S[0]])
    pipeline(*RUN, cwd=project)
    daily_edit(project)
    reads: list[Path] = []
    real = pofile.read_catalog
    monkeypatch.setattr(pofile, "read_catalog", lambda path, *data: reads.append(Path(path)) or real(path, *data))
    opened: list[Path] = []
    real_open = Path.open  # read_bytes and read_text open the file through it
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    pipeline(*RUN, cwd=project)
    assert [p.name for p in reads].count("messages.po") == 1  # the plan's parse, held for the merge
    # its bytes give the digest, the plan's parse and the text the writer compares with
    assert [p.as_posix() for p in opened if p.name == "messages.po"] == ["locales/en/LC_MESSAGES/messages.po"]


def test_a_run_with_nothing_to_do_reads_no_cached_translation_and_reports_the_same(project, pipeline):
    pipeline(*RUN, cwd=project)
    approve(project, [S[1]])
    pipeline(*RUN, cwd=project)
    first = pipeline(*RUN, cwd=project)
    (project / ".pipeline" / "translate-en.json").write_text("{ not read on such a run", encoding="utf-8")
    before = files(project)
    second = pipeline(*RUN, cwd=project)
    assert "translate en" in second.err and "catalog en" in second.err
    assert second.out == first.out and "5 reused from memory, 1 reviewed kept" in second.out
    assert files(project) == before
