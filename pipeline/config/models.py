"""What `models.yaml` describes, as frozen dataclasses: models, routes, per-locale options.

Reading the file is `pipeline.config.yamlfile`'s; nothing here touches YAML.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from pipeline.config.licences import is_non_commercial, requires_attribution
from pipeline.errors import PipelineError
from pipeline.glossary import Glossary, load_glossary
from pipeline.layout import PIVOT_LANGUAGE, SINGLE, SOURCE_LANGUAGE, target_language, target_tag

FAMILIES = ("nllb", "m2m100", "marian", "madlad", "indictrans2")
BACKENDS = ("auto", "transformers", "ctranslate2")
# CTranslate2 weight types; "auto" is int8 on a CPU and int8_float16 on CUDA.
QUANTIZATIONS = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
NUMBER_STYLES = ("decimal", "compact", "indian", "lakh")


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings; part of every translation's cache key."""

    beam_size: int = 4
    max_length_ratio: float = 2.0  # output tokens allowed per input token ...
    max_length_extra: int = 16  # ... plus this many
    max_input_tokens: int = 256  # longer segments are split at clause boundaries
    batch_tokens: int = 4096  # padded source tokens per batch
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0


# Decoding defaults of a family where they differ from the above: IndicTrans2 as AI4Bharat's own
# inference runs it (beam 5; its positions stop at 256 tokens, which the backend caps outputs at).
FAMILY_GENERATION: dict[str, dict[str, int]] = {"indictrans2": {"beam_size": 5}}


# The largest value each decoding setting may take: beyond it a value is a typo, and some (an
# output limit of 10^8 tokens, a beam of 10,000) run the machine out of memory before anything says
# why. NLLB and M2M100 read at most 1024 positions, MADLAD-400 a few thousand.
GENERATION_MAXIMA = {
    "beam_size": 64,
    "max_length_ratio": 16.0,
    "max_length_extra": 4096,
    "max_input_tokens": 8192,
    "batch_tokens": 1 << 20,
    "no_repeat_ngram_size": 64,
    "repetition_penalty": 10.0,
}


@dataclass(frozen=True)
class ModelSpec:
    """One model entry: a hub id at a pinned revision, or a local folder."""

    name: str
    family: str
    source: str
    revision: str | None = None
    local_path: Path | None = None
    backend: str = "auto"
    quantization: str = "auto"  # CTranslate2 only
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    # Score each output (its confidence); one forced-decoding pass, see bench/confidence_cost.py.
    # Not part of settings_key: it never changes a translation.
    confidence: bool = True
    licence: str | None = None  # SPDX id of the weights' licence, as models.yaml states it
    parameters: str | None = None  # size as published ("600M", "3B"), for `pipeline models`
    attribution: str | None = None  # the credit its licence asks for, as models.yaml states it

    @cached_property
    def model_id(self) -> str:
        """What we write into catalogues and key the translation memory by; a local folder is
        fingerprinted once per spec, not once per message."""
        if self.local_path is not None:
            return f"{self.source}@{_folder_fingerprint(self.local_path)}"
        return f"{self.source}@{self.revision}" if self.revision else self.source

    def settings_key(self) -> str:
        """Everything that changes this model's output, as a short stable string."""
        return self._settings_key

    @cached_property
    def _settings_key(self) -> str:
        gen = self.generation
        parts = [self.model_id, self.family, self.backend, self.quantization] + [
            f"{f.name}={getattr(gen, f.name)}" for f in fields(gen)
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Credit:
    """The credit a model's licence asks of whoever publishes its output (CC-BY)."""

    model: str  # the name in models.yaml
    licence: str
    attribution: str | None  # as models.yaml states it; None: not stated


@dataclass(frozen=True)
class Leg:
    """One model of a route and the languages it translates between (language tags: "gu", "en",
    "zh_Hans", "zh_Hant")."""

    spec: ModelSpec
    src: str
    tgt: str


@dataclass(frozen=True)
class Route:
    """How gu reaches one target: a single model, or two chained through English (gu → en → zh).

    A single-model route has exactly its model's identity and memory key, so routes and models
    configured before pivots existed keep their translation memory."""

    pair: str  # the models.yaml key that chose it, e.g. "gu-zh"
    legs: tuple[Leg, ...]

    @property
    def src(self) -> str:
        return self.legs[0].src

    @property
    def tgt(self) -> str:
        return self.legs[-1].tgt

    @property
    def model_id(self) -> str:
        """What catalogues record: every model of the chain, in order."""
        return " → ".join(leg.spec.model_id for leg in self.legs)

    def settings_key(self) -> str:
        if len(self.legs) == 1:
            return self.legs[0].spec.settings_key()
        parts = [f"{leg.src}>{leg.tgt}:{leg.spec.settings_key()}" for leg in self.legs]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    @property
    def licences(self) -> tuple[str | None, ...]:
        """Each leg's licence, in order (None where models.yaml does not state one)."""
        return tuple(leg.spec.licence for leg in self.legs)

    @property
    def licence(self) -> str:
        """The licences a user of this route's output must honour, joined with " + "."""
        named = list(dict.fromkeys(lic or "licence not stated" for lic in self.licences))
        return " + ".join(named)

    @property
    def non_commercial(self) -> bool:
        return any(is_non_commercial(lic) for lic in self.licences)

    @property
    def credits(self) -> tuple[Credit, ...]:
        """The credit each model of the chain asks for, where its licence requires one."""
        return tuple(
            Credit(leg.spec.name, leg.spec.licence, leg.spec.attribution)
            for leg in self.legs
            if requires_attribution(leg.spec.licence)
        )


def project_name_problem(name: str) -> str | None:
    """Why `name` cannot be the catalogues' Project-Id-Version (a newline would start a header line
    of its own), or None."""
    if not name.strip():
        return "must not be empty (e.g. 'news-site 2.1')"
    if any(c < " " or c == "\x7f" for c in name):
        return f"{name!r} holds a control character (a newline, a tab, ...); give one line of text"
    return None


@dataclass(frozen=True)
class LocaleOptions:
    """How numbers are written for one target locale."""

    number_style: str = "decimal"


@dataclass(frozen=True)
class Config:
    path: Path
    models: dict[str, ModelSpec]
    # (source language, target language or tag) -> model names: one, or two chained through English
    pairs: dict[tuple[str, str], tuple[str, ...]]
    locales: dict[str, LocaleOptions]
    project: str | None = None  # Project-Id-Version of the catalogues (`project:`; --project overrides)
    glossary: Glossary | None = None  # `glossary:` in models.yaml, or --glossary
    catalogs: str = SINGLE  # `catalogs:`, how sources are grouped into catalogues (--catalogs overrides)

    @property
    def glossary_key(self) -> str | None:
        """What the glossary contributes to a stage's cache key."""
        return self.glossary.digest if self.glossary is not None else None

    def with_glossary(self, path: str | Path | None) -> Config:
        """This configuration with the glossary at `path` instead (None: unchanged)."""
        if path is None:
            return self
        return dataclasses.replace(self, glossary=load_glossary(path))

    def route_for(self, locale: str) -> Route:
        """The route for gu → `locale`: the pair naming its script (gu-zh_Hant) if configured,
        else its language (gu-zh)."""
        tag, lang = target_tag(locale), target_language(locale)
        key = next((k for k in ((SOURCE_LANGUAGE, tag), (SOURCE_LANGUAGE, lang)) if k in self.pairs), None)
        if key is None:
            routed = ", ".join(f"{s}-{t}" for s, t in sorted(self.pairs)) or "none"
            raise PipelineError(
                f"no model is routed for {SOURCE_LANGUAGE}-{lang} (needed by locale {locale}); "
                f"pairs configured: {routed}",
                path=self.path,
            )
        names = self.pairs[key]
        pair = f"{key[0]}-{key[1]}"
        if len(names) == 1:
            return Route(pair, (Leg(self.models[names[0]], SOURCE_LANGUAGE, tag),))
        first, second = (self.models[n] for n in names)
        return Route(pair, (Leg(first, SOURCE_LANGUAGE, PIVOT_LANGUAGE), Leg(second, PIVOT_LANGUAGE, tag)))

    def model_for(self, locale: str) -> ModelSpec:
        """The model of a single-model route for `locale` (zh_Hans → the gu-zh model)."""
        route = self.route_for(locale)
        if len(route.legs) != 1:
            raise PipelineError(
                f"pair {route.pair} chains {len(route.legs)} models; this needs a single model", path=self.path
            )
        return route.legs[0].spec

    def locale_options(self, locale: str) -> LocaleOptions:
        if locale in self.locales:
            return self.locales[locale]
        # zh readers expect 30万 rather than 300,000, so compact is the Chinese default.
        if target_language(locale) == "zh":
            return LocaleOptions(number_style="compact")
        return LocaleOptions()


def _folder_fingerprint(folder: Path) -> str:
    """Cheap identity of a local model: config bytes plus weight file sizes and mtimes."""
    h = hashlib.sha256()
    for item in sorted(folder.iterdir()):
        if item.is_file():
            stat = item.stat()
            h.update(item.name.encode())
            if item.suffix in (".json", ".yaml", ".txt", ".model"):
                h.update(item.read_bytes())
            else:
                h.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:12]
