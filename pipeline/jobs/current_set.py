"""A catalogue of a set that nothing changed, found on a few digests instead of the chain's
stage entries.

An archive with one catalogue per document has thousands of catalogues, and a daily update
changes a few: the chain's checks (the segments', plan's, catalogue's and template's entries,
each a file of the catalogue's sub-ledger) cost milliseconds per catalogue, which is most of a
no-change run. So, once the chain has found a catalogue current, the run remembers in one entry
of the set (`ledger.DomainCurrent`) the keys and digests it checked, and the next run asks only
those: the sources' segment key, the template's key and digest, and each locale's .po and .mo
digests and the catalogue key the same settings give (the same functions the chain keys with).
Anything else makes the catalogue go through the chain, which is always right; so a damaged or
missing entry costs time, never content.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline import cache as caching
from pipeline import ledger as entries
from pipeline.jobs.catalog_stage import template_key
from pipeline.jobs.localise_stage import localise_key
from pipeline.jobs.plan_stage import Planned, plan_key
from pipeline.jobs.segment_stage import Payload, Segmented, cleaned_characters, segment_key
from pipeline.jobs.translate_stage import TranslateStats, translate_key_of
from pipeline.ledger import DomainCurrent, LocaleCurrent, Written
from pipeline.mt.route import check_route


class SkipsCurrent:
    """The runner's side of it (a part of `jobs.Runner`, kept here so the chain stays readable)."""

    def run_unless_current(
        self, files: list[tuple[Path, str]], locales: list[str], known: DomainCurrent | None
    ) -> DomainCurrent | None:
        """`run_files` for one catalogue of a set, unless `known` shows it current; what to
        remember of it for the next run (None: nothing the next run could trust)."""
        payloads = [(f, name, f.read_bytes()) for f, name in files]
        routes = [check_route(self.config.route_for(locale)) for locale in locales]
        key = segment_key(payloads, self.artefact_patterns)
        if known is not None and self._still_current(key, locales, known):
            self._report_current(payloads, locales, routes, known)
            return known
        self.run_files(files, locales)
        return self._found_current(key, locales)

    def _wanted(self, locale: str, segments_key: str, planned_key: str) -> str:
        """The catalogue key the chain would ask the stamp for, from the plan's content key."""
        translated = translate_key_of(self.config, locale, planned_key)
        return self._catalog_key(locale, Segmented(segments_key, []), localise_key(self.config, locale, translated))

    def _still_current(self, key: str, locales: list[str], known: DomainCurrent) -> bool:
        if key != known.segments or not self.ledger.file(entries.SOURCES).is_file():
            return False  # the sources changed, or the copy export rebuilds documents from is gone
        if template_key(key, self.options) != known.template or _digest(self.paths.pot()) != known.pot:
            return False
        for locale in locales:
            held = known.locales.get(locale)
            if held is None:
                return False
            po = self.paths.po(locale)
            # The catalogue key holds the ledger's migration key, which the plan's key holds too.
            if (
                _digest(po) != held.po
                or _digest(po.with_suffix(".mo")) != held.mo
                or not held.stamp.accepts(self._wanted(locale, key, held.planned))
            ):
                return False
        return True

    def _report_current(self, payloads: list[Payload], locales: list[str], routes, known: DomainCurrent) -> None:
        """What the chain reports of a catalogue it finds current, from what it reported last."""
        self.report.skipped.append("segment")
        self.report.cleaned = cleaned_characters(payloads)
        self.report.warnings += self.report.cleaned
        self.report.documents, self.report.segments = len(payloads), known.segment_count
        self.report.messages = known.messages
        for locale, route in zip(locales, routes):
            held = known.locales[locale]
            self._record(locale, status=held.stamp, skipped=f"catalog {locale}")
            self._record(
                locale, route=route, translated=TranslateStats(from_memory=held.todo), skipped=f"translate {locale}"
            )

    def _found_current(self, key: str, locales: list[str]) -> DomainCurrent | None:
        """What the chain left, when it says this catalogue is current: its entries' keys and the
        files' digests, checked as the next run's chain would check them."""
        last = self.ledger.template()
        pot = caching.file_digest(self.paths.pot())
        if last is None or last.key != template_key(key, self.options) or last.written.file != pot:
            return None
        held = {}
        for locale in locales:
            stamp = self.ledger.catalog(locale)
            po, mo = caching.file_digest(self.paths.po(locale)), caching.file_digest(self.paths.mo(locale))
            migration = self.ledger.migration_key(locale)
            planned = self.ledger.load(
                entries.plan(locale), plan_key(key, po, migration), Planned.from_cache, Planned.to_cache
            )
            if (
                stamp is None
                or planned is None
                or stamp.written.file != po
                or stamp.mo != mo
                or not stamp.accepts(self._wanted(locale, key, planned.key))
            ):
                return None
            counts = replace(stamp, written=Written(stamp.written.file))  # not each entry's digest
            held[locale] = LocaleCurrent(po, mo, migration, planned.key, len(planned.plan.todo), counts)
        return DomainCurrent(key, self.report.segments, self.report.messages, last.key, pot, held)


def _digest(path: Path) -> str | None:
    """`cache.file_digest`, without building a Path again: thousands of catalogues ask it."""
    try:
        with open(path, "rb") as f:
            return caching.bytes_digest(f.read())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
