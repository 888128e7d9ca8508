"""The localise stage: raw output made into catalogue text for a locale, entry by entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline import cache as caching
from pipeline import localise as localising
from pipeline.config import Config
from pipeline.jobs.translate_stage import Raw
from pipeline.model import Finding, Translation
from pipeline.translate import finish


@dataclass(frozen=True)
class Localised:
    key: str
    translations: dict[str, Translation]
    settings: str | None = None  # of the rules and options that made them (see `localise_settings`)
    made_from: dict[str, str] = field(default_factory=dict, repr=False)  # msgid -> the raw output it was made from

    @property
    def findings(self) -> int:
        return sum(len(t.findings) for t in self.translations.values())

    def to_cache(self, locale: str) -> dict:
        return {
            "locale": locale,
            "findings": self.findings,
            "settings": self.settings,
            "translations": {
                m: {
                    "text": t.text,
                    "mt": self.made_from.get(m),
                    "model_id": t.model_id,
                    "confidence": t.confidence,
                    "findings": [[f.check, f.message] for f in t.findings],
                }
                for m, t in self.translations.items()
            },
        }

    @classmethod
    def from_cache(cls, data: dict) -> Localised:
        records = data["translations"]
        return cls(
            data["key"],
            {m: _translation(m, rec) for m, rec in records.items()},
            data.get("settings"),
            {m: rec.get("mt") for m, rec in records.items()},
        )


def _translation(msgid: str, rec: dict) -> Translation:
    return Translation(
        msgid, rec["text"], rec["model_id"], tuple(Finding(c, m) for c, m in rec["findings"]), rec.get("confidence")
    )


def localise_key(config: Config, locale: str, raw_key: str) -> str:
    return caching.key(raw_key, localising.VERSION, config.locale_options(locale).number_style, config.glossary_key)


def localise_settings(config: Config, locale: str, model_id: str) -> str:
    return caching.key(localising.VERSION, config.locale_options(locale).number_style, config.glossary_key, model_id)


def localise(raw: Raw, locale: str, config: Config, key: str, previous: Localised | None) -> Localised:
    """Spans put back, numbers and dates rendered for the locale, loops cut, QA findings attached.

    Incremental: an entry whose raw output, model and localise settings are those of `previous`
    is taken from it, so a daily update re-renders only what changed."""
    settings = localise_settings(config, locale, raw.model_id)
    reusable = previous if previous is not None and previous.settings == settings else None
    style = config.locale_options(locale).number_style
    translations = {}
    for msgid, out in raw.outputs.items():
        done = reusable.translations.get(msgid) if reusable is not None else None
        if done is not None and reusable.made_from.get(msgid) == out.text and done.confidence == out.confidence:
            translations[msgid] = done
        else:
            translations[msgid] = finish(msgid, out.text, locale, style, raw.model_id, config.glossary, out.confidence)
    return Localised(key, translations, settings, {m: out.text for m, out in raw.outputs.items()})
