"""The reviewed memory of a run, per locale: every catalogue of the locale in the catalogue folder
(the layout's, a retired one's, any other), as `catalog.reviewed.LocaleMemory`.

It is built once per locale, before the run's first merge (so every merge, and a retired
catalogue's text, is read as the files were when the run began), and kept in the work directory
with each catalogue's file digest: a catalogue is parsed again only when its bytes changed. A
fresh clone reads every catalogue and gets the same memory.
"""

from __future__ import annotations

from pipeline import cache as caching
from pipeline.catalog import pofile
from pipeline.catalog.entry import edited_texts, reviewed_texts
from pipeline.catalog.merge import reused_sources
from pipeline.catalog.reviewed import LocaleMemory, ReadCatalog, refreshed
from pipeline.layout import Paths
from pipeline.ledger import Ledger


def catalogue_name(domain: str) -> str:
    """How a reused entry names the catalogue it came from: its path inside `LC_MESSAGES`."""
    return f"{domain}.po"


def locale_memory(paths: Paths, ledger: Ledger, locale: str) -> LocaleMemory:
    """`locale`'s reviewed memory from the catalogues on disk, reading again only those whose
    digest is not the one `ledger` holds (and recording what it read)."""
    files = {catalogue_name(d): paths.for_domain(d).po(locale) for d in paths.found_domains([locale])}
    held = ledger.reviewed(locale)
    digests, stale = {}, {}
    for name, path in files.items():
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            continue
        digests[name] = caching.bytes_digest(data)
        if name not in held or held[name].file != digests[name]:
            stale[name] = data  # the bytes the digest is of: parsed below

    def read(name: str, digest: str) -> ReadCatalog:
        parsed = pofile.read_catalog(files[name], stale.pop(name))  # a broken catalogue stops the run here
        po = ledger.migrated(locale, parsed.po if parsed is not None else None)
        return ReadCatalog(digest, reviewed_texts(po), edited_texts(po), frozenset(reused_sources(po)))

    catalogs, read_now = refreshed(held, digests, read)
    if read_now or catalogs.keys() != held.keys():
        ledger.put_reviewed(locale, catalogs)
    return LocaleMemory.of(catalogs)


def persons_of(po) -> set[str]:
    """The sources a catalogue holds as a person's text (approved or a fuzzy draft), as the
    memory will read them from it (see `LocaleMemory.key_for`)."""
    return set(reviewed_texts(po)) | set(edited_texts(po))
