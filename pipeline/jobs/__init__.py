"""The runner and its stages; the runner holds no truth.

    segment → messages → plan (from the catalogue) → translate → localise → catalogue

Each stage (a `*_stage` module) is a function over values: it takes plain data and returns plain
data and its statistics. The `Runner` chains them in memory, stores each result as a cache entry
keyed by its inputs (see `cache`), so a stage whose inputs did not change is skipped and a stage
run alone (`pipeline translate`, `localize`, `catalog`) continues from what the previous one left,
and fills the report. The catalogues alone decide who owns an entry, so deleting the work
directory costs translation time, never content. The model's raw output goes to the SQLite
memory batch by batch, so a killed run resumes where it stopped, and a run that needs no new
translation never loads a model.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.jobs.catalog_stage import CATALOG_VERSION, CatalogOptions
from pipeline.jobs.report import LocaleStats, RunReport
from pipeline.jobs.runner import Runner
from pipeline.jobs.segment_stage import SEGMENTER_VERSION, Segmented
from pipeline.jobs.translate_stage import CHUNK, TRANSLATE_VERSION, TranslatorFactory, default_factory
from pipeline.layout import Paths

__all__ = [
    "CATALOG_VERSION",
    "CHUNK",
    "CatalogOptions",
    "LocaleStats",
    "Paths",
    "RunReport",
    "Runner",
    "SEGMENTER_VERSION",
    "Segmented",
    "TRANSLATE_VERSION",
    "TranslatorFactory",
    "default_factory",
    "run_all",
]


def run_all(
    sources,
    locales: list[str],
    config: Config,
    paths: Paths,
    factory: TranslatorFactory = default_factory,
    *,
    options: CatalogOptions = CatalogOptions(),
    artefact_patterns: tuple[str, ...] = (),
    executor=None,
) -> RunReport:
    """`pipeline run` as a function: every stage for every locale, under the runner's locks."""
    with Runner(
        paths, config, options=options, artefact_patterns=artefact_patterns, executor=executor, factory=factory
    ) as runner:
        return runner.run(sources, locales)
