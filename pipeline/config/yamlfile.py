"""Reading `models.yaml` into a `Config`.

The file is read through PyYAML's node API so that every error names the offending key and its
line, and only plain data tags are accepted. Aliases are followed only within a bound (an alias
bomb is refused before anything is built from it), keys are plain values, and merge keys
(`<<: *base`) merge as YAML defines them.
"""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml

from pipeline.config.licences import canonical_licence
from pipeline.config.models import (
    BACKENDS,
    FAMILIES,
    FAMILY_GENERATION,
    GENERATION_MAXIMA,
    NUMBER_STYLES,
    QUANTIZATIONS,
    Config,
    GenerationSettings,
    LocaleOptions,
    ModelSpec,
    project_name_problem,
)
from pipeline.errors import PipelineError
from pipeline.glossary import load_glossary
from pipeline.layout import CATALOG_LAYOUTS, PIVOT_LANGUAGE, SINGLE, parse_locale, target_tag

_TOP_KEYS = {"models", "pairs", "locales", "project", "glossary", "catalogs"}
# Top-level keys starting with this are left alone: a place for anchored bases that model entries
# merge (`x-base: &base {...}`), as Docker Compose's extension fields are.
_EXTENSION_PREFIX = "x-"
# The tags plain YAML data has; anything else (!!python/name:os.system, !custom) is refused.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
}
_MODEL_KEYS = {
    "family",
    "source",
    "revision",
    "backend",
    "quantization",
    "generation",
    "confidence",
    "licence",
    "parameters",
    "attribution",
}
_GEN_TYPES = {f.name: f.type for f in fields(GenerationSettings)}
_LOCALE_KEYS = {"number_style"}
_MERGE_TAG = "tag:yaml.org,2002:merge"
# How many values the file may hold once every alias is expanded. A real models.yaml holds a few
# hundred; nine nested aliases of nine make a billion from a dozen lines.
MAX_EXPANDED_VALUES = 100_000


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
    reader.refuse_alias_blowup(root)
    top = reader.mapping(root, "top level", _TOP_KEYS, required={"models", "pairs"}, ignored=_EXTENSION_PREFIX)
    project = reader.scalar(top["project"][1], "project", str).strip() if "project" in top else None
    if project is not None and project_name_problem(project):
        reader.fail(top["project"][1], f"project {project_name_problem(project)}")
    catalogs = reader.choice(top["catalogs"][1], "catalogs", CATALOG_LAYOUTS) if "catalogs" in top else SINGLE

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
                reader.fail(
                    key_node,
                    f"pair {key!r}: a pair names a language (gu-zh) or a language and script (gu-{tag}), not a locale",
                )
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
        where = Path(reader.scalar(top["glossary"][1], "glossary", str)).expanduser()
        glossary = load_glossary(where if where.is_absolute() else path.parent / where)
    return Config(
        path=path, models=models, pairs=pairs, locales=locales, project=project, glossary=glossary, catalogs=catalogs
    )


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

    def refuse_alias_blowup(self, root) -> None:
        """Fail on an alias that refers to a value holding it, or on a file whose aliases expand it
        past `MAX_EXPANDED_VALUES`, counting each node once (so the check itself is linear)."""
        expanded: dict[int, int] = {}
        open_nodes: set[int] = set()
        stack = [(root, False)] if root is not None else []
        while stack:
            node, children_done = stack.pop()
            children = _children(node)
            if children_done:
                open_nodes.discard(id(node))
                expanded[id(node)] = 1 + sum(expanded[id(child)] for child in children)
                if expanded[id(node)] > MAX_EXPANDED_VALUES:
                    self.fail(
                        node,
                        f"the aliases in this value expand it to more than {MAX_EXPANDED_VALUES:,} "
                        "values; a models file holds a few hundred",
                    )
                continue
            if id(node) in expanded:
                continue
            if id(node) in open_nodes:
                self.fail(node, "this value holds an alias to itself; a models file holds plain values only")
            open_nodes.add(id(node))
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    self.fail(child, "this value holds an alias to itself; a models file holds plain values only")
                if id(child) not in expanded:
                    stack.append((child, False))

    def entries(self, node: yaml.MappingNode, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        """A mapping's (key, value) nodes with its merge keys applied: its own keys first, then each
        merged mapping's keys it lacks, earlier mappings in a `<<: [*a, *b]` list winning."""
        own: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, f"a key in {what} is a {_kind(key_node)}; keys are plain names")
            if key_node.tag != _MERGE_TAG:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.fail(
                        source,
                        f"the merge key << in {what} takes a mapping (<<: *base) or a list of "
                        f"them, not a {_kind(source)}",
                    )
                merged.extend(self.entries(source, what))
        seen = {str(key_node.value) for key_node, _ in own}
        for key_node, value_node in merged:
            if str(key_node.value) not in seen:
                seen.add(str(key_node.value))
                own.append((key_node, value_node))
        return own

    def mapping(self, node, what, allowed=None, required=(), ignored=None):
        if not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 1 if node is not None else None
            raise PipelineError(f"{what} must be a mapping", path=self.path, line=line)
        try:
            entries = self.entries(node, what)
        except RecursionError:
            self.fail(node, f"the merge keys (<<) of {what} are nested too deeply")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in entries:
            key = str(key_node.value)
            if ignored is not None and key.startswith(ignored):
                continue
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
            self.fail(node, f"{what} must be a single value, not a {_kind(node)}")
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
                self.fail(
                    node,
                    f"{what} must name one model, or two to chain through {PIVOT_LANGUAGE} "
                    f"(gu → {PIVOT_LANGUAGE} → target), not {len(node.value)}",
                )
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
        value = self.scalar(node, what, str)
        canonical = canonical_licence(value)
        if canonical is None:
            self.fail(
                node,
                f"{what} is {value!r}, not an SPDX licence id "
                "(e.g. Apache-2.0, CC-BY-4.0, CC-BY-NC-4.0, MIT; see https://spdx.org/licenses/)",
            )
        return canonical

    def choice(self, node, what, options):
        value = self.scalar(node, what, str)
        if value not in options:
            self.fail(node, f"{what} is {value!r}; expected one of: {', '.join(options)}")
        return value

    def model(self, name: str, node) -> ModelSpec:
        what = f"models.{name}"
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if key_node.value == "trust_remote_code":  # the product never runs code from the hub
                    self.fail(
                        key_node,
                        f"{what}: trust_remote_code is not an option: every family (IndicTrans2 "
                        "included) is loaded with this program's own code, never code from the "
                        "model's repository; remove the line",
                    )
        entry = self.mapping(node, what, _MODEL_KEYS, required={"family", "source"})
        family = self.choice(entry["family"][1], f"{what}.family", FAMILIES)
        source = self.scalar(entry["source"][1], f"{what}.source", str)
        revision = self.scalar(entry["revision"][1], f"{what}.revision", str) if "revision" in entry else None
        backend = self.choice(entry["backend"][1], f"{what}.backend", BACKENDS) if "backend" in entry else "auto"
        quantization = "auto"
        if "quantization" in entry:
            quantization = self.choice(entry["quantization"][1], f"{what}.quantization", QUANTIZATIONS)
        confidence = True
        if "confidence" in entry:
            confidence = self.scalar(entry["confidence"][1], f"{what}.confidence", bool)
        local = _local_folder(source, self.path)
        gen_kwargs: dict[str, Any] = {}
        if "generation" in entry:
            gen = self.mapping(entry["generation"][1], f"{what}.generation", set(_GEN_TYPES))
            for key, (_, value_node) in gen.items():
                typ = {"int": int, "float": float}[str(_GEN_TYPES[key])]
                value = self.scalar(value_node, f"{what}.generation.{key}", typ)
                if typ is float and not math.isfinite(value):
                    self.fail(value_node, f"{what}.generation.{key} must be a finite number, not {value_node.value}")
                if value <= 0 and key != "no_repeat_ngram_size":
                    self.fail(value_node, f"{what}.generation.{key} must be positive")
                if value > GENERATION_MAXIMA[key]:
                    self.fail(
                        value_node,
                        f"{what}.generation.{key} is {value_node.value}; at most "
                        f"{GENERATION_MAXIMA[key]:g} makes sense (more is a typo, or runs out "
                        "of memory)",
                    )
                gen_kwargs[key] = value
        licence = self.licence(entry["licence"][1], f"{what}.licence") if "licence" in entry else None
        parameters = self.scalar(entry["parameters"][1], f"{what}.parameters", str) if "parameters" in entry else None
        attribution = None
        if "attribution" in entry:
            attribution = " ".join(self.scalar(entry["attribution"][1], f"{what}.attribution", str).split())
            if not attribution:
                self.fail(
                    entry["attribution"][1],
                    f"{what}.attribution must not be empty: name the authors as their licence asks",
                )
        return ModelSpec(
            name=name,
            family=family,
            source=source,
            revision=revision,
            local_path=local,
            backend=backend,
            quantization=quantization,
            confidence=confidence,
            generation=GenerationSettings(**{**FAMILY_GENERATION.get(family, {}), **gen_kwargs}),
            licence=licence,
            parameters=parameters,
            attribution=attribution,
        )


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _kind(node) -> str:
    """A node's kind in a user's words, never its contents (which aliases may make enormous)."""
    return {yaml.MappingNode: "mapping", yaml.SequenceNode: "list"}.get(type(node), "single value")


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
