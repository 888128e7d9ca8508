"""The run's reviewed memory: read from every catalogue of a locale, parsed again only when a
catalogue's bytes changed, and the same whatever the work directory holds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import polib

from pipeline import ledger as entries
from pipeline.catalog import pofile
from pipeline.jobs import reviewed_stage
from pipeline.layout import Paths
from pipeline.ledger import Ledger

GU = (Path(__file__).parent.parent / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
A, B = GU[60], GU[61]


def write(paths: Paths, domain: str, entries: list[polib.POEntry]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for e in entries:
        po.append(e)
    path = paths.for_domain(domain).po("en")
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def memory_of(paths: Paths):
    """A run's memory of `en`, kept in the work directory as a run keeps it."""
    memories = reviewed_stage.RunMemories(paths, Ledger(paths.workdir))
    found = memories.memory("en")
    memories.save()
    return found


def test_catalogues_are_parsed_again_only_when_their_bytes_changed(tmp_path, monkeypatch):
    paths = Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    paths.workdir.mkdir()
    write(paths, "a", [polib.POEntry(msgid=A, msgstr="A, approved.")])
    b = write(paths, "politics/b", [polib.POEntry(msgid=B, msgstr="B, draft.", flags=["fuzzy"])])
    parsed = []
    real = pofile.read_for_merge
    monkeypatch.setattr(pofile, "read_for_merge", lambda path, data=None: parsed.append(path.name) or real(path, data))

    memory = memory_of(paths)
    assert memory.elsewhere(A, "politics/b.po") == ("A, approved.", "a.po")
    assert memory.draft_elsewhere(B, "a.po") == (("B, draft.", None), "politics/b.po")
    assert sorted(parsed) == ["a.po", "b.po"]

    parsed.clear()
    again = memory_of(paths)
    assert parsed == [] and again.holders == memory.holders and again.drafts == memory.drafts

    write(paths, "politics/b", [polib.POEntry(msgid=B, msgstr="B, approved.")])
    now = memory_of(paths)
    assert parsed == ["b.po"]
    assert now.elsewhere(B, "a.po") == ("B, approved.", "politics/b.po")

    b.unlink()
    parsed.clear()
    gone = memory_of(paths)
    assert parsed == [] and gone.elsewhere(B, "a.po") is None


def test_a_damaged_work_directory_entry_is_read_again_from_the_catalogues(tmp_path):
    paths = Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    paths.workdir.mkdir()
    write(paths, "a", [polib.POEntry(msgid=A, msgstr="A, approved.")])
    memory_of(paths)
    for damaged in ('{"key": "1", "catalogs": {"a.po": {"file": 3, "texts": {}, "drafts": 7}}}', "[1]", "{"):
        Ledger(paths.workdir).file(entries.reviewed("en")).write_text(damaged, encoding="utf-8")
        memory = memory_of(paths)
        assert memory.elsewhere(A, "b.po") == ("A, approved.", "a.po")


def test_a_catalogue_old_enough_is_taken_as_unchanged_from_its_size_time_and_inode(tmp_path, monkeypatch):
    paths = Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    paths.workdir.mkdir()
    a = write(paths, "a", [polib.POEntry(msgid=A, msgstr="A, approved.")])
    os.utime(a, ns=(time.time_ns() - 60_000_000_000,) * 2)  # written a minute ago
    memory_of(paths)  # read, and its state kept
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    assert memory_of(paths).elsewhere(A, "b.po") == ("A, approved.", "a.po")
    assert read == []
    write(paths, "a", [polib.POEntry(msgid=A, msgstr="A, approved again.")])  # a new state: read again
    assert memory_of(paths).elsewhere(A, "b.po") == ("A, approved again.", "a.po")
    assert read == ["a.po"]
