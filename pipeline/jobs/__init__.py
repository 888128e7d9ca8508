"""The runner: chains the stages in memory, caches each result in the work directory, holds no truth.

    segment → messages → plan (from the catalogue) → translate → localise → catalogue

`run_all` hands each stage's result to the next as a value; nothing is read back from disk. Each
result is also stored as a cache entry keyed by its inputs (see `cache`), so a stage whose inputs
did not change is skipped, and a stage run alone (`pipeline translate`, `localize`, `catalog`)
continues from what the previous one left. The catalogues alone decide who owns an entry, so
deleting the work directory costs translation time, never content. The model's raw output goes to
the SQLite memory batch by batch, so a killed run resumes where it stopped, and a run that needs
no new translation never loads a model.
"""

from __future__ import annotations

from pipeline.catalog import catalogue as catalog
from pipeline.config import Config
from pipeline.jobs.catalogue_stage import (CATALOGUE_VERSION, catalogue_is_current, catalogue_locale, stage_catalog,
                                           write_template)
from pipeline.jobs.localise_stage import Localised, localise_key, localise_locale, stage_localize
from pipeline.jobs.plan_stage import ParsedCatalogues, Planned, legacy_owned, plan_locale, remember_plan
from pipeline.jobs.report import LocaleStats, RunReport
from pipeline.jobs.segment_stage import (SEGMENTER_VERSION, Segmented, load_segmented, load_segments,
                                         segment_sources, stage_segment)
from pipeline.jobs.translate_stage import (CHUNK, TRANSLATE_VERSION, Raw, TranslatorFactory, default_factory,
                                           note_current, stage_translate, translate_key, translate_locales)
from pipeline.layout import Paths, normalise_locales
from pipeline.memory import TranslationMemory
from pipeline.mt.executors import LocalExecutor

__all__ = ["CATALOGUE_VERSION", "CHUNK", "LocaleStats", "Localised", "ParsedCatalogues", "Paths", "Planned", "Raw",
           "RunReport", "SEGMENTER_VERSION", "Segmented", "TRANSLATE_VERSION", "TranslatorFactory",
           "catalogue_is_current", "catalogue_locale", "default_factory", "legacy_owned", "load_segmented",
           "load_segments", "localise_key", "localise_locale", "normalise_locales", "note_current", "plan_locale", "remember_plan",
           "run_all", "segment_sources", "stage_catalog", "stage_localize", "stage_segment", "stage_translate",
           "translate_key", "translate_locales", "write_template"]

def run_all(sources, locales, config: Config, paths: Paths, factory: TranslatorFactory = default_factory,
            artefact_patterns: tuple[str, ...] = (), executor=None, **catalog_options) -> RunReport:
    """Every stage for every locale, each result handed on in memory."""
    report = RunReport()
    paths.check_inside(locales)  # before anything is read or written
    catalog.source_date()  # a malformed SOURCE_DATE_EPOCH, too
    segmented = segment_sources(sources, paths, report, artefact_patterns)
    raws: dict[str, Raw] = {}
    complete: dict[str, bool] = {}  # every owned message translated: the next run's keys are predictable
    parsed = ParsedCatalogues()
    with TranslationMemory(paths.memory()) as memory, \
            (executor or LocalExecutor(factory)) as runner:
        made: dict = {}
        for locale in locales:  # every translation first: a run killed on the way leaves the old catalogues
            planned = plan_locale(segmented, locale, paths, parsed)
            expected = translate_key(config, locale, planned)
            if catalogue_is_current(locale, segmented, localise_key(config, locale, expected), paths, report,
                                    glossary=config.glossary, **catalog_options):
                note_current(config, locale, planned, report)
                continue
            raws[locale] = stage_translate(config, locale, segmented, planned, paths, report, memory, runner, made)
            complete[locale] = raws[locale].key == expected
    write_template(segmented, paths, catalog_options.get("wrap", True), catalog_options.get("project"))
    for locale, raw in raws.items():
        if complete[locale] or not catalogue_is_current(locale, segmented, localise_key(config, locale, raw.key),
                                                        paths, report, glossary=config.glossary, **catalog_options):
            localised = localise_locale(config, locale, raw, paths, report)

            def following(planned: Planned, locale=locale) -> str:
                return localise_key(config, locale, translate_key(config, locale, planned))

            catalogue_locale(locale, segmented, localised, paths, parsed=parsed,
                             following=following if complete[locale] else None, glossary=config.glossary,
                             report=report, **catalog_options)
    return report
