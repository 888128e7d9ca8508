"""The translate stage: the model's raw output for every message the pipeline owns, through the memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline import cache as caching
from pipeline.config import Config, ModelSpec, Route
from pipeline.jobs.plan_stage import Planned
from pipeline.memory import TranslationMemory
from pipeline.model import Scored
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
    settings: str | None = None  # of the route that made them (see `translate_settings`)

    def to_cache(self, locale: str) -> dict:
        return {
            "locale": locale,
            "model_id": self.model_id,
            "settings": self.settings,
            "translations": {m: {"mt": out.text, "confidence": out.confidence} for m, out in self.outputs.items()},
        }

    @classmethod
    def from_cache(cls, data: dict) -> Raw:
        outputs = {m: Scored(rec["mt"], rec.get("confidence")) for m, rec in data["translations"].items()}
        return cls(data["key"], outputs, data["model_id"], data.get("settings"))


@dataclass(frozen=True)
class TranslateStats:
    by_model: int = 0  # made by the model in this run
    from_memory: int = 0  # found in the memory or the last result
    untranslated: int = 0  # in batches that failed for good; the next run retries them


def translate_settings(config: Config, route: Route) -> str:
    """Everything but the messages that decides a translation; tgt carries the script, so zh_Hans
    and zh_Hant never share memory rows or cache entries."""
    return caching.key(TRANSLATE_VERSION, route.settings_key(), route.tgt, config.glossary_key)


def translate_key(config: Config, locale: str, planned: Planned) -> str:
    route = config.route_for(locale)
    return caching.key(TRANSLATE_VERSION, planned.key, route.settings_key(), route.tgt, config.glossary_key)


def translate(
    todo: tuple[str, ...],
    route: Route,
    locale: str,
    key: str,
    settings: str,
    previous: Raw | None,
    memory: TranslationMemory,
    executor,
    made_this_run: set[str],
    glossary=None,
) -> tuple[Raw, TranslateStats]:
    """Raw machine translations for `todo`. Incremental: a message `previous` translated with the
    same `settings` keeps that output, so a daily update prepares and looks up only new messages.
    `made_this_run`: model inputs already translated in this run for this route (en and en_IN
    share them); they count as made by the model."""
    known = previous.outputs if previous is not None and previous.settings == settings else {}
    reused = {m: known[m] for m in todo if m in known}
    raw = translate_raw(
        [m for m in todo if m not in reused], route, memory, executor, CHUNK, locale, made_this_run, glossary
    )
    outputs = {m: reused[m] if m in reused else raw.outputs[m] for m in todo if m in reused or m in raw.outputs}
    stamp = key if not raw.untranslated else caching.key(key, "incomplete")  # the next run retries the rest
    return (
        Raw(stamp, outputs, route.model_id, settings),
        TranslateStats(raw.by_model, raw.from_memory + len(reused), raw.untranslated),
    )
