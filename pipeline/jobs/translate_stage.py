"""The translate stage: the model's raw output for every message the pipeline owns, through the memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline import cache as caching
from pipeline.cache import Cache
from pipeline.config import Config, ModelSpec
from pipeline.jobs.plan_stage import Planned, plan_locale
from pipeline.jobs.report import RunReport
from pipeline.jobs.segment_stage import Segmented, load_segmented
from pipeline.layout import Paths
from pipeline.memory import TranslationMemory
from pipeline.mt.executors import LocalExecutor
from pipeline.mt.route import check_route
from pipeline.mt.scoring import Scored
from pipeline.translate import translate_raw

TRANSLATE_VERSION = "2"  # 2: each translation carries the model's confidence
CHUNK = 32  # sentences per memory write: what a crash can cost


TranslatorFactory = Callable[[ModelSpec], object]


def default_factory(spec: ModelSpec):
    from pipeline.mt import load_translator

    return load_translator(spec)


@dataclass(frozen=True)
class Raw:
    key: str
    outputs: dict[str, Scored]  # msgid -> the model's raw output and its confidence
    model_id: str


def stage_translate(config: Config, locale: str, segmented: Segmented, planned: Planned, paths: Paths,
                    report: RunReport, memory: TranslationMemory, executor, made: dict) -> Raw:
    """Raw machine translations for every message the pipeline owns in `locale`'s catalogue."""
    route, stats = _route_stats(config, locale, planned, report)
    key = translate_key(config, locale, planned)
    store = Cache(paths.workdir)
    cached = store.get(f"translate-{locale}", key)
    if cached is not None:
        report.skipped.append(f"translate {locale}")
        stats.from_memory = len(cached["translations"])
        return raw_from_cache(cached)
    # Incremental: a message the last result translated with the same route and settings keeps
    # that output, so a daily update prepares and looks up only the messages it has not seen.
    settings = caching.key(TRANSLATE_VERSION, route.settings_key(), route.tgt, config.glossary_key)
    previous = store.read(f"translate-{locale}")
    known = previous["translations"] if previous is not None and previous.get("settings") == settings else {}
    reused = {m: Scored(known[m]["mt"], known[m].get("confidence")) for m in planned.plan.todo if m in known}
    shared = made.setdefault((route.settings_key(), route.tgt), set())
    raw = translate_raw([m for m in planned.plan.todo if m not in reused], route, memory, executor, CHUNK, locale,
                        shared, config.glossary)
    outputs = {m: reused[m] if m in reused else raw.outputs[m]
               for m in planned.plan.todo if m in reused or m in raw.outputs}
    stats.by_model, stats.from_memory, stats.untranslated = raw.by_model, raw.from_memory + len(reused), raw.untranslated
    stamp = key if not raw.untranslated else caching.key(key, "incomplete")  # the next run retries the rest
    store.put(f"translate-{locale}", stamp, {"locale": locale, "model_id": route.model_id, "settings": settings,
                                             "translations": {m: {"mt": out.text, "confidence": out.confidence}
                                                              for m, out in outputs.items()}})
    return Raw(stamp, outputs, route.model_id)


def note_current(config: Config, locale: str, planned: Planned, report: RunReport) -> None:
    """The summary of a locale whose catalogue is already what these translations give: the
    stage is skipped without reading its cached outputs (a whole archive's, on every run)."""
    _, stats = _route_stats(config, locale, planned, report)
    stats.from_memory = len(planned.plan.todo)
    report.skipped.append(f"translate {locale}")


def _route_stats(config: Config, locale: str, planned: Planned, report: RunReport):
    """The locale's route, checked before any work, and its summary line with what the plan says."""
    route = check_route(config.route_for(locale))
    stats = report.stats(locale)
    stats.model_id, stats.licence = route.model_id, route.licence
    return route, stats


def translate_key(config: Config, locale: str, planned: Planned) -> str:
    # tgt carries the script: zh_Hans and zh_Hant never share memory rows or cache entries
    route = config.route_for(locale)
    return caching.key(TRANSLATE_VERSION, planned.key, route.settings_key(), route.tgt, config.glossary_key)


def raw_from_cache(data: dict) -> Raw:
    """The translate stage's cache entry as the value it returned."""
    outputs = {m: Scored(rec["mt"], rec.get("confidence")) for m, rec in data["translations"].items()}
    return Raw(data["key"], outputs, data["model_id"])


def translate_locales(config: Config, locales: list[str], paths: Paths, report: RunReport,
                      factory: TranslatorFactory = default_factory, executor=None) -> None:
    """`pipeline translate`: the translate stage alone, from the segments the last segment stage left."""
    segmented = load_segmented(paths)
    with TranslationMemory(paths.memory()) as memory, \
            (executor or LocalExecutor(factory)) as runner:
        made: dict = {}
        for locale in locales:
            stage_translate(config, locale, segmented, plan_locale(segmented, locale, paths), paths, report,
                            memory, runner, made)
