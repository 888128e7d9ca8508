"""A catalogue of a set that nothing changed is skipped from the set's index (see
`jobs.catalog_index`): the run says what the chain would say of it, and anything the index does
not vouch for (a reviewer's save, a removed .mo, another setting, a lost work directory entry)
sends the catalogue through the chain again."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[40:48]
RUN = ("run", "articles", "--to", "en", "--models", "models.yaml", "--catalogs", "per-document")


@pytest.fixture
def project(tmp_path, tiny_models, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    articles = tmp_path / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "budget.md").write_text(f"{S[0]}\n\n{S[1]}\n", encoding="utf-8")
    (articles / "politics" / "vote.txt").write_text(f"{S[2]}\n", encoding="utf-8")
    (articles / "index.md").write_text(f"{S[4]}\n", encoding="utf-8")
    (tmp_path / "models.yaml").write_text(
        tiny_models.read_text(encoding="utf-8").replace("source: ./", f"source: {tiny_models.parent}/"),
        encoding="utf-8",
    )
    return tmp_path


def test_a_no_change_run_reports_the_same_whether_or_not_the_index_holds_the_catalogues(pipeline, project):
    pipeline(*RUN, cwd=project)
    settled = pipeline(*RUN, cwd=project).stdout
    assert pipeline(*RUN, cwd=project).stdout == settled
    for entry in (project / ".pipeline").glob("*.json"):  # the set's own entries, the index among them
        entry.unlink()
    assert pipeline(*RUN, cwd=project).stdout == settled


def test_what_the_digests_do_not_vouch_for_goes_through_the_chain(pipeline, project):
    pipeline(*RUN, cwd=project)
    pipeline(*RUN, cwd=project)
    po = project / "locales" / "en" / "LC_MESSAGES" / "politics" / "budget.po"
    mo = project / "locales" / "en" / "LC_MESSAGES" / "index.mo"
    catalogue = polib.pofile(str(po))  # a reviewer approves an entry
    entry = next(e for e in catalogue if e.msgid == S[0])
    entry.msgstr, entry.flags = "Approved.", []
    catalogue.save(str(po))
    mo.unlink()
    out = pipeline(*RUN, cwd=project).stdout
    assert "1 reviewed kept" in out
    assert mo.is_file()  # rewritten, not skipped on a remembered digest
    assert polib.pofile(str(po)).find(S[0]).msgstr == "Approved."
    before = po.read_bytes().splitlines()
    pipeline(*RUN, "--no-wrap", cwd=project)  # another writer's setting: every catalogue merged again
    assert len(po.read_bytes().splitlines()) < len(before)  # long msgids on one line each


def test_a_catalogue_folder_linked_outside_is_refused_before_any_work(pipeline, project, tmp_path_factory):
    """Each folder of a set is resolved once: a section's folder linked elsewhere is still found."""
    outside = tmp_path_factory.mktemp("elsewhere")
    (project / "locales" / "en" / "LC_MESSAGES").mkdir(parents=True)
    (project / "locales" / "en" / "LC_MESSAGES" / "politics").symlink_to(outside, target_is_directory=True)
    ran = pipeline(*RUN, cwd=project, code=2)
    assert "leads outside" in ran.stderr and "politics" in ran.stderr
    assert not any(outside.iterdir()) and not (project / "locales" / "en" / "LC_MESSAGES" / "index.po").exists()
