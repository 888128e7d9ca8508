"""`models.yaml`: which model serves which language pair, and per-locale rendering options.

The file is read through PyYAML's node API so that every error names the offending key and its
line. Everything comes out as frozen dataclasses; nothing downstream touches raw YAML.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from babel import Locale, UnknownLocaleError

from pipeline.catalog.header import project_name_problem
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.glossary import Glossary

FAMILIES = ("nllb", "m2m100", "marian", "madlad")
BACKENDS = ("auto", "transformers", "ctranslate2")
# CTranslate2 weight types; "auto" is int8 on a CPU and int8_float16 on CUDA.
QUANTIZATIONS = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
NUMBER_STYLES = ("decimal", "compact", "indian", "lakh")
SOURCE_LANGUAGE = "gu"
PIVOT_LANGUAGE = "en"  # a two-model route goes gu → en with the first model, en → target with the second
# Languages whose models write more than one script: the script is part of the target, so zh_Hans
# and zh_Hant never share a model code or a translation-memory row.
SCRIPTED_LANGUAGES = {"zh": "Hans"}  # language -> script when the locale names none (CLDR likely subtags)


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
    trust_remote_code: bool = False
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    # Score each output (its confidence); one forced-decoding pass, see bench/confidence_cost.py.
    # Not part of settings_key: it never changes a translation.
    confidence: bool = True
    licence: str | None = None  # SPDX id of the weights' licence, as models.yaml states it
    parameters: str | None = None  # size as published ("600M", "3B"), for `pipeline models`

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


def is_non_commercial(licence: str | None) -> bool:
    """CC "NC" licences (CC-BY-NC-4.0, CC-BY-NC-SA-4.0, ...) forbid commercial use."""
    return licence is not None and "-NC" in licence.upper()


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

    @property
    def glossary_key(self) -> str | None:
        """What the glossary contributes to a stage's cache key."""
        return self.glossary.digest if self.glossary is not None else None

    def with_glossary(self, path: str | Path | None) -> Config:
        """This configuration with the glossary at `path` instead (None: unchanged)."""
        if path is None:
            return self
        from pipeline.glossary import load_glossary

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
            raise PipelineError(f"pair {route.pair} chains {len(route.legs)} models; this needs a single model",
                                path=self.path)
        return route.legs[0].spec

    def locale_options(self, locale: str) -> LocaleOptions:
        if locale in self.locales:
            return self.locales[locale]
        # zh readers expect 30万 rather than 300,000, so compact is the Chinese default.
        if target_language(locale) == "zh":
            return LocaleOptions(number_style="compact")
        return LocaleOptions()


def parse_locale(name: str) -> Locale:
    """A Babel locale, or a clear error; names like `zh_Hans` and `en-IN` are both accepted."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise PipelineError(
            f"unknown locale {name!r}: use a Babel/CLDR identifier such as en, en_IN or zh_Hans"
        ) from None


def target_language(locale: str) -> str:
    return parse_locale(locale).language


def target_tag(locale: str) -> str:
    """What a model is asked to write for `locale`: its language, plus the script for languages
    written in several (zh, zh_CN, zh_Hans → zh_Hans; zh_TW, zh_HK, zh_Hant → zh_Hant)."""
    parsed = parse_locale(locale)
    if parsed.language not in SCRIPTED_LANGUAGES:
        return parsed.language
    return f"{parsed.language}_{parsed.script or SCRIPTED_LANGUAGES[parsed.language]}"


# --- reading ---------------------------------------------------------------------------------

_TOP_KEYS = {"models", "pairs", "locales", "project", "glossary"}
# The tags plain YAML data has; anything else (!!python/name:os.system, !custom) is refused.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                                  "timestamp", "merge")}
_MODEL_KEYS = {"family", "source", "revision", "backend", "quantization", "trust_remote_code", "generation",
               "confidence", "licence", "parameters"}
_GEN_TYPES = {f.name: f.type for f in fields(GenerationSettings)}
_LOCALE_KEYS = {"number_style"}


def load_config(path: str | Path) -> Config:
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block the read for ever
        raise PipelineError("models file is not a regular file", path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PipelineError("models file not found (pass --models FILE)", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read models file: {exc}", path=path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PipelineError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path, line=line) from None
    except RecursionError:
        raise PipelineError("not a models file: nested too deeply", path=path) from None
    reader = _Reader(path)
    reader.refuse_tags(root)
    top = reader.mapping(root, "top level", _TOP_KEYS, required={"models", "pairs"})
    project = reader.scalar(top["project"][1], "project", str).strip() if "project" in top else None
    if project is not None and project_name_problem(project):
        reader.fail(top["project"][1], f"project {project_name_problem(project)}")

    models: dict[str, ModelSpec] = {}
    for name, node in reader.mapping(top["models"][1], "models").items():
        models[name] = reader.model(name, node[1])

    pairs: dict[tuple[str, str], tuple[str, ...]] = {}
    for key, (key_node, value_node) in reader.mapping(top["pairs"][1], "pairs").items():
        src, sep, tgt = key.partition("-")
        if not sep or not src or not tgt:
            reader.fail(key_node, f"pair {key!r} must look like gu-en")
        if "_" in tgt:  # a pair for one script: gu-zh_Hant
            try:
                tag = target_tag(tgt)
            except PipelineError as exc:
                reader.fail(key_node, f"pair {key!r}: {exc}")
            if tag != tgt:
                reader.fail(key_node, f"pair {key!r}: a pair names a language (gu-zh) or a language and "
                                      f"script (gu-{tag}), not a locale")
        pairs[(src, tgt)] = reader.route(value_node, f"pairs.{key}", models)

    locales: dict[str, LocaleOptions] = {}
    if "locales" in top:
        for loc, (key_node, node) in reader.mapping(top["locales"][1], "locales").items():
            try:
                parse_locale(loc)
            except PipelineError as exc:
                reader.fail(key_node, str(exc))
            opts = reader.mapping(node, f"locales.{loc}", _LOCALE_KEYS)
            style = "decimal"
            if "number_style" in opts:
                style = reader.choice(opts["number_style"][1], f"locales.{loc}.number_style", NUMBER_STYLES)
            locales[loc] = LocaleOptions(number_style=style)
    glossary = None
    if "glossary" in top:
        from pipeline.glossary import load_glossary

        where = Path(reader.scalar(top["glossary"][1], "glossary", str)).expanduser()
        glossary = load_glossary(where if where.is_absolute() else path.parent / where)
    return Config(path=path, models=models, pairs=pairs, locales=locales, project=project, glossary=glossary)


class _Reader:
    """Turns YAML nodes into values, failing with the key's line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node, message: str):
        raise PipelineError(message, path=self.path, line=node.start_mark.line + 1)

    def refuse_tags(self, root) -> None:
        """Fail on the first node with a tag plain data does not have, before any value is built.
        Each node is visited once, so aliases repeating a node many times cost nothing more."""
        seen: set[int] = set()
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag not in _PLAIN_TAGS:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
                self.fail(node, f"YAML tag {tag} is not allowed: the models file holds plain values only")
            if isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))

    def mapping(self, node, what, allowed=None, required=()):
        if not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 1 if node is not None else None
            raise PipelineError(f"{what} must be a mapping", path=self.path, line=line)
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if allowed is not None and key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.fail(key_node, f"unknown key {key!r} in {what} (expected one of: {hint})")
            if key in out:
                self.fail(key_node, f"duplicate key {key!r} in {what}")
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                raise PipelineError(f"missing key {key!r} in {what}", path=self.path, line=node.start_mark.line + 1)
        return out

    def scalar(self, node, what, typ):
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be a single value")
        value = yaml.safe_load(yaml.serialize(node))
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if typ is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(node.value)
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            self.fail(node, f"{what} must be a {typ.__name__}, not {node.value!r}")
        return value

    def route(self, node, what, models) -> tuple[str, ...]:
        """A model name, or a list of two: gu → en with the first, en → target with the second."""
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) != 2:
                self.fail(node, f"{what} must name one model, or two to chain through {PIVOT_LANGUAGE} "
                                f"(gu → {PIVOT_LANGUAGE} → target), not {len(node.value)}")
            items = node.value
        else:
            items = [node]
        names = []
        for item in items:
            name = self.scalar(item, what, str)
            if name not in models:
                self.fail(item, f"{what} names model {name!r}, which models: does not define")
            names.append(name)
        return tuple(names)

    def licence(self, node, what) -> str:
        """An SPDX licence id, spelt canonically (cc-by-nc-4.0 → CC-BY-NC-4.0)."""
        from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

        value = self.scalar(node, what, str)
        try:
            return canonicalize_license_expression(value)
        except InvalidLicenseExpression:
            self.fail(node, f"{what} is {value!r}, not an SPDX licence id "
                            "(e.g. Apache-2.0, CC-BY-4.0, CC-BY-NC-4.0, MIT; see https://spdx.org/licenses/)")

    def choice(self, node, what, options):
        value = self.scalar(node, what, str)
        if value not in options:
            self.fail(node, f"{what} is {value!r}; expected one of: {', '.join(options)}")
        return value

    def model(self, name: str, node) -> ModelSpec:
        what = f"models.{name}"
        entry = self.mapping(node, what, _MODEL_KEYS, required={"family", "source"})
        family = self.choice(entry["family"][1], f"{what}.family", FAMILIES)
        source = self.scalar(entry["source"][1], f"{what}.source", str)
        revision = self.scalar(entry["revision"][1], f"{what}.revision", str) if "revision" in entry else None
        backend = self.choice(entry["backend"][1], f"{what}.backend", BACKENDS) if "backend" in entry else "auto"
        quantization = "auto"
        if "quantization" in entry:
            quantization = self.choice(entry["quantization"][1], f"{what}.quantization", QUANTIZATIONS)
        trust = False
        confidence = True
        if "confidence" in entry:
            confidence = self.scalar(entry["confidence"][1], f"{what}.confidence", bool)
        if "trust_remote_code" in entry:
            trust = self.scalar(entry["trust_remote_code"][1], f"{what}.trust_remote_code", bool)
        local = _local_folder(source, self.path)
        if trust and local is None and not revision:
            self.fail(entry["trust_remote_code"][0], f"{what}: trust_remote_code needs a pinned revision")
        gen_kwargs: dict[str, Any] = {}
        if "generation" in entry:
            gen = self.mapping(entry["generation"][1], f"{what}.generation", set(_GEN_TYPES))
            for key, (_, value_node) in gen.items():
                typ = {"int": int, "float": float}[str(_GEN_TYPES[key])]
                value = self.scalar(value_node, f"{what}.generation.{key}", typ)
                if value <= 0 and key != "no_repeat_ngram_size":
                    self.fail(value_node, f"{what}.generation.{key} must be positive")
                gen_kwargs[key] = value
        licence = self.licence(entry["licence"][1], f"{what}.licence") if "licence" in entry else None
        parameters = self.scalar(entry["parameters"][1], f"{what}.parameters", str) if "parameters" in entry else None
        return ModelSpec(
            name=name,
            family=family,
            source=source,
            revision=revision,
            local_path=local,
            backend=backend,
            quantization=quantization,
            trust_remote_code=trust,
            confidence=confidence,
            generation=GenerationSettings(**gen_kwargs),
            licence=licence,
            parameters=parameters,
        )


def _local_folder(source: str, config_path: Path) -> Path | None:
    """A source that names an existing folder (absolute, or relative to models.yaml) is local."""
    candidate = Path(source).expanduser()
    if not candidate.is_absolute():
        candidate = config_path.parent / candidate
    if candidate.is_dir():
        return candidate.resolve()
    if source.startswith((".", "/", "~")):
        raise PipelineError(f"model folder {source!r} does not exist", path=config_path)
    return None


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
