"""The work directory's ledger: every entry of `.pipeline/`, its name (a function of the locale
where it has one), the key it is stamped with, and the value it holds. The runner and export ask
it; nothing else spells an entry's name.

    segments.json          Segmented (jobs.segment_stage)       keyed by the sources' bytes and rules
    sources.json           the sources' text, for export          keyed by the segments' key
    plan-L.json            Planned (jobs.plan_stage)             keyed by the messages and L's catalogue
    translate-L.json       Raw (jobs.translate_stage)            keyed by the plan and the route
    localise-L.json        Localised (jobs.localise_stage)       keyed by the raw output and the rules
    template.json          TemplateStamp                         what the catalogue stage last wrote
    catalog-L.json         CatalogStamp                          the same, for L's .po and .mo
    checked-L.json         CheckedPairs                          QA findings per (source, text) pair
    owned-L.json           an ownership record of versions before digests, read here alone
    catalog-set.json       CatalogSet                            the layout, each catalogue's documents, and
                                                                 the index of settled catalogues (SetStamp)
    catalogs/DOMAIN/       a sub-ledger per catalogue of a set   (`--catalogs per-document|per-folder`):
                           the entries above for that catalogue alone (see `Ledger.for_domain`)
    reviewed-L.json        {catalogue: ReadCatalog}              the approved entries of each of L's
                                                                 catalogues, with the digest of its file

The single layout keeps its entries at the top, as before sets existed; the translation memory is
one per project whatever the layout, and so is each locale's reviewed memory (`reviewed-L.json`,
over every catalogue of the locale, see `jobs.reviewed_stage`).

An entry is used only when its key equals the key computed from the current inputs, so a deleted,
stale or damaged entry costs the time to rebuild it and nothing else. Reading a work directory an
earlier version left is a migration, done here once: a plan without its content key is rewritten
with it, and an old ownership record becomes the digest notes the catalogue carries today (see
`Ledger.migrated`), so no other module knows such records existed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import polib

from pipeline import cache as caching
from pipeline.catalog.entry import is_fuzzy, is_translated, model_of, texts, with_note, written_digest
from pipeline.catalog.reviewed import ReadCatalog
from pipeline.fsutil import write_atomic

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One entry of the work directory: `NAME.json`, holding a T."""

    name: str

    def file(self, workdir: Path) -> Path:
        return Path(workdir) / f"{self.name}.json"


SEGMENTS: Entry = Entry("segments")
SOURCES: Entry = Entry("sources")
TEMPLATE: Entry = Entry("template")
CATALOG_SET: Entry = Entry("catalog-set")
CATALOGS_FOLDER = "catalogs"  # the sub-ledgers of a catalogue set


def plan(locale: str) -> Entry:
    return Entry(f"plan-{locale}")


def translations(locale: str) -> Entry:
    return Entry(f"translate-{locale}")


def localised(locale: str) -> Entry:
    return Entry(f"localise-{locale}")


def catalog(locale: str) -> Entry:
    return Entry(f"catalog-{locale}")


def checked(locale: str) -> Entry:
    return Entry(f"checked-{locale}")


def reviewed(locale: str) -> Entry:
    return Entry(f"reviewed-{locale}")


REVIEWED_FORM = "1"  # the form of `reviewed-L.json`; its catalogues are checked one by one by digest


def _legacy_owned(locale: str) -> Entry:
    return Entry(f"owned-{locale}")


@dataclass(frozen=True)
class Written:
    """What the catalogue stage last wrote into a file: its digest, its layout, and each entry's
    fields' digest in order (see `poformat.format_entries`), so unchanged entries are copied."""

    file: str | None
    wrap: object = None
    entries: object = None  # list[str] as stored; anything else in a damaged entry


@dataclass(frozen=True)
class TemplateStamp:
    key: str | None
    written: Written

    @classmethod
    def from_dict(cls, data: dict) -> TemplateStamp:
        return cls(data.get("key"), Written(data.get("pot"), data.get("wrap"), data.get("entries")))

    def to_dict(self) -> dict:
        return {"pot": self.written.file, "wrap": self.written.wrap, "entries": self.written.entries}


@dataclass(frozen=True)
class CatalogStamp:
    """A locale's .po and .mo as the catalogue stage wrote them, and what `pipeline status` says
    of them (the report's counts). `next`: the key the following run will come with, when the
    merge itself changed who owns some entries (see `Runner._merge`)."""

    key: str | None
    written: Written
    mo: str | None
    findings: int = 0
    reviewed: int = 0
    edited: int = 0
    next: str | None = None

    def accepts(self, wanted: str) -> bool:
        return wanted in (self.key, self.next)

    @classmethod
    def from_dict(cls, data: dict) -> CatalogStamp:
        return cls(
            data.get("key"),
            Written(data.get("po"), data.get("wrap"), data.get("entries")),
            data.get("mo"),
            data.get("findings", 0),
            data.get("reviewed", 0),
            data.get("edited", 0),
            data.get("next"),
        )

    def to_dict(self) -> dict:
        data = {
            "po": self.written.file,
            "mo": self.mo,
            "findings": self.findings,
            "reviewed": self.reviewed,
            "edited": self.edited,
            "wrap": self.written.wrap,
            "entries": self.written.entries,
        }
        if self.next is not None:
            data["next"] = self.next
        return data


@dataclass(frozen=True)
class SetStamp:
    """One catalogue of a set as the last run left it, settled (the next run with the same inputs
    writes the same files): its sources' key, its counts, the template's digest, and per locale
    the settings it was made with (`Runner.settings_key`), the digests of its .po and .mo, and
    what the report says of it. A run finding all of it so skips the catalogue without reading
    its sub-ledger."""

    sources: str
    template: str | None
    counts: dict  # documents, segments, messages
    locales: dict  # locale -> {settings, po, mo, todo, findings, reviewed, edited}
    states: dict = field(
        default_factory=dict
    )  # "pot", "L.po", "L.mo" -> [size, mtime_ns, inode] (see `jobs.catalog_index`)

    @classmethod
    def from_dict(cls, data: dict) -> SetStamp | None:
        try:
            states = data.get("states")
            return cls(
                data["sources"],
                data["template"],
                dict(data["counts"]),
                dict(data["locales"]),
                dict(states) if isinstance(states, dict) else {},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def to_dict(self) -> dict:
        return {
            "sources": self.sources,
            "template": self.template,
            "counts": self.counts,
            "locales": self.locales,
            "states": self.states,
        }


@dataclass(frozen=True)
class CatalogSet:
    """What the last run or segment stage grouped into catalogues: the layout and each
    catalogue's documents, so a stage run alone (`pipeline translate --catalogs per-document`)
    knows the set; and the index of settled catalogues (see `SetStamp`): one small file read
    per run instead of a stamp per catalogue."""

    layout: str
    domains: dict[str, list[str]]
    stamps: dict[str, SetStamp] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> CatalogSet | None:
        layout, domains, stamps = data.get("layout"), data.get("domains"), data.get("stamps")
        if not isinstance(layout, str) or not isinstance(domains, dict):
            return None
        read = {d: SetStamp.from_dict(v) for d, v in stamps.items()} if isinstance(stamps, dict) else {}
        return cls(layout, {d: list(names) for d, names in domains.items()}, {d: v for d, v in read.items() if v})

    def to_dict(self) -> dict:
        return {
            "layout": self.layout,
            "domains": self.domains,
            "stamps": {d: v.to_dict() for d, v in sorted(self.stamps.items())},
        }


@dataclass(frozen=True)
class CheckedPairs:
    """QA findings by (source, text) pair digest, as `qa.remembered.RememberedChecks` keeps them."""

    pairs: dict[str, list]

    @classmethod
    def from_dict(cls, data: dict) -> CheckedPairs:
        pairs = data.get("pairs")
        return cls(pairs if isinstance(pairs, dict) else {})

    def to_dict(self) -> dict:
        return {"pairs": self.pairs}


class Ledger:
    """The work directory's entries, read and written as values."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)

    def file(self, entry: Entry) -> Path:
        return entry.file(self.workdir)

    def for_domain(self, domain: str) -> Ledger:
        """The sub-ledger of one catalogue of a set (`catalogs/DOMAIN/`); a domain is a checked
        relative path (see `layout.check_domain`), so it stays inside the work directory."""
        return Ledger(self.workdir / CATALOGS_FOLDER / domain)

    def drop(self, entry: Entry) -> None:
        self.file(entry).unlink(missing_ok=True)

    def clear(self) -> None:
        """Every entry of this (sub-)ledger removed; the sub-ledgers inside it are left."""
        for file in self.workdir.glob("*.json"):
            file.unlink(missing_ok=True)

    # --- entries as stored -------------------------------------------------------------------

    def read(self, entry: Entry) -> dict | None:
        """The entry whatever its key (a stage run alone continues from what the last one left)."""
        try:
            data = json.loads(self.file(entry).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError, UnicodeDecodeError):
            return None  # a damaged entry is simply rebuilt
        return data if isinstance(data, dict) else None

    def get(self, entry: Entry, wanted: str) -> dict | None:
        """The entry's data when its key is `wanted`, else None."""
        data = self.read(entry)
        return data if data is not None and data.get("key") == wanted else None

    def put(self, entry: Entry, stamp: str, data: dict) -> None:
        # no indent: only then does json use its C encoder (entries hold every translation)
        data = json.dumps({**data, "key": stamp}, ensure_ascii=False, sort_keys=True)
        write_atomic(self.file(entry), data, durable=False)  # a cache: a damaged entry is rebuilt

    def load(self, entry: Entry[T], wanted: str, load: Callable[[dict], T], dump: Callable[[T], dict]) -> T | None:
        """The entry's value when its key is `wanted`; an entry an earlier version wrote in an
        older form is rewritten in today's, once."""
        data = self.get(entry, wanted)
        if data is None:
            return None
        value = load(data)
        stored = dump(value)
        if stored.keys() != data.keys() - {"key"}:
            self.put(entry, wanted, stored)
        return value

    # --- typed entries -----------------------------------------------------------------------

    def segments_key(self) -> str | None:
        """The key of the segments the last segment stage left (what `sources.json` is stamped with)."""
        data = self.read(SEGMENTS)
        key = data.get("key") if data is not None else None
        return key if isinstance(key, str) else None

    def template(self) -> TemplateStamp | None:
        data = self.read(TEMPLATE)
        return TemplateStamp.from_dict(data) if data is not None else None

    def put_template(self, stamp: TemplateStamp) -> None:
        self.put(TEMPLATE, stamp.key, stamp.to_dict())

    def catalog(self, locale: str) -> CatalogStamp | None:
        data = self.read(catalog(locale))
        return CatalogStamp.from_dict(data) if data is not None else None

    def put_catalog(self, locale: str, stamp: CatalogStamp) -> None:
        self.put(catalog(locale), stamp.key, stamp.to_dict())

    def catalog_set(self) -> CatalogSet | None:
        data = self.read(CATALOG_SET)
        return CatalogSet.from_dict(data) if data is not None else None

    def put_catalog_set(self, value: CatalogSet) -> None:
        self.put(CATALOG_SET, value.layout, value.to_dict())

    def checked(self, locale: str, rules: str) -> CheckedPairs | None:
        data = self.get(checked(locale), rules)
        return CheckedPairs.from_dict(data) if data is not None else None

    def put_checked(self, locale: str, rules: str, pairs: CheckedPairs) -> None:
        self.put(checked(locale), rules, pairs.to_dict())

    def reviewed(self, locale: str) -> dict[str, ReadCatalog]:
        """Each of `locale`'s catalogues' approved entries as last read (see `catalog.reviewed`)."""
        data = self.get(reviewed(locale), REVIEWED_FORM)
        catalogs = data.get("catalogs") if data is not None else None
        if not isinstance(catalogs, dict):
            return {}
        read = {name: _reviewed_record(held) for name, held in catalogs.items()}
        return {name: held for name, held in read.items() if held is not None}

    def put_reviewed(self, locale: str, catalogs: dict[str, ReadCatalog]) -> None:
        data = {
            name: {
                "file": held.file,
                "texts": held.texts,
                "drafts": {s: list(d) for s, d in held.drafts.items()},
                "copies": sorted(held.copies),
                "state": list(held.state) if held.state is not None else None,
            }
            for name, held in catalogs.items()
        }
        self.put(reviewed(locale), REVIEWED_FORM, {"catalogs": data})

    # --- old work directories ----------------------------------------------------------------

    def migration_key(self, locale: str) -> str | None:
        """Part of the key of whatever reads `locale`'s catalogue through `migrated`: the digest of
        an old ownership record (None without one)."""
        return caching.file_digest(self.file(_legacy_owned(locale)))

    def migrated(self, locale: str, po: polib.POFile | None) -> polib.POFile | None:
        """`po` as today's version reads it. Versions before digests recorded the text they wrote
        in `owned-<locale>.json` instead of a note in the catalogue: an entry still holding the
        very text recorded (fuzzy, with the model's note and no digest) gets the note it would carry
        today, so `entry.state` finds it the pipeline's; any other entry is a person's."""
        if po is None:
            return None
        return migrate_legacy_owned(po, _read_legacy_owned(self.file(_legacy_owned(locale))))


def migrate_legacy_owned(po: polib.POFile, legacy_owned: dict[str, str] | None) -> polib.POFile:
    """`po` (changed in place) with the note of today's version on each entry that `legacy_owned`,
    an `owned-<locale>.json`, proves the pipeline's: fuzzy, with the model's note and no digest,
    holding the very text recorded. An entry that already has a digest is left as it is."""
    if not legacy_owned:
        return po
    for e in po:
        if (
            e.msgid
            and is_translated(e)
            and is_fuzzy(e)
            and written_digest(e) is None
            and model_of(e) is not None
            and legacy_owned.get(e.msgid) == e.msgstr
        ):
            e.tcomment = with_note(e.tcomment, texts(e))
    return po


def _reviewed_record(held: object) -> ReadCatalog | None:
    """A `reviewed-L.json` catalogue as stored; None when damaged (it is read again)."""
    if not isinstance(held, dict) or not isinstance(held.get("file"), str) or not isinstance(held.get("texts"), dict):
        return None
    drafts = held.get("drafts", {})
    if not all(isinstance(text, str) for text in held["texts"].values()):
        return None
    if not isinstance(drafts, dict) or not all(isinstance(d, list) and len(d) == 2 for d in drafts.values()):
        return None
    copies, state = held.get("copies", []), held.get("state")
    if not isinstance(copies, list):
        return None
    if state is not None and not (
        isinstance(state, list) and len(state) == 3 and all(isinstance(n, int) for n in state)
    ):
        state = None  # read the file again
    drafted = {source: tuple(d) for source, d in drafts.items()}
    return ReadCatalog(held["file"], held["texts"], drafted, frozenset(copies), tuple(state) if state else None)


def _read_legacy_owned(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None
