"""The index of a catalogue set: a file is taken as unchanged from its state only when that state
was indexed long enough after its last write, else by digest; a damaged index is rebuilt."""

from __future__ import annotations

import os
import time

from pipeline import cache as caching
from pipeline.jobs.catalog_index import RACY_NS, file_state, still_settled, unchanged
from pipeline.jobs.report import RunReport
from pipeline.ledger import CATALOG_SET, CatalogSet, Ledger, SetStamp


def test_a_file_written_just_now_is_not_indexed_by_its_state(tmp_path):
    path = tmp_path / "a.po"
    path.write_text("x", encoding="utf-8")
    assert file_state(path, time.time_ns()) is None
    assert file_state(path, time.time_ns() + 2 * RACY_NS) is not None


def test_a_matching_state_is_trusted_and_a_changed_file_is_compared_by_digest(tmp_path):
    path = tmp_path / "a.po"
    path.write_bytes(b"written")
    digest = caching.file_digest(path)
    later = time.time_ns() + 2 * RACY_NS
    states: dict = {}
    assert unchanged(str(path), digest, states, "en.po", later)  # by digest, then its state indexed
    assert states["en.po"] == file_state(path, later)
    path.write_bytes(b"edited!")  # same size or not: mtime and inode tell
    assert not unchanged(str(path), digest, dict(states), "en.po", later)
    mtime = os.stat(path).st_mtime_ns
    path.write_bytes(b"written")
    os.utime(path, ns=(mtime, mtime))
    assert unchanged(str(path), digest, states, "en.po", later)  # the same bytes: unchanged after all


def test_a_missing_file_is_unchanged_only_when_none_was_indexed(tmp_path):
    states = {"en.mo": [1, 2, 3]}
    assert unchanged(str(tmp_path / "none.mo"), None, states, "en.mo", time.time_ns())
    assert "en.mo" not in states
    assert not unchanged(str(tmp_path / "none.mo"), "digest", {}, "en.mo", time.time_ns())


def test_a_stamp_is_settled_only_for_its_sources_and_settings(tmp_path):
    pot, po, mo = (tmp_path / n for n in ("a.pot", "a.po", "a.mo"))
    for path in (pot, po, mo):
        path.write_bytes(path.name.encode())
    record = {"settings": "s1", "po": caching.file_digest(po), "mo": caching.file_digest(mo)}
    stamp = SetStamp("sources", caching.file_digest(pot), {}, {"en": record})
    files = {"pot": str(pot), "en.po": str(po), "en.mo": str(mo)}
    now = time.time_ns()
    assert still_settled(files, stamp, "sources", {"en": "s1"}, now) is not None
    assert still_settled(files, stamp, "other sources", {"en": "s1"}, now) is None
    assert still_settled(files, stamp, "sources", {"en": "s2"}, now) is None
    assert still_settled(files, stamp, "sources", {"zh_Hans": "s1"}, now) is None
    po.write_bytes(b"a reviewer's edit")
    assert still_settled(files, stamp, "sources", {"en": "s1"}, now) is None


def test_the_index_round_trips_and_a_damaged_one_is_read_as_none(tmp_path):
    ledger = Ledger(tmp_path)
    index = CatalogSet("per-document", {"a/b": ["a/b.md"]}, {"a/b": SetStamp("k", "t", {"segments": 2}, {}, {})})
    ledger.put_catalog_set(index)
    assert ledger.catalog_set() == index
    ledger.file(CATALOG_SET).write_text('{"layout": "per-document", "domains": {', encoding="utf-8")
    assert ledger.catalog_set() is None
    ledger.file(CATALOG_SET).write_text(
        '{"layout": "per-document", "domains": {}, "stamps": {"x": 1}}', encoding="utf-8"
    )
    assert ledger.catalog_set() == CatalogSet("per-document", {}, {})  # a damaged entry: that catalogue is merged


def test_a_set_s_report_sums_its_catalogues_and_counts_what_each_skipped():
    total = RunReport()
    for skipped in (["segment", "catalog en"], ["catalog en"], []):
        part = RunReport(documents=1, segments=3, messages=2, skipped=skipped)
        part.stats("en").by_model = 2
        total.absorb(part)
    total.count_skipped(3)
    assert (total.documents, total.segments, total.messages) == (3, 9, 6)
    assert total.stats("en").by_model == 6
    assert total.skipped == ["segment (1 of 3 catalogues)", "catalog en (2 of 3 catalogues)"]
