"""The localise stage: raw output made into catalogue text for a locale, entry by entry."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import cache as caching
from pipeline import localise
from pipeline.cache import Cache
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.jobs.report import RunReport
from pipeline.jobs.translate_stage import Raw, raw_from_cache
from pipeline.layout import Paths
from pipeline.model import Finding, Translation
from pipeline.translate import finish


@dataclass(frozen=True)
class Localised:
    key: str
    translations: dict[str, Translation]


def localise_key(config: Config, locale: str, raw_key: str) -> str:
    return caching.key(raw_key, localise.VERSION, config.locale_options(locale).number_style, config.glossary_key)


def localise_locale(config: Config, locale: str, raw: Raw, paths: Paths, report: RunReport) -> Localised:
    """Spans put back, numbers and dates rendered for the locale, loops cut, QA findings attached.

    Incremental: an entry whose raw output, model and localise settings are those of the last
    result is taken from it, so a daily update re-renders only what changed."""
    options = config.locale_options(locale)
    key = localise_key(config, locale, raw.key)
    store = Cache(paths.workdir)
    stats = report.stats(locale)
    name = f"localize-{locale}"
    previous = store.read(name)
    if previous is not None and previous.get("key") == key:
        report.skipped.append(f"localize {locale}")
        stats.findings = previous.get("findings", 0)
        return Localised(key, cached_translations(previous))
    settings = caching.key(localise.VERSION, options.number_style, config.glossary_key, raw.model_id)
    reusable = previous["translations"] if previous is not None and previous.get("settings") == settings else {}
    translations = {}
    for msgid, out in raw.outputs.items():
        done = reusable.get(msgid)
        if done is not None and done.get("mt") == out.text and done.get("confidence") == out.confidence:
            translations[msgid] = _translation(msgid, done)
        else:
            translations[msgid] = finish(msgid, out.text, locale, options.number_style, raw.model_id,
                                         config.glossary, out.confidence)
    stats.findings = sum(len(t.findings) for t in translations.values())
    store.put(name, key, {"locale": locale, "findings": stats.findings, "settings": settings, "translations": {
        m: {"text": t.text, "mt": raw.outputs[m].text, "model_id": t.model_id, "confidence": t.confidence,
            "findings": [[f.check, f.message] for f in t.findings]}
        for m, t in translations.items()}})
    return Localised(key, translations)


def _translation(msgid: str, rec: dict) -> Translation:
    return Translation(msgid, rec["text"], rec["model_id"], tuple(Finding(c, m) for c, m in rec["findings"]),
                       rec.get("confidence"))


def cached_translations(data: dict) -> dict[str, Translation]:
    """The localise stage's cache entry as the translations it returned."""
    return {msgid: _translation(msgid, rec) for msgid, rec in data["translations"].items()}


def stage_localize(config: Config, locale: str, paths: Paths, report: RunReport) -> None:
    """`pipeline localize`: the localise stage alone, from what the translate stage left."""
    data = Cache(paths.workdir).read(f"translate-{locale}")
    if data is None:
        raise PipelineError(f"no translate-{locale}.json in the work directory: run `pipeline translate --to {locale}` first",
                            path=paths.artefact(f"translate-{locale}"))
    localise_locale(config, locale, raw_from_cache(data), paths, report)
