"""An archive in catalogues people can open: `--catalogs per-document` and `per-folder`.

A newsroom runs the pipeline over a folder of articles and gets one catalogue per article (or per
section): nested file names, collisions refused before any work, a no-change run that parses no
catalogue, an edit that rewrites only its own article's files, and a fresh clone that writes the
same bytes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from pipeline.catalog import pofile
from pipeline.jobs import catalog_index
from pipeline.ledger import Ledger
from pipeline.mt.executors import LocalExecutor

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[40:48]

RUN = ("run", "articles", "--to", "en", "--models", "models.yaml")
PER_DOCUMENT = ("--catalogs", "per-document")


@pytest.fixture
def project(tmp_path, tiny_models, monkeypatch):
    """Three articles in two sections and one at the top."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # header dates equal in every copy
    project = tmp_path / "project"  # its copies go beside it
    articles = project / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "sport").mkdir()
    (articles / "politics" / "budget.md").write_text(f"{S[0]}\n\n{S[1]}\n", encoding="utf-8")
    (articles / "politics" / "vote.txt").write_text(f"{S[2]}\n", encoding="utf-8")
    (articles / "sport" / "cricket.html").write_text(f"<p>{S[3]}</p>\n<p>{S[0]}</p>\n", encoding="utf-8")
    (articles / "index.md").write_text(f"{S[4]}\n", encoding="utf-8")
    (project / "models.yaml").write_text(
        tiny_models.read_text(encoding="utf-8").replace("source: ./", f"source: {tiny_models.parent}/"),
        encoding="utf-8",
    )
    return project


def files(project: Path, folder: str = "locales") -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / folder).rglob("*")) if p.is_file()
    }


def mtimes(project: Path) -> dict[str, int]:
    return {
        p.relative_to(project).as_posix(): p.stat().st_mtime_ns for p in (project / "locales").rglob("*") if p.is_file()
    }


def msgids(path: Path) -> list[str]:
    return [e.msgid for e in polib.pofile(str(path)) if not e.obsolete]


DOCUMENT_FILES = {
    f"locales/{name}"
    for domain in ("index", "politics/budget", "politics/vote", "sport/cricket")
    for name in (f"{domain}.pot", f"en/LC_MESSAGES/{domain}.po", f"en/LC_MESSAGES/{domain}.mo")
}


def test_one_catalogue_per_document_named_by_its_path(project, pipeline):
    out = pipeline(*RUN, *PER_DOCUMENT, cwd=project).out
    assert set(files(project)) == DOCUMENT_FILES
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert msgids(en / "politics" / "budget.po") == [S[0], S[1]]
    assert msgids(en / "sport" / "cricket.po") == [S[3], S[0]]  # a sentence of two documents is in both
    assert msgids(project / "locales" / "politics" / "vote.pot") == [S[2]]
    refs = {e.msgid: e.occurrences for e in polib.pofile(str(en / "politics" / "budget.po"))}
    assert refs[S[1]][0][0] == "politics/budget.md"
    assert "from 4 document(s)" in out


def test_one_catalogue_per_top_level_folder(project, pipeline):
    pipeline(*RUN, "--catalogs", "per-folder", cwd=project)
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert sorted(p.relative_to(en).as_posix() for p in en.rglob("*.po")) == ["index.po", "politics.po", "sport.po"]
    assert msgids(en / "politics.po") == [S[0], S[1], S[2]]
    assert not (project / ".pipeline" / "segments.json").exists()  # a set keeps its entries per catalogue


def test_the_layout_is_read_from_models_yaml(project, pipeline):
    models = project / "models.yaml"
    models.write_text("catalogs: per-document\n" + models.read_text(encoding="utf-8"), encoding="utf-8")
    pipeline(*RUN, cwd=project)
    assert set(files(project)) == DOCUMENT_FILES
    pipeline("segment", "articles", cwd=project)  # takes no --models: reads the one in the folder
    index = json.loads((project / ".pipeline" / "catalog-set.json").read_text(encoding="utf-8"))
    assert index["layout"] == "per-document" and sorted(index["domains"]) == sorted(
        ["index", "politics/budget", "politics/vote", "sport/cricket"]
    )


def test_a_bad_layout_in_models_yaml_names_its_line(project, pipeline):
    models = project / "models.yaml"
    models.write_text("# the site\ncatalogs: per-article\n" + models.read_text(encoding="utf-8"), encoding="utf-8")
    err = pipeline(*RUN, cwd=project, code=2).err
    assert "models.yaml:2" in err and "per-article" in err and "per-document" in err
    assert not (project / "locales").exists()


def test_sources_sharing_a_catalogue_are_refused_before_any_work(project, pipeline):
    (project / "articles" / "politics" / "budget.html").write_text(f"<p>{S[5]}</p>\n", encoding="utf-8")
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project, code=2).err
    assert "budget.md" in err and "budget.html" in err and "politics/budget.po" in err
    assert "Traceback" not in err
    assert not (project / "locales").exists() and not (project / ".pipeline" / "catalogs").exists()


def test_a_source_whose_name_cannot_name_a_catalogue_is_refused(project, pipeline):
    (project / "articles" / "my page.md").write_text(f"{S[5]}\n", encoding="utf-8")
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project, code=2).err
    assert "my page.md" in err and "not a usable gettext domain" in err
    assert not (project / "locales").exists()


def test_a_rerun_with_nothing_changed_parses_no_catalogue(project, pipeline, monkeypatch):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    before, times = files(project), mtimes(project)
    parsed: list[Path] = []
    real = pofile.read_catalog
    monkeypatch.setattr(pofile, "read_catalog", lambda path, *data: parsed.append(Path(path)) or real(path, *data))
    entries_read: list[Path] = []
    real_read = Ledger.read
    monkeypatch.setattr(
        Ledger, "read", lambda self, entry: entries_read.append(self.file(entry)) or real_read(self, entry)
    )
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project).err
    assert parsed == []
    assert [p.name for p in entries_read] == ["catalog-set.json"]  # one index, no catalogue's own entries
    assert "segment (4 of 4 catalogues)" in err and "catalog en (4 of 4 catalogues)" in err
    assert files(project) == before and mtimes(project) == times


def test_editing_one_document_rewrites_only_its_catalogue(project, pipeline, monkeypatch):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    before, times = files(project), mtimes(project)
    (project / "articles" / "politics" / "vote.txt").write_text(f"{S[2]}\n{S[6]}\n", encoding="utf-8")
    parsed: list[Path] = []
    real = pofile.read_catalog
    monkeypatch.setattr(pofile, "read_catalog", lambda path, *data: parsed.append(Path(path)) or real(path, *data))
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project).err
    assert {p.name for p in parsed} <= {"vote.po", "vote.pot"}
    assert "segment (3 of 4 catalogues)" in err
    after = files(project)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"locales/politics/vote.pot", "locales/en/LC_MESSAGES/politics/vote.po"}  # new: fuzzy, not in .mo
    unchanged = set(before) - changed
    assert all(mtimes(project)[name] == times[name] for name in unchanged)
    assert msgids(project / "locales" / "en" / "LC_MESSAGES" / "politics" / "vote.po") == [S[2], S[6]]


def test_a_fresh_clone_writes_the_same_bytes(project, pipeline):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    po = project / "locales" / "en" / "LC_MESSAGES" / "politics" / "budget.po"
    catalogue = polib.pofile(str(po))
    for e in catalogue:
        if e.msgid == S[0]:
            e.msgstr, e.flags = "Reviewed by a person.", []
    catalogue.save()
    (project / "articles" / "sport" / "cricket.html").write_text(f"<p>{S[3]}</p>\n<p>{S[7]}</p>\n", encoding="utf-8")
    clone = project.parent / "clone"
    shutil.copytree(project, clone)
    shutil.rmtree(clone / ".pipeline")
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    pipeline(*RUN, *PER_DOCUMENT, cwd=clone)
    assert files(project) == files(clone)


def test_stage_commands_write_what_run_writes(project, pipeline):
    clone = project.parent / "stages"
    shutil.copytree(project, clone)
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    common = ("--models", "models.yaml", *PER_DOCUMENT)
    pipeline("segment", "articles", *PER_DOCUMENT, cwd=clone)
    pipeline("translate", "--to", "en", *common, cwd=clone)
    pipeline("localize", "--to", "en", *common, cwd=clone)
    pipeline("catalog", "--to", "en", *common, cwd=clone)
    assert files(clone) == files(project)


def test_a_stage_alone_in_another_layout_than_the_segments_is_refused(project, pipeline):
    pipeline("segment", "articles", *PER_DOCUMENT, cwd=project)
    err = pipeline("translate", "--to", "en", "--models", "models.yaml", cwd=project, code=2).err
    assert "--catalogs per-document" in err
    err = pipeline(
        "translate", "--to", "en", "--models", "models.yaml", "--catalogs", "per-folder", cwd=project, code=2
    )
    assert "--catalogs per-document" in err.err


def test_a_document_removed_leaves_its_catalogue_obsolete_without_its_mo(project, pipeline):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    (project / "articles" / "index.md").unlink()
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert not (en / "index.mo").exists() and not (project / "locales" / "index.pot").exists()
    entries = polib.pofile(str(en / "index.po"))
    assert [e.msgid for e in entries.obsolete_entries()] == [S[4]] and not msgids(en / "index.po")
    before = files(project)
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    assert files(project) == before

    (project / "articles" / "politics" / "vote.txt").unlink()
    pipeline(*RUN, *PER_DOCUMENT, "--purge-obsolete", cwd=project)
    assert not (en / "politics" / "vote.po").exists() and not (en / "politics" / "vote.mo").exists()


def test_switching_from_one_catalogue_retires_it(project, pipeline):
    pipeline(*RUN, cwd=project)
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert not (en / "messages.mo").exists() and not (project / "locales" / "messages.pot").exists()
    assert not msgids(en / "messages.po")
    assert len(polib.pofile(str(en / "messages.po")).obsolete_entries()) == 5
    assert (en / "politics" / "budget.mo").exists()


def test_a_first_build_translates_every_document_s_sentences_in_one_call(project, pipeline, monkeypatch):
    calls: list[int] = []
    real = LocalExecutor.translate_into_memory
    monkeypatch.setattr(
        LocalExecutor,
        "translate_into_memory",
        lambda self, route, texts, *rest: calls.append(len(texts)) or real(self, route, texts, *rest),
    )
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    assert calls == [5]  # the five sentences of four documents, not one call per document


def test_a_reviewer_s_edit_is_seen_when_the_index_trusts_file_states(project, pipeline, monkeypatch):
    monkeypatch.setattr(catalog_index, "RACY_NS", 0)  # every file's state indexed at once
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    index = json.loads((project / ".pipeline" / "catalog-set.json").read_text(encoding="utf-8"))
    assert index["stamps"]["politics/vote"]["states"]["en.po"] is not None
    po = project / "locales" / "en" / "LC_MESSAGES" / "politics" / "vote.po"
    catalogue = polib.pofile(str(po))
    catalogue.find(S[2]).flags = []  # approved as the machine wrote it
    catalogue.save()
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project).err
    assert "catalog en (3 of 4 catalogues)" in err
    assert S[2] in {e.msgid for e in polib.mofile(str(po.with_suffix(".mo")))}


def test_a_catalogue_linked_outside_the_catalogue_folder_is_refused(project, pipeline, tmp_path):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    outside = tmp_path / "elsewhere.po"
    outside.write_text("", encoding="utf-8")
    po = project / "locales" / "en" / "LC_MESSAGES" / "politics" / "vote.po"
    po.unlink()
    po.symlink_to(outside)
    err = pipeline(*RUN, *PER_DOCUMENT, cwd=project, code=2).err
    assert "politics/vote.po" in err and "through a link" in err
    assert outside.read_text(encoding="utf-8") == ""


def test_switching_back_to_one_catalogue_retires_the_documents_catalogues(project, pipeline):
    pipeline(*RUN, *PER_DOCUMENT, cwd=project)
    pipeline(*RUN, cwd=project)
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert sorted(p.relative_to(en).as_posix() for p in en.rglob("*.mo")) == ["messages.mo"]
    assert sorted(p.relative_to(project / "locales").as_posix() for p in (project / "locales").rglob("*.pot")) == [
        "messages.pot"
    ]
    assert not msgids(en / "politics" / "budget.po") and sorted(msgids(en / "messages.po")) == sorted(S[:5])


def test_one_catalogue_leaves_other_domains_in_the_folder_alone(project, pipeline):
    pipeline(*RUN, "--domain", "site", cwd=project)
    pipeline(*RUN, cwd=project)
    en = project / "locales" / "en" / "LC_MESSAGES"
    assert (en / "site.mo").exists() and msgids(en / "site.po") == msgids(en / "messages.po")
