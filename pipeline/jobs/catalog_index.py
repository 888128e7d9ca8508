"""The index of a catalogue set: what lets a run with thousands of catalogues skip the unchanged
ones with one small file read, instead of a stamp per catalogue and locale.

A catalogue is indexed when a run leaves it settled: the next run with the same sources and
settings would find every locale's catalogue current (asked exactly as that run asks). It is
skipped while its sources' key and settings are those indexed and its files are byte for byte
what that run left: a file whose size, modification time and inode are those indexed is taken as
unchanged (as git's index does), any other is compared by digest. A file's state is indexed only
once it is older than `RACY_NS`, so an edit within the clock's granularity of the write is never
taken for the written file.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pipeline import cache as caching
from pipeline.jobs.localise_stage import localise_key
from pipeline.jobs.report import RunReport
from pipeline.jobs.segment_stage import cleaned_characters
from pipeline.jobs.translate_stage import TranslateStats, translate_key
from pipeline.ledger import CatalogStamp, SetStamp, Written

RACY_NS = 2_000_000_000  # a file written less than this before the index is digested next time


def settled(runner, segmented, locales: list[str], old: SetStamp | None, documents: int, now: int) -> SetStamp | None:
    """The index entry of the catalogue the runner is in, when the next run with these inputs
    will find it current (the template, and each locale's catalogue and .mo); None when that run
    would merge again (a batch left untranslated, say). The other locales' records of the last
    entry are kept while its sources are the same (a run for `--to en` leaves zh's record)."""
    template = runner.template_current(segmented)
    if template is None:
        return None
    records = dict(old.locales) if old is not None and old.sources == segmented.key else {}
    states = dict(old.states) if old is not None and old.sources == segmented.key else {}
    states["pot"] = file_state(runner.paths.pot(), now)
    for locale in locales:
        file = runner.catalogs.read(runner.paths.po(locale))
        planned = runner.plan_catalog(segmented, locale, file)
        expected = localise_key(runner.config, locale, translate_key(runner.config, locale, planned))
        stamp = runner.current_stamp(locale, segmented, expected, file)
        runner.catalogs.done(file.path)
        if stamp is None:
            return None
        records[locale] = {
            "settings": runner.settings_key(locale),
            "po": stamp.written.file,
            "mo": stamp.mo,
            "todo": len(planned.plan.todo),
            "findings": stamp.findings,
            "reviewed": stamp.reviewed,
            "edited": stamp.edited,
        }
        states[f"{locale}.po"] = file_state(runner.paths.po(locale), now)
        states[f"{locale}.mo"] = file_state(runner.paths.mo(locale), now)
    counts = {"documents": documents, "segments": len(segmented.stored), "messages": segmented.message_count}
    return SetStamp(segmented.key, template, counts, records, states)


def still_settled(files: dict[str, str], stamp: SetStamp | None, sources_key: str, settings: dict[str, str], now: int):
    """`stamp` (with the file states seen now) when the catalogue's sources and settings are
    those it was settled with and its files (`Paths.catalog_files`) are byte for byte what that
    run left; else None."""
    if stamp is None or stamp.sources != sources_key:
        return None
    states = dict(stamp.states)
    if not unchanged(files["pot"], stamp.template, states, "pot", now):
        return None
    for locale, wanted in settings.items():
        record = stamp.locales.get(locale)
        if not isinstance(record, dict) or record.get("settings") != wanted:
            return None
        for kind in ("po", "mo"):
            if not unchanged(files[f"{locale}.{kind}"], record.get(kind), states, f"{locale}.{kind}", now):
                return None
    return stamp if states == stamp.states else replace(stamp, states=states)


def unchanged(path: str, digest: str | None, states: dict, role: str, now: int) -> bool:
    """The file at `path` has `digest` (None: there is none); `states[role]` is what its state
    says now, taken without reading it when the state indexed matches."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        states.pop(role, None)
        return digest is None
    seen = [st.st_size, st.st_mtime_ns, st.st_ino]
    if states.get(role) == seen:
        return True
    if digest is None or caching.file_digest(path) != digest:
        return False
    states[role] = seen if settled_for(st, now) else None
    return True


def settled_for(st: os.stat_result, now: int) -> bool:
    """Whether a file's state may stand for its bytes: it was written long enough before `now`
    that an edit within the clock's granularity would show in its modification time."""
    return st.st_mtime_ns < now - RACY_NS


def file_state(path: Path, now: int) -> list | None:
    """Size, modification time and inode of the file, when it is old enough to be indexed."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino] if settled_for(st, now) else None


def replayed(stamp: SetStamp, locales: list[str], routes: dict, payloads) -> RunReport:
    """What the report says of a catalogue skipped whole: what its last run said. Control
    characters in its sources are looked for afresh, as on every run."""
    part = RunReport()
    part.documents = stamp.counts.get("documents", len(payloads))
    part.segments, part.messages = stamp.counts.get("segments", 0), stamp.counts.get("messages", 0)
    part.cleaned = cleaned_characters(payloads)
    part.warnings += part.cleaned
    part.skipped.append("segment")
    for locale in locales:
        record = stamp.locales[locale]
        said = [record.get(k) if isinstance(record.get(k), int) else 0 for k in ("findings", "reviewed", "edited")]
        part.record(locale, status=CatalogStamp(None, Written(None), None, *said), skipped=f"catalog {locale}")
        todo = record.get("todo") if isinstance(record.get("todo"), int) else 0
        part.record(
            locale, route=routes[locale], translated=TranslateStats(from_memory=todo), skipped=f"translate {locale}"
        )
    return part
