"""Which files a run reads, and under which document names (see `pipeline.ingest.collect_sources`)."""

from __future__ import annotations

import pytest

from pipeline.errors import PipelineError
from pipeline.ingest import collect_sources
from pipeline.layout import EXPORT_MARKER


def test_a_folder_gives_its_supported_files_in_path_order_leaving_out_skipped_and_exported_folders(tmp_path):
    for name in ["b/z.txt", "a-b/x.md", "a/y.HTML", "a/notes.pdf", "work/w.txt", "out/o.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("ક.\n", encoding="utf-8")
    (tmp_path / "out" / EXPORT_MARKER).write_text("", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()  # a folder named like a source is not one
    found = collect_sources([tmp_path], skip=[tmp_path / "work"])
    assert [name for _, name in found] == ["a/y.HTML", "a-b/x.md", "b/z.txt"]
    assert [file for file, _ in found] == [tmp_path / "a/y.HTML", tmp_path / "a-b/x.md", tmp_path / "b/z.txt"]


def test_files_named_twice_under_one_document_name_are_refused_naming_it(tmp_path):
    files = []
    for folder in ["one", "two", "three"]:
        for name in ["same.txt", f"{folder}.txt"]:
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / name).write_text("ક.\n", encoding="utf-8")
            files.append(tmp_path / folder / name)
    with pytest.raises(PipelineError, match=r"share the document name same\.txt$"):
        collect_sources(files)
    assert len(collect_sources([f for f in files if f.name != "same.txt"])) == 3
