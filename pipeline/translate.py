"""Translate: from Gujarati msgids to finished translations for one locale, on the one path.

    localise.prepare → translation memory → executor (model, here or on Ray) → localise.restore → QA

`run`, `translate`/`localize` run alone, and `evaluate` all come through here, so what `evaluate`
scores is what ships. The memory keeps the model's raw output, keyed by what the model was given
and the model's settings; the executor stores each batch into it as it finishes, so a killed run
resumes where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline import localise
from pipeline.config import Route
from pipeline.layout import SOURCE_LANGUAGE, target_tag
from pipeline.memory import TranslationMemory
from pipeline.model import Scored, Translation
from pipeline.mt import translate_scored
from pipeline.mt.executors import Executor
from pipeline.qa.checks import CheckContext, run_checks


@dataclass
class RawTranslations:
    """The model's output for each msgid (None: its batch failed for good), and where it came from."""

    outputs: dict[str, Scored] = field(default_factory=dict)
    by_model: int = 0  # msgids whose text the model produced in this run
    from_memory: int = 0  # found in the memory from an earlier run
    untranslated: int = 0  # in batches that failed on every retry: the next run tries again


def translate_raw(
    msgids: list[str],
    route: Route,
    memory: TranslationMemory,
    executor: Executor,
    chunk: int,
    locale: str,
    made_this_run: set[str] | None = None,
    glossary=None,
) -> RawTranslations:
    """Raw model output for `msgids`: from the memory, else from `executor` (which stores it there).

    `made_this_run`: model inputs this run already translated for the same language and model (en
    and en_IN share them); they count as translated by the model, not reused."""
    made_this_run = set() if made_this_run is None else made_this_run
    tgt = route.tgt  # the script too (zh_Hans, zh_Hant)
    model_key = route.settings_key()
    inputs = {m: localise.prepare(m, glossary, locale).model_input for m in msgids}
    found = memory.lookup_scored(set(inputs.values()), SOURCE_LANGUAGE, tgt, model_key)
    missing = sorted({t for t in inputs.values() if t not in found}, key=len)
    left: set[str] = set()
    if missing:
        outcome = executor.translate_into_memory(route, missing, tgt, memory, model_key, locale, chunk)
        left = set(outcome.untranslated)
        found.update(memory.lookup_scored([t for t in missing if t not in left], SOURCE_LANGUAGE, tgt, model_key))
        made_this_run.update(t for t in missing if t not in left)
    raw = RawTranslations()
    for msgid, text in inputs.items():
        if text in left or text not in found:
            raw.untranslated += 1
            continue
        raw.outputs[msgid] = found[text]
        if text in made_this_run:
            raw.by_model += 1
        else:
            raw.from_memory += 1
    return raw


def finish(
    msgid: str,
    output: str,
    locale: str,
    number_style: str,
    model_id: str | None,
    glossary=None,
    confidence: float | None = None,
) -> Translation:
    """The model's `output` for `msgid` as it goes into the catalogue: restored, localised, checked."""
    prepared = localise.prepare(msgid, glossary, locale)
    restored = localise.restore(prepared, output, locale, number_style, glossary)
    checked = run_checks(msgid, restored.text, context=CheckContext(locale, glossary))
    findings = ((restored.cut,) if restored.cut else ()) + checked + restored.placed
    return Translation(msgid, restored.text, model_id, findings, confidence)


def translate_now(
    translator, msgids: list[str], locale: str, number_style: str, glossary=None
) -> dict[str, Translation]:
    """Translate `msgids` with `translator` directly, no memory (evaluate): the same path as a run."""
    inputs = {m: localise.prepare(m, glossary, locale).model_input for m in msgids}
    unique = list(dict.fromkeys(inputs.values()))
    outputs = dict(zip(unique, translate_scored(translator, unique, SOURCE_LANGUAGE, target_tag(locale))))
    model_id = getattr(translator, "model_id", None)
    return {
        m: finish(m, outputs[inputs[m]].text, locale, number_style, model_id, glossary, outputs[inputs[m]].confidence)
        for m in msgids
    }
