"""The runner: one object per command that owns what a run holds (the work directory's lock and
ledger, the catalogue folder's lock while catalogues are written, the executor, the translation
memory, the collector's settings), chains the stages in memory, keeps their results as the
ledger's entries keyed by their inputs, and fills the report from their values. Stages are
functions over values; every read and write of the ledger, and every line of the report, is here.
"""

from __future__ import annotations

import gc
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import polib

from pipeline import ledger as entries
from pipeline.catalog import pofile
from pipeline.catalog.entry import reviewed_texts
from pipeline.catalog.reviewed import CatalogMemory, LocaleMemory, ReadCatalog
from pipeline.config import Config, Route
from pipeline.errors import PipelineError
from pipeline.fsutil import catalog_lock, workdir_lock
from pipeline.ingest import collect_sources
from pipeline.ingest.sources import save_sources
from pipeline.jobs import catalog_set, plan_stage
from pipeline.jobs.catalog_files import CatalogFile, CatalogFiles
from pipeline.jobs.catalog_stage import CatalogOptions
from pipeline.jobs.catalog_writes import CatalogWrites
from pipeline.jobs.localise_stage import Localised, localise, localise_key
from pipeline.jobs.plan_stage import Planned, plan_key
from pipeline.jobs.report import RunReport
from pipeline.jobs.reviewed_stage import RunMemories, catalogue_name
from pipeline.jobs.segment_stage import Payload, Segmented, cleaned_characters, read_payloads, segment, segment_key
from pipeline.jobs.translate_stage import (
    Raw,
    TranslateStats,
    TranslatorFactory,
    default_factory,
    translate,
    translate_key,
    translate_settings,
)
from pipeline.layout import SINGLE, Paths
from pipeline.ledger import Ledger
from pipeline.memory import TranslationMemory
from pipeline.mt.executors import Executor, LocalExecutor
from pipeline.mt.route import check_route

# A run holds catalogues, segments and cached translations of a whole archive, hundreds of
# thousands of long-lived objects with hardly a reference cycle among them; at CPython's default
# thresholds the collector re-scans them so often that it took a quarter of a daily update.
GC_THRESHOLDS = (100_000, 50, 100)


@dataclass(frozen=True)
class Prepared:
    """One catalogue's segments and, per locale still to write, its route, plan, the translate
    key a complete translation has, and the translation when already made."""

    segmented: Segmented
    pending: dict[str, tuple[Route, Planned, str, Raw | None]]


class Runner(CatalogWrites):
    """`with Runner(paths, config, ...) as runner: runner.run(sources, locales)`; one command each:
    `run`, or a stage alone (`segment`, `translate`, `localise`, `catalog`) continuing from what
    the last run left in the work directory."""

    def __init__(
        self,
        paths: Paths,
        config: Config | None = None,
        *,
        options: CatalogOptions = CatalogOptions(),
        artefact_patterns: tuple[str, ...] = (),
        executor: Executor | None = None,
        factory: TranslatorFactory = default_factory,
        layout: str = SINGLE,
    ):
        self.paths, self.config, self.options, self.layout = paths, config, options, layout
        self.artefact_patterns = tuple(artefact_patterns)
        self.executor = executor if executor is not None else LocalExecutor(factory)
        self.ledger = Ledger(paths.workdir)
        self.report = RunReport()
        self.catalogs = CatalogFiles()
        self._reviewed = RunMemories(paths, self.ledger, self.catalogs)  # per locale, see `locale_memory`
        self._made: dict[tuple[str, str], set[str]] = {}  # model inputs translated in this run, per route
        self._memory: TranslationMemory | None = None
        self._held = ExitStack()

    def __enter__(self) -> Runner:
        with ExitStack() as stack:
            thresholds = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLDS)
            stack.callback(gc.set_threshold, *thresholds)
            stack.enter_context(workdir_lock(self.paths.workdir))
            stack.enter_context(self.executor)
            self._held = stack.pop_all()
        return self

    def __exit__(self, kind, *exc) -> None:
        with self._held:
            # each catalogue with its digest: true whatever stopped the run, but a command refused
            # (exit 2) leaves the work directory as it found it
            if kind is None or not issubclass(kind, PipelineError):
                self._reviewed.save()
            if self._memory is not None:
                self._memory.close()
                self._memory = None

    @contextmanager
    def in_domain(self, domain: str):
        """Within: the stages work on one catalogue of a set (its paths, its sub-ledger, a report
        of its own, folded into the run's on the way out)."""
        held = self.paths, self.ledger, self.report
        self.paths, self.ledger, self.report = self.paths.for_domain(domain), held[1].for_domain(domain), RunReport()
        try:
            yield
        finally:
            done, (self.paths, self.ledger, self.report) = self.report, held
            self.report.absorb(done)

    def reviewed(self, locale: str, existing: polib.POFile | None) -> CatalogMemory:
        """The reviewed memory a merge of `locale`'s catalogue takes reviewed text and fuzzy
        matches from: the catalogue's own approved entries (as read now), then every other
        catalogue of the locale (see `reviewed_stage`)."""
        return self.locale_memory(locale).for_catalog(catalogue_name(self.paths.domain), reviewed_texts(existing))

    def locale_memory(self, locale: str) -> LocaleMemory:
        """`locale`'s reviewed memory, built once per run when first asked for: before the run's
        first merge, so it holds the catalogues as the run found them (a retired one included)."""
        return self._reviewed.memory(locale)

    def reviews_moved(self, locale: str) -> bool:
        return self._reviewed.reviews_moved(locale)

    def wrote_catalog(
        self, locale: str, domain: str, digest: str | None, po: polib.POFile | None
    ) -> ReadCatalog | None:
        """A catalogue the run wrote (None: removed), for the reviewed memory's record; what the
        record holds of it."""
        return self._reviewed.wrote(locale, domain, digest, po)

    def made_for(self, route: Route) -> set[str]:
        """The model inputs translated in this run for `route`'s model and target (en and en_IN share them)."""
        return self._made.setdefault((route.settings_key(), route.tgt), set())

    def memory(self) -> TranslationMemory:
        """Opened when a stage first needs it: a run with nothing to translate never does."""
        if self._memory is None:
            self._memory = TranslationMemory(self.paths.memory())
        return self._memory

    # --- commands --------------------------------------------------------------------------

    def run(self, sources, locales: list[str]) -> RunReport:
        """Every stage for every locale, into each catalogue of the layout; a catalogue left
        without sources is retired (see `catalog_set.retire_orphans`)."""
        if self.layout != SINGLE:
            return catalog_set.run(self, sources, locales)
        self.paths.check_inside(locales)  # before anything is read or written
        pofile.source_date()  # a malformed SOURCE_DATE_EPOCH, too
        with catalog_lock(self.paths.locales_dir):
            previous = self.ledger.catalog_set()
            self.run_files(self.collect(sources), locales)
            catalog_set.retire_orphans(self, [self.paths.domain], previous)
            self.ledger.drop(entries.CATALOG_SET)  # the stages alone continue from this layout
        return self.report

    def run_files(self, files: list[tuple[Path, str]], locales: list[str]) -> None:
        """Every stage for every locale, for one catalogue of `files` (under the catalogue lock)."""
        self.finish(self.prepare(read_payloads(files), locales, translate=True))

    def prepare(self, payloads: list[Payload], locales: list[str], translate: bool) -> Prepared:
        """The segments, and each locale's plan; a locale whose catalogue is what these inputs give
        is skipped. `translate`: each plan is translated here (else in `finish`, once a catalogue
        set's translations were made together, see `catalog_set.translate_together`)."""
        segmented = self.segment_payloads(payloads)
        pending: dict[str, tuple[Route, Planned, str, Raw | None]] = {}
        for locale in locales:
            route = check_route(self.config.route_for(locale))
            file = self.catalogs.read(self.paths.po(locale))
            planned = self.plan_catalog(segmented, locale, file)
            expected = translate_key(self.config, locale, planned)
            if self.current(locale, segmented, localise_key(self.config, locale, expected), file):
                self.report.record(
                    locale,
                    route=route,
                    translated=TranslateStats(from_memory=len(planned.plan.todo)),
                    skipped=f"translate {locale}",
                )
                self.catalogs.done(file.path)
                continue
            raw = self._translate(locale, route, planned) if translate else None
            pending[locale] = (route, planned, expected, raw)
        return Prepared(segmented, pending)

    def finish(self, prepared: Prepared) -> None:
        """Each pending locale translated (unless `prepare` did), the template, and each pending
        catalogue merged and written. Every translation comes first, so a run killed on the way
        leaves the old catalogues."""
        segmented = prepared.segmented
        made = {}
        for locale, (route, planned, expected, raw) in prepared.pending.items():
            raw = raw if raw is not None else self._translate(locale, route, planned)
            made[locale] = (raw, raw.key == expected)  # all translated: the next run's keys are known
        self.template(segmented)
        for locale, (raw, complete) in made.items():
            file = self.catalogs.read(self.paths.po(locale))
            if complete or not self.current(locale, segmented, localise_key(self.config, locale, raw.key), file):
                self.merge(locale, segmented, self._localise(locale, raw), file, follow=complete)
            self.catalogs.done(file.path)

    def collect(self, sources) -> list[tuple[Path, str]]:
        """The source files and their document names; never the work directory or the catalogues."""
        return collect_sources(sources, skip=[self.paths.workdir, self.paths.locales_dir])

    def segment(self, sources) -> Segmented | None:
        """`pipeline segment`: the sources' sentences, per catalogue of the layout."""
        if self.layout != SINGLE:
            return catalog_set.segment(self, sources)
        self.ledger.drop(entries.CATALOG_SET)
        return self.segment_payloads(read_payloads(self.collect(sources)))

    def segment_payloads(self, payloads: list[Payload]) -> Segmented:
        key = segment_key(payloads, self.artefact_patterns)
        cached = self.ledger.get(entries.SEGMENTS, key)
        segmented = Segmented.from_cache(cached) if cached is not None else None
        if segmented is not None:
            self.report.skipped.append("segment")
        else:
            segmented = segment(payloads, self.artefact_patterns)
            self.ledger.put(entries.SEGMENTS, key, segmented.to_cache())
        save_sources(self.ledger.file(entries.SOURCES), key, payloads)  # what export rebuilds documents from
        self.report.cleaned = cleaned_characters(payloads)
        self.report.warnings += self.report.cleaned
        self.report.documents, self.report.segments = len(payloads), len(segmented.stored)
        self.report.messages = segmented.message_count
        return segmented

    def translate(self, locales: list[str]) -> RunReport:
        """`pipeline translate`: from the segments the last segment stage left."""
        if self.layout != SINGLE:
            catalog_set.each_domain(self, lambda: self.translate_catalog(locales))
        else:
            catalog_set.check_single(self)
            self.translate_catalog(locales)
        return self.report

    def translate_catalog(self, locales: list[str]) -> None:
        segmented = self.segmented()
        for locale in locales:
            route = check_route(self.config.route_for(locale))
            file = self.catalogs.read(self.paths.po(locale))
            planned = self.plan_catalog(segmented, locale, file)
            self.catalogs.done(file.path)
            self._translate(locale, route, planned)

    def localise(self, locales: list[str]) -> RunReport:
        """`pipeline localize`: from what the translate stage left."""
        if self.layout != SINGLE:
            catalog_set.each_domain(self, lambda: self.localise_catalog(locales))
        else:
            catalog_set.check_single(self)
            self.localise_catalog(locales)
        return self.report

    def localise_catalog(self, locales: list[str]) -> None:
        for locale in locales:
            data = self._left(entries.translations(locale), f"pipeline translate --to {locale}")
            self._localise(locale, Raw.from_cache(data))

    def catalog(self, locales: list[str]) -> list[Path]:
        """`pipeline catalog`: the .pot and each locale's .po and .mo from what the stages left;
        returns the files written."""
        if self.layout != SINGLE:
            return catalog_set.catalog(self, locales)
        self.paths.check_inside(locales)
        pofile.source_date()  # a malformed SOURCE_DATE_EPOCH fails before any write
        catalog_set.check_single(self)
        with catalog_lock(self.paths.locales_dir):
            return self.catalog_files(locales)

    def catalog_files(self, locales: list[str]) -> list[Path]:
        """The catalogue stage of one catalogue, under the catalogue lock."""
        changed = []
        segmented = self.segmented()
        # Every stage result and every catalogue to merge is checked before the first write,
        # so a missing stage or a broken catalogue of one locale leaves the others' files as they were.
        left = self.stages_left(locales)
        stale = []
        for locale in locales:
            self.report.record(locale, findings=left[locale].get("findings", 0))
            file = self.catalogs.read(self.paths.po(locale))
            if not self.current(locale, segmented, left[locale]["key"], file):
                file.parsed()  # a syntax error stops the command here
                self.catalogs.keep_within_budget()
                stale.append(locale)
            else:
                self.catalogs.done(file.path)
        if self.template(segmented):
            changed.append(self.paths.pot())
        for locale in stale:
            file = self.catalogs.read(self.paths.po(locale))
            changed += self.merge(locale, segmented, Localised.from_cache(left[locale]), file, follow=False)
            self.catalogs.done(file.path)
        return changed

    def stages_left(self, locales: list[str]) -> dict[str, dict]:
        """What the localise stage left for each locale, or an error naming the command to run."""
        return {locale: self._left(entries.localised(locale), f"pipeline localize --to {locale}") for locale in locales}

    def segmented(self) -> Segmented:
        """What the last segment stage left, for a stage run alone."""
        data = self._left(entries.SEGMENTS, "pipeline segment SOURCES")
        return Segmented(data["key"], data["segments"], tuple(data.get("documents", ())))

    # --- stages, cached ----------------------------------------------------------------------

    def plan_catalog(self, segmented: Segmented, locale: str, file: CatalogFile) -> Planned:
        """Parses the catalogue only when it, or the messages, changed since the plan was cached."""
        key = plan_key(segmented.key, file.digest, self.ledger.migration_key(locale))
        cached = self.ledger.load(entries.plan(locale), key, Planned.from_cache, Planned.to_cache)
        if cached is not None:
            return cached
        planned = plan_stage.plan(self._parsed(locale, file), list(segmented.messages))
        self.catalogs.keep_within_budget()
        self.ledger.put(entries.plan(locale), key, planned.to_cache())
        return planned

    def _translate(self, locale: str, route: Route, planned: Planned) -> Raw:
        key = translate_key(self.config, locale, planned)
        cached = self.ledger.get(entries.translations(locale), key)
        if cached is not None:
            raw = Raw.from_cache(cached)
            self.report.record(
                locale,
                route=route,
                translated=TranslateStats(from_memory=len(raw.outputs)),
                skipped=f"translate {locale}",
            )
            return raw
        previous = self._previous(entries.translations(locale), Raw.from_cache)
        made = self.made_for(route)
        raw, stats = translate(
            planned.plan.todo,
            route,
            locale,
            key,
            translate_settings(self.config, route),
            previous,
            self.memory(),
            self.executor,
            made,
            self.config.glossary,
        )
        self.ledger.put(entries.translations(locale), raw.key, raw.to_cache(locale))
        self.report.record(locale, route=route, translated=stats)
        return raw

    def _localise(self, locale: str, raw: Raw) -> Localised:
        key = localise_key(self.config, locale, raw.key)
        previous = self._previous(entries.localised(locale), Localised.from_cache)
        if previous is not None and previous.key == key:
            self.report.record(locale, findings=previous.findings, skipped=f"localize {locale}")
            return previous
        localised = localise(raw, locale, self.config, key, previous)
        self.ledger.put(entries.localised(locale), key, localised.to_cache(locale))
        self.report.record(locale, findings=localised.findings)
        return localised

    def _parsed(self, locale: str, file: CatalogFile) -> polib.POFile | None:
        """`locale`'s catalogue parsed, as this version reads it (see `Ledger.migrated`)."""
        existing = file.parsed()
        return self.ledger.migrated(locale, existing.po) if existing is not None else None

    def _previous(self, entry: entries.Entry, load):
        """The last result a stage left (whatever its key), for a stage that reuses what it can."""
        data = self.ledger.read(entry)
        try:
            return load(data) if data is not None else None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a damaged entry: everything is made again

    def _left(self, entry: entries.Entry, command: str) -> dict:
        data = self.ledger.read(entry)
        if data is None:
            raise PipelineError(
                f"no {entry.name}.json in the work directory: run `{command}` first", path=self.ledger.file(entry)
            )
        return data
