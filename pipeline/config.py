"""`models.yaml`: which model serves which language pair, and per-locale rendering options.

The file is read through PyYAML's node API so that every error names the offending key and its
line. Everything comes out as frozen dataclasses; nothing downstream touches raw YAML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError

from pipeline.errors import PipelineError

FAMILIES = ("nllb", "m2m100", "marian")
BACKENDS = ("auto", "transformers", "ctranslate2")
# CTranslate2 weight types; "auto" is int8 on a CPU and int8_float16 on CUDA.
QUANTIZATIONS = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
NUMBER_STYLES = ("decimal", "compact", "indian", "lakh")
SOURCE_LANGUAGE = "gu"


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

    @cached_property
    def model_id(self) -> str:
        """What we write into catalogues and key the translation memory by; a local folder is
        fingerprinted once per loaded spec, not once per message."""
        if self.local_path is not None:
            return f"{self.source}@{_folder_fingerprint(self.local_path)}"
        return f"{self.source}@{self.revision}" if self.revision else self.source

    def settings_key(self) -> str:
        """Everything that changes this model's output, as a short stable string."""
        gen = self.generation
        parts = [self.model_id, self.family, self.backend, self.quantization] + [
            f"{f.name}={getattr(gen, f.name)}" for f in fields(gen)
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LocaleOptions:
    """How numbers are written for one target locale."""

    number_style: str = "decimal"


@dataclass(frozen=True)
class Config:
    path: Path
    models: dict[str, ModelSpec]
    pairs: dict[tuple[str, str], str]  # (source language, target language) -> model name
    locales: dict[str, LocaleOptions]

    def model_for(self, locale: str) -> ModelSpec:
        """The model routed for gu → the language of `locale` (zh_Hans → zh)."""
        lang = target_language(locale)
        name = self.pairs.get((SOURCE_LANGUAGE, lang))
        if name is None:
            routed = ", ".join(f"{s}-{t}" for s, t in sorted(self.pairs)) or "none"
            raise PipelineError(
                f"no model is routed for {SOURCE_LANGUAGE}-{lang} (needed by locale {locale}); "
                f"pairs configured: {routed}",
                path=self.path,
            )
        return self.models[name]

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


# --- reading ---------------------------------------------------------------------------------

_TOP_KEYS = {"models", "pairs", "locales"}
_MODEL_KEYS = {"family", "source", "revision", "backend", "quantization", "trust_remote_code", "generation"}
_GEN_TYPES = {f.name: f.type for f in fields(GenerationSettings)}
_LOCALE_KEYS = {"number_style"}


def load_config(path: str | Path) -> Config:
    path = Path(path)
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
    reader = _Reader(path)
    top = reader.mapping(root, "top level", _TOP_KEYS, required={"models", "pairs"})

    models: dict[str, ModelSpec] = {}
    for name, node in reader.mapping(top["models"][1], "models").items():
        models[name] = reader.model(name, node[1])

    pairs: dict[tuple[str, str], str] = {}
    for key, (key_node, value_node) in reader.mapping(top["pairs"][1], "pairs").items():
        src, sep, tgt = key.partition("-")
        if not sep or not src or not tgt:
            reader.fail(key_node, f"pair {key!r} must look like gu-en")
        model_name = reader.scalar(value_node, f"pairs.{key}", str)
        if model_name not in models:
            reader.fail(value_node, f"pairs.{key} names model {model_name!r}, which models: does not define")
        pairs[(src, tgt)] = model_name

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
    return Config(path=path, models=models, pairs=pairs, locales=locales)


class _Reader:
    """Turns YAML nodes into values, failing with the key's line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node, message: str):
        raise PipelineError(message, path=self.path, line=node.start_mark.line + 1)

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
        return ModelSpec(
            name=name,
            family=family,
            source=source,
            revision=revision,
            local_path=local,
            backend=backend,
            quantization=quantization,
            trust_remote_code=trust,
            generation=GenerationSettings(**gen_kwargs),
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
