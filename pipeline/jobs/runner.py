"""The runner: one object per command that owns what a run holds (the work directory's lock and
ledger, the catalogue folder's lock while catalogues are written, the executor, the translation
memory, the collector's settings), chains the stages in memory, keeps their results as the
ledger's entries keyed by their inputs, and fills the report from their values. Stages are
functions over values; every read and write of the ledger, and every line of the report, is here.
"""

from __future__ import annotations

import gc
from contextlib import ExitStack, contextmanager
from pathlib import Path

import polib

from pipeline import cache as caching
from pipeline import ledger as entries
from pipeline.catalog import pofile
from pipeline.catalog.entry import reviewed_texts
from pipeline.config import Config, Route
from pipeline.errors import PipelineError
from pipeline.fsutil import catalog_lock, workdir_lock, write_atomic
from pipeline.ingest import collect_sources
from pipeline.ingest.sources import save_sources
from pipeline.jobs import catalog_set, catalog_stage, plan_stage
from pipeline.jobs.catalog_files import CatalogFile, CatalogFiles
from pipeline.jobs.catalog_stage import CATALOG_VERSION, CatalogOptions, template_key
from pipeline.jobs.current_set import SkipsCurrent
from pipeline.jobs.localise_stage import Localised, localise, localise_key
from pipeline.jobs.plan_stage import Planned, plan_key
from pipeline.jobs.report import RunReport
from pipeline.jobs.segment_stage import Segmented, cleaned_characters, segment, segment_key
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
from pipeline.ledger import CatalogStamp, CheckedPairs, Ledger, TemplateStamp, Written
from pipeline.memory import TranslationMemory
from pipeline.mt.executors import Executor, LocalExecutor
from pipeline.mt.route import check_route
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.qa.remembered import RememberedChecks, rules_key

# A run holds catalogues, segments and cached translations of a whole archive, hundreds of
# thousands of long-lived objects with hardly a reference cycle among them; at CPython's default
# thresholds the collector re-scans them so often that it took a quarter of a daily update.
GC_THRESHOLDS = (100_000, 50, 100)


class Runner(SkipsCurrent):
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

    def __exit__(self, *exc) -> None:
        with self._held:
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

    def reviewed(self, locale: str, existing: polib.POFile | None) -> dict[str, str]:
        """The reviewed memory a merge of `locale`'s catalogue takes reviewed text and fuzzy
        matches from: the catalogue's own approved entries."""
        return reviewed_texts(existing)

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
        """Every stage for every locale, for one catalogue of `files` (under the catalogue lock).
        Every translation comes first, so a run killed on the way leaves the old catalogues; a
        locale whose catalogue is what these inputs give is skipped."""
        segmented = self.segment_files(files)
        pending: dict[str, tuple[Raw, bool]] = {}
        for locale in locales:
            route = check_route(self.config.route_for(locale))
            file = self.catalogs.read(self.paths.po(locale))
            planned = self._plan(segmented, locale, file)
            expected = translate_key(self.config, locale, planned)
            if self._current(locale, segmented, localise_key(self.config, locale, expected), file):
                self._record(
                    locale,
                    route=route,
                    translated=TranslateStats(from_memory=len(planned.plan.todo)),
                    skipped=f"translate {locale}",
                )
                self.catalogs.done(file.path)
                continue
            raw = self._translate(locale, route, planned)
            pending[locale] = (raw, raw.key == expected)  # all translated: the next run's keys are known
        self._template(segmented)
        for locale, (raw, complete) in pending.items():
            file = self.catalogs.read(self.paths.po(locale))
            if complete or not self._current(locale, segmented, localise_key(self.config, locale, raw.key), file):
                self._merge(locale, segmented, self._localise(locale, raw), file, follow=complete)
            self.catalogs.done(file.path)

    def collect(self, sources) -> list[tuple[Path, str]]:
        """The source files and their document names; never the work directory or the catalogues."""
        return collect_sources(sources, skip=[self.paths.workdir, self.paths.locales_dir])

    def segment(self, sources) -> Segmented | None:
        """`pipeline segment`: the sources' sentences, per catalogue of the layout."""
        if self.layout != SINGLE:
            return catalog_set.segment(self, sources)
        self.ledger.drop(entries.CATALOG_SET)
        return self.segment_files(self.collect(sources))

    def segment_files(self, files: list[tuple[Path, str]]) -> Segmented:
        payloads = [(f, name, f.read_bytes()) for f, name in files]
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
        self.report.documents, self.report.segments = len(files), len(segmented.stored)
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
            planned = self._plan(segmented, locale, file)
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
            self._record(locale, findings=left[locale].get("findings", 0))
            file = self.catalogs.read(self.paths.po(locale))
            if not self._current(locale, segmented, left[locale]["key"], file):
                file.parsed()  # a syntax error stops the command here
                self.catalogs.keep_within_budget()
                stale.append(locale)
            else:
                self.catalogs.done(file.path)
        if self._template(segmented):
            changed.append(self.paths.pot())
        for locale in stale:
            file = self.catalogs.read(self.paths.po(locale))
            changed += self._merge(locale, segmented, Localised.from_cache(left[locale]), file, follow=False)
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

    def _plan(self, segmented: Segmented, locale: str, file: CatalogFile) -> Planned:
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
            self._record(
                locale,
                route=route,
                translated=TranslateStats(from_memory=len(raw.outputs)),
                skipped=f"translate {locale}",
            )
            return raw
        previous = self._previous(entries.translations(locale), Raw.from_cache)
        made = self._made.setdefault((route.settings_key(), route.tgt), set())
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
        self._record(locale, route=route, translated=stats)
        return raw

    def _localise(self, locale: str, raw: Raw) -> Localised:
        key = localise_key(self.config, locale, raw.key)
        previous = self._previous(entries.localised(locale), Localised.from_cache)
        if previous is not None and previous.key == key:
            self._record(locale, findings=previous.findings, skipped=f"localize {locale}")
            return previous
        localised = localise(raw, locale, self.config, key, previous)
        self.ledger.put(entries.localised(locale), key, localised.to_cache(locale))
        self._record(locale, findings=localised.findings)
        return localised

    def _template(self, segmented: Segmented) -> bool:
        """The .pot, rendered only when the messages changed or the file is not what was last written."""
        pot, options = self.paths.pot(), self.options
        key = template_key(segmented.key, options)
        last = self.ledger.template()
        file = self.catalogs.read(pot)
        if last is not None and last.key == key and last.written.file == file.digest:
            return False
        ours = last is not None and last.written.file == file.digest and file.digest is not None
        read = file.parsed() if ours else None  # else only its header matters
        previous = read.po if read is not None else pofile.read_header(pot)
        written = last.written if last is not None else None
        rendered = catalog_stage.template(
            list(segmented.messages),
            file.text,
            previous,
            options,
            catalog_stage.written_texts(written, file.digest, read, options.wrap),
        )
        digest = self._write(file, rendered.text)
        self.ledger.put_template(TemplateStamp(key, Written(digest, options.wrap, rendered.digests)))
        return rendered.text is not None

    def _current(self, locale: str, segmented: Segmented, localised_key: str, file: CatalogFile) -> bool:
        """True when `locale`'s catalogue and .mo are byte for byte what the catalogue stage last
        wrote from the same messages and translations: then nothing needs parsing or merging."""
        stamp = self.ledger.catalog(locale)
        wanted = self._catalog_key(locale, segmented, localised_key)
        if (
            stamp is None
            or not stamp.accepts(wanted)
            or stamp.written.file != file.digest
            or stamp.mo != caching.file_digest(self.paths.mo(locale))
        ):
            return False
        self._record(locale, status=stamp, skipped=f"catalog {locale}")
        return True

    def _merge(
        self, locale: str, segmented: Segmented, localised: Localised, file: CatalogFile, follow: bool
    ) -> list[Path]:
        """Merge into `locale`'s catalogue and write it and its .mo where they changed.

        `follow`: every message the plan asked for was translated. The merge itself changes who
        owns some entries (a reviewed similar source makes a new entry a person's), so the next run
        plans differently from this one, yet would merge to these same files: the stamp accepts its
        key too, and the run after a daily update is a no-change run."""
        po_path, mo_path = self.paths.po(locale), self.paths.mo(locale)
        stamp = self.ledger.catalog(locale)
        existing = file.parsed()
        if existing is not None:
            self.ledger.migrated(locale, existing.po)
        context = CheckContext(locale, self.config.glossary if self.config is not None else None)
        rules = rules_key(context)
        checked = self.ledger.checked(locale, rules)
        check = RememberedChecks(
            lambda source, text: run_checks(source, text, context=context),
            checked.pairs if checked is not None else None,
        )
        messages = list(segmented.messages)
        merged = catalog_stage.merge(
            locale,
            existing,
            file.text,
            messages,
            localised.translations,
            self.options,
            check,
            catalog_stage.written_texts(
                stamp.written if stamp is not None else None, file.digest, existing, self.options.wrap
            ),
            str(po_path),
            mo_path.name,
            self.reviewed(locale, existing.po if existing is not None else None),
        )
        changed = [po_path] if merged.rendered.text is not None else []
        po_digest = self._write(file, merged.rendered.text)  # the merge took its entries: the file is let go
        mo_digest = caching.file_digest(mo_path)
        if mo_digest != caching.bytes_digest(merged.mo):
            write_atomic(mo_path, merged.mo)
            mo_digest = caching.bytes_digest(merged.mo)
            changed.append(mo_path)
        self.report.warnings += merged.held_back
        replanned = plan_stage.plan(merged.po, messages)
        self.ledger.put(
            entries.plan(locale),
            plan_key(segmented.key, po_digest, self.ledger.migration_key(locale)),
            replanned.to_cache(),
        )
        if check.computed or checked is None or len(check.record()) != len(checked.pairs):
            self.ledger.put_checked(locale, rules, CheckedPairs(check.record()))
        following = None
        if follow and set(replanned.plan.todo) <= set(localised.translations):
            next_key = localise_key(self.config, locale, translate_key(self.config, locale, replanned))
            following = self._catalog_key(locale, segmented, next_key)
        status = merged.status
        new_stamp = CatalogStamp(
            self._catalog_key(locale, segmented, localised.key),
            Written(po_digest, self.options.wrap, merged.rendered.digests),
            mo_digest,
            status.qa_findings,
            status.reviewed,
            status.edited,
            following,
        )
        self.ledger.put_catalog(locale, new_stamp)
        self._record(locale, status=new_stamp)
        return changed

    # --- helpers -----------------------------------------------------------------------------

    def _write(self, file: CatalogFile, text: str | None) -> str | None:
        """Write `text` over the catalogue file (None: it already says it), and let the file go;
        the digest of the file now, without reading it back."""
        self.catalogs.done(file.path)
        if text is None:
            return file.digest
        data = text.encode("utf-8")
        write_atomic(file.path, data)
        return caching.bytes_digest(data)

    def _catalog_key(self, locale: str, segmented: Segmented, localised_key: str) -> str:
        glossary = self.config.glossary if self.config is not None else None
        options = {
            "purge_obsolete": self.options.purge_obsolete,
            "wrap": self.options.wrap,
            "project": repr(self.options.project),
            "glossary": glossary.digest if glossary is not None else None,
        }
        return caching.key(
            segmented.key, localised_key, CATALOG_VERSION, sorted(options.items()), self.ledger.migration_key(locale)
        )

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

    def _record(
        self,
        locale: str,
        *,
        route: Route | None = None,
        translated: TranslateStats | None = None,
        findings: int | None = None,
        status: CatalogStamp | None = None,
        skipped: str | None = None,
    ) -> None:
        """The report, filled here alone: the route and what the translate stage did, the QA
        findings of the localise stage, and what `pipeline status` says of the catalogue written."""
        stats = self.report.stats(locale)
        if route is not None:
            stats.model_id, stats.licence, stats.credits = route.model_id, route.licence, route.credits
        if translated is not None:
            stats.by_model, stats.from_memory, stats.untranslated = (
                translated.by_model,
                translated.from_memory,
                translated.untranslated,
            )
        if findings is not None:
            stats.findings = findings
        if status is not None:
            stats.findings, stats.reviewed, stats.edited = status.findings, status.reviewed, status.edited
        if skipped is not None:
            self.report.skipped.append(skipped)
