"""The reviewed memory of a run, per locale: every catalogue of the locale in the catalogue folder
(the layout's, a retired one's, any other), as `catalog.reviewed.LocaleMemory`.

It is built once per locale, before the run's first merge (so every merge, and a retired
catalogue's text, is read as the files were when the run began), and kept in the work directory
with each catalogue's file digest: a catalogue is parsed again only when its bytes changed. A
fresh clone reads every catalogue and gets the same memory.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

from pipeline.catalog.entry import edited_texts, reviewed_texts
from pipeline.catalog.merge import reused_sources
from pipeline.catalog.reviewed import LocaleMemory, ReadCatalog, refreshed
from pipeline.jobs.catalog_files import CatalogFiles
from pipeline.jobs.catalog_index import settled_for
from pipeline.layout import Paths
from pipeline.ledger import Ledger


def catalogue_name(domain: str) -> str:
    """How a reused entry names the catalogue it came from: its path inside `LC_MESSAGES`."""
    return f"{domain}.po"


def read_catalogs(
    paths: Paths,
    ledger: Ledger,
    locale: str,
    held: dict[str, ReadCatalog] | None = None,
    catalogs: CatalogFiles | None = None,
) -> dict[str, ReadCatalog]:
    """`locale`'s catalogues on disk as `ReadCatalog`s, parsing only those whose digest is not
    the one `held` (by default what `ledger` holds) gives. A file whose size, modification time
    and inode are those held is taken as unchanged without reading it, as the catalogue index
    takes its files (see `catalog_index`); a state is held only once the file is old enough.
    `catalogs`: the run's catalogue files, so a catalogue read here is not read or parsed again
    when the run merges it."""
    catalogs = catalogs if catalogs is not None else CatalogFiles()
    files = {catalogue_name(d): paths.for_domain(d).po(locale) for d in paths.found_catalogs(locale)}
    held = ledger.reviewed(locale) if held is None else held
    now = time.time_ns()
    digests, stale, states = {}, {}, {}
    for name, path in files.items():
        try:
            st = os.stat(path)
            seen = (st.st_size, st.st_mtime_ns, st.st_ino)
            last = held.get(name)
            if last is not None and last.state == seen:
                digests[name] = last.file
                continue
            file = catalogs.read(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if file.data is None:
            continue
        digests[name] = file.digest
        states[name] = seen if settled_for(st, now) else None
        if last is None or last.file != digests[name]:
            stale[name] = file  # the bytes the digest is of: parsed below

    def read(name: str, digest: str) -> ReadCatalog:
        parsed = stale.pop(name).parsed()  # a broken catalogue stops the run here
        record = catalogue_record(digest, ledger.migrated(locale, parsed.po if parsed is not None else None))
        catalogs.keep_within_budget()  # a fresh clone's catalogues are not all held parsed until merged
        return record

    found = refreshed(held, digests, read)[0]
    return {name: replace(c, state=states[name]) if name in states else c for name, c in found.items()}


def catalogue_record(digest: str | None, po) -> ReadCatalog:
    """What the memory keeps of a catalogue: its approved entries, its persons' drafts, which
    approved entries are copies, and the digest of the file."""
    return ReadCatalog(digest, reviewed_texts(po), edited_texts(po), frozenset(reused_sources(po)))


class RunMemories:
    """The reviewed memories of one run: each locale's built when first asked for, and what the
    run itself writes recorded as it writes it (from the catalogue it merged, so the next run
    parses nothing it wrote); `save` keeps them in the work directory."""

    def __init__(self, paths: Paths, ledger: Ledger, catalogs: CatalogFiles | None = None):
        self.paths, self.ledger, self.catalogs_read = paths, ledger, catalogs
        self.catalogs: dict[str, dict[str, ReadCatalog]] = {}  # locale → catalogue name → as read or written
        self.memories: dict[str, LocaleMemory] = {}
        self.changed: set[str] = set()
        self.moved: set[str] = set()  # locales whose approvals changed (see `reviews_moved`)

    def memory(self, locale: str) -> LocaleMemory:
        if locale not in self.memories:
            held = self.ledger.reviewed(locale)
            self.catalogs[locale] = read_catalogs(self.paths, self.ledger, locale, held, self.catalogs_read)
            self.memories[locale] = LocaleMemory.of(self.catalogs[locale])
            if self.catalogs[locale] != held:
                self.changed.add(locale)
            if approvals(self.catalogs[locale]) != approvals(held):
                self.moved.add(locale)
        return self.memories[locale]

    def reviews_moved(self, locale: str) -> bool:
        """Whether what `locale`'s catalogues approve changed since the work directory last saw
        them (a reviewer's save, a catalogue gone): then any catalogue may hold a machine entry a
        review now fills, and each is checked against its stamp, not skipped whole."""
        self.memory(locale)
        return locale in self.moved

    def wrote(self, locale: str, domain: str, digest: str | None, po) -> ReadCatalog | None:
        """`domain`'s catalogue of `locale` as the run wrote it (the memory of this run stays as
        it was built: what the run found); returns what the record now holds of it."""
        self.memory(locale)
        name = catalogue_name(domain)
        now = catalogue_record(digest, po) if digest is not None else None
        if self.catalogs[locale].get(name) != now:
            if now is None:
                self.catalogs[locale].pop(name, None)
            else:
                self.catalogs[locale][name] = now
            self.changed.add(locale)
        return now

    def save(self) -> None:
        for locale in sorted(self.changed):
            self.ledger.put_reviewed(locale, self.catalogs[locale])
        self.changed.clear()


def approvals(catalogs: dict[str, ReadCatalog]) -> dict[str, tuple]:
    """What a memory's answers depend on: each catalogue's approved entries and which are copies."""
    return {name: (held.texts, held.copies) for name, held in catalogs.items() if held.texts}
