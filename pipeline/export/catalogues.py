"""Export of a project that keeps several catalogues per locale (`--catalogs per-document` or
`per-folder`), found on disk as `status` finds them; a project with one catalogue per locale is
exported as it always was (`documents.prepare_export`).

- mo, json: one file per catalogue, named after its domain: `LOCALE/LC_MESSAGES/politics/budget.mo`,
  `TAG/politics/budget.json`, so a page loads its own translations; a catalogue left with obsolete
  entries only (its sources renamed, moved or removed) is not exported.
- txt, md, html: each document rebuilt from its own catalogue: the one the last run put it in
  (the work directory's catalogue set), else, on a fresh clone, the per-document one
  (`politics/budget.md` → `politics/budget.po`), else its folder's (`politics.po`), else the
  single catalogue, passing over a retired one (obsolete entries only). A document with none
  stays in Gujarati, with a warning.
- `merge` (mo only): one `LOCALE/LC_MESSAGES/DOMAIN.mo` holding every catalogue's shipped entries,
  for a site that loads one domain. A sentence shipped by two catalogues with different texts
  takes the first catalogue's (domains in sorted order), with a warning naming both places.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from functools import cached_property
from pathlib import Path

import polib

from pipeline.catalog import pofile
from pipeline.catalog.status import catalogs_found, one_catalog
from pipeline.errors import PipelineError
from pipeline.export.documents import (
    ExportReport,
    export_catalog,
    export_documents,
    export_mo,
    kept_sources,
    prepare_export,
    shipped_entries,
    shipped_translations,
    write_export,
)
from pipeline.fsutil import workdir_lock
from pipeline.ingest import artefact_matcher
from pipeline.ingest.sources import read_sources
from pipeline.layout import PER_DOCUMENT, PER_FOLDER, SINGLE, Paths, domain_of
from pipeline.ledger import CatalogSet, Ledger


def prepare_project_export(
    fmt: str,
    locale: str,
    *,
    paths: Paths,
    out: Path,
    found: dict[str, list[str]],
    include_fuzzy: bool = False,
    sources: DocumentSources | None = None,
    artefacts=None,
    merge: bool = False,
) -> ExportReport:
    """`locale`'s files in `fmt` from the catalogues `found` (`status.catalogs_found`), made and
    checked, nothing written (see `documents.write_export`)."""
    sources = sources if sources is not None else DocumentSources(paths, None)
    if one_catalog(found, paths):
        return prepare_export(
            fmt, locale, paths=paths, out=out, include_fuzzy=include_fuzzy, documents=sources.named, artefacts=artefacts
        )
    domains = [domain for domain, locales in found.items() if locale in locales]
    if not domains:
        raise PipelineError(
            f"no catalogue for {locale}: run `pipeline run SOURCES --to {locale}` first",
            path=paths.po(locale).parent,
        )
    report = ExportReport()
    if merge:
        merged_mo(domains, locale, paths, out, include_fuzzy, report)
    elif fmt in ("mo", "json"):
        for domain in domains:
            one = paths.for_domain(domain)
            po = pofile.read_locale(one, locale)
            if not has_live_entries(po):
                report.warnings.append(
                    f"{one.po(locale)}: only obsolete entries (its sources are gone): not exported; "
                    "`pipeline run --purge-obsolete` removes it"
                )
                continue
            export_catalog(fmt, po, locale, one, out, include_fuzzy, report)
    else:
        documents, grouped = sources.documents
        shipped_for = ShippedByDocument(paths, locale, set(domains), include_fuzzy, report, grouped)
        export_documents(shipped_for, locale, fmt, out, documents, report, artefacts)
    return report


def has_live_entries(po: polib.POFile) -> bool:
    """False for a catalogue retired by a rename, move or layout switch: obsolete entries only."""
    return any(entry.msgid and not entry.obsolete for entry in po)


class DocumentSources:
    """The documents to rebuild and each one's catalogue, read once for every locale of an export:
    `named`, the sources given on the command line, else the work directory's copy; each document's
    catalogue is the one the last run put it in, when it grouped them into a set."""

    def __init__(self, paths: Paths, named: dict[str, dict] | None):
        self.paths, self.named = paths, named

    @cached_property
    def documents(self) -> tuple[dict[str, dict], dict[str, str] | None]:
        ledger = Ledger(self.paths.workdir)
        grouping = ledger.catalog_set()
        if grouping is None or grouping.layout == SINGLE:
            return (self.named if self.named is not None else kept_sources(ledger)), None
        if self.named is not None:
            return self.named, grouping_of(grouping)
        documents: dict[str, dict] = {}
        for domain in grouping.domains:
            documents.update(kept_sources(ledger.for_domain(domain), NO_CATALOGUE_SOURCES))
        return documents, grouping_of(grouping)


NO_CATALOGUE_SOURCES = (
    "no copy of this catalogue's sources in the work directory: name the sources, as "
    "`pipeline export --format FORMAT --to LOCALES SOURCE...` (the files or folders given to `run`)"
)


def grouping_of(grouping: CatalogSet) -> dict[str, str]:
    """document name → its catalogue, as the last segment stage grouped them."""
    return {name: domain for domain, names in grouping.domains.items() for name in names}


def document_domains(name: str, default: str) -> list[str]:
    """The catalogues a document's sentences may be in, most specific first: its own
    (per-document), its top-level folder's (per-folder), the single catalogue."""
    return list(dict.fromkeys(domain_of(name, layout, default) for layout in (PER_DOCUMENT, PER_FOLDER, SINGLE)))


class ShippedByDocument:
    """name → the translations its catalogue ships: the catalogue the last run put it in (`grouped`),
    else the first of `document_domains` that has live entries (a catalogue retired by a layout
    switch holds obsolete ones only). The catalogue last read is kept, so the documents of one
    folder (sorted together) read theirs once."""

    def __init__(
        self,
        paths: Paths,
        locale: str,
        domains: set[str],
        include_fuzzy: bool,
        report: ExportReport,
        grouped: dict[str, str] | None = None,
    ):
        self.paths, self.locale, self.domains = paths, locale, domains
        self.include_fuzzy, self.report, self.grouped = include_fuzzy, report, grouped or {}
        self.last: tuple[str, dict[str, str]] | None = None
        self.retired: set[str] = set()  # catalogues with no live entry
        self.warned: set[str] = set()  # catalogues whose left-out entries were already warned of

    def __call__(self, name: str) -> dict[str, str]:
        candidates = [self.grouped[name]] if name in self.grouped else document_domains(name, self.paths.domain)
        for domain in candidates:
            if domain in self.domains and domain not in self.retired:
                shipped = self.shipped(domain)
                if shipped is not None:
                    return shipped
        self.report.warnings.append(
            f"{name}: no catalogue of {self.locale} holds this document (run `pipeline run` on it); "
            "it stays in Gujarati"
        )
        return {}

    def shipped(self, domain: str) -> dict[str, str] | None:
        if self.last is not None and self.last[0] == domain:
            return self.last[1]
        one = self.paths.for_domain(domain)
        po = pofile.read_locale(one, self.locale)
        if not has_live_entries(po):
            self.retired.add(domain)
            return None
        warned = ExportReport()
        entries = shipped_entries(po, self.include_fuzzy, one.po(self.locale), warned)
        if domain not in self.warned:
            self.report.warnings += warned.warnings
            self.warned.add(domain)
        self.last = (domain, shipped_translations(entries))
        return self.last[1]


def merged_mo(
    domains: list[str], locale: str, paths: Paths, out: Path, include_fuzzy: bool, report: ExportReport
) -> None:
    """One .mo named after `paths.domain` from every catalogue's shipped entries; the first
    catalogue (sorted domains) wins a sentence two ship differently, with a warning naming both."""
    chosen: dict[tuple[str | None, str], tuple[polib.POEntry, str]] = {}  # key → (entry, its place)
    live: dict[tuple[str | None, str], polib.POEntry] = {}  # every live sentence, shipped or not
    header = None
    for domain in domains:
        one = paths.for_domain(domain)
        po = pofile.read_locale(one, locale)
        header = po.metadata if header is None else header
        for entry in shipped_entries(po, include_fuzzy, one.po(locale), report):
            key, place = (entry.msgctxt, entry.msgid), f"{one.po(locale)}:{entry.linenum}"
            if key not in chosen:
                chosen[key] = (entry, place)
            elif _texts(chosen[key][0]) != _texts(entry):
                first = chosen[key][1]
                report.warnings.append(
                    f"{place}: translated differently at {first}; the merged .mo keeps the text at {first} "
                    "(catalogues are taken in name order)"
                )
        for entry in po:
            if entry.msgid and not entry.obsolete:
                live.setdefault((entry.msgctxt, entry.msgid), entry)
    entries = [entry for entry, _ in chosen.values()]
    counted = polib.POFile()
    counted.metadata = dict(header or {})
    counted.extend(live.values())
    export_mo(entries, counted, locale, paths.domain, out, report)


def _texts(entry: polib.POEntry) -> tuple:
    return entry.msgid_plural, entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))


def export_locales(
    fmt: str,
    locales: list[str],
    *,
    paths: Paths,
    out: Path,
    include_fuzzy: bool = False,
    sources: list[str] = (),
    artefact_patterns: tuple[str, ...] = (),
    merge: bool = False,
    shown: Callable[[str, ExportReport], None] = lambda locale, report: None,
) -> dict[str, ExportReport]:
    """Ship each of `locales` as `fmt`. Every locale's files are made before the first is written, so
    a failure writes nothing; documents are rebuilt from `sources` when given, else from the work
    directory's copy, read under its lock. `shown` is told of each locale once its files are written."""
    rebuilds = fmt in ("txt", "md", "html")
    sources = DocumentSources(paths, read_sources(sources) if rebuilds and sources else None)
    artefacts = artefact_matcher(tuple(artefact_patterns))
    found = catalogs_found(paths)
    # only the work directory's copy of the sources needs its lock (and its folder)
    with workdir_lock(paths.workdir) if rebuilds and sources.named is None else nullcontext():
        reports = {
            locale: prepare_project_export(
                fmt,
                locale,
                paths=paths,
                out=out,
                found=found,
                include_fuzzy=include_fuzzy,
                sources=sources,
                artefacts=artefacts,
                merge=merge,
            )
            for locale in locales
        }
        for locale, report in reports.items():
            write_export(report)
            shown(locale, report)
    return reports
