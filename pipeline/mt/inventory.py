"""What `pipeline models` reports: each configured route's models, their licences, whether they
are on this machine, and which backend would serve them. Plain data; the CLI prints it.

Nothing here loads a model or touches the network: the Hugging Face cache is only looked at.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.config import Config, Credit, ModelSpec, Route, is_non_commercial, requires_attribution
from pipeline.errors import PipelineError
from pipeline.layout import SCRIPTED_LANGUAGES
from pipeline.mt import families, resolve_backend
from pipeline.mt.licences import credit_line


@dataclass(frozen=True)
class LegInfo:
    pair: str  # "gu-zh"
    writes: tuple[str, ...]  # the targets this route can produce for the pair: ("zh_Hans", "zh_Hant")
    step: str  # what this model does: "gu→zh" (a single model), or "gu→en" then "en→zh" (a pivot)
    model: str  # the name in models.yaml
    source: str  # hub id@revision, or the local folder
    family: str
    licence: str | None
    non_commercial: bool
    attribution: str | None  # the credit its licence asks for, as models.yaml states it
    parameters: str | None  # as models.yaml states it, else counted from cached safetensors weights
    cached: bool
    backend: str  # "ctranslate2", "transformers", or why neither can serve it

    def to_dict(self) -> dict:
        return asdict(self)


def describe(config: Config) -> list[LegInfo]:
    """One row per model of every configured route, pairs in models.yaml's order."""
    rows = []
    for src, tgt in config.pairs:
        route = config.route_for(tgt)
        writes = _writes(route, tgt)
        for leg in route.legs:
            spec = leg.spec
            rows.append(
                LegInfo(
                    pair=f"{src}-{tgt}",
                    writes=writes,
                    step=f"{leg.src}→{tgt if leg is route.legs[-1] else leg.tgt}",
                    model=spec.name,
                    source=_where(spec),
                    family=spec.family,
                    licence=spec.licence,
                    non_commercial=is_non_commercial(spec.licence),
                    attribution=spec.attribution,
                    parameters=spec.parameters or _count_parameters(local_folder(spec)),
                    cached=local_folder(spec) is not None,
                    backend=_backend(spec),
                )
            )
    return rows


def credits(rows: list[LegInfo]) -> list[Credit]:
    """The credit each listed model's licence asks for, once per model, in the rows' order."""
    return list(
        dict.fromkeys(Credit(r.model, r.licence, r.attribution) for r in rows if requires_attribution(r.licence))
    )


def table_lines(rows: list[LegInfo]) -> list[str]:
    """`pipeline models` as text: one aligned row per model of each route, then what using them asks of the
    user (non-commercial terms, credits owed, models still to fetch)."""
    header = ("pair", "writes", "step", "model", "family", "licence", "parameters", "cached", "backend")
    table = [header] + [
        (
            r.pair,
            ",".join(r.writes) or "-",
            r.step,
            f"{r.model} ({r.source})",
            r.family,
            (r.licence or "not stated") + (" NON-COMMERCIAL" if r.non_commercial else ""),
            r.parameters or "?",
            "yes" if r.cached else "no",
            r.backend,
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in table]
    if any(r.non_commercial for r in rows):
        lines.append(
            "NON-COMMERCIAL: translations made with these models may not be used in anything sold or "
            "published for profit; see the README for routes a business may use"
        )
    lines += [credit_line(credit) for credit in credits(rows)]
    if not all(r.cached for r in rows):
        lines.append("not cached: fetch with `hf download SOURCE --revision REVISION` (see models.yaml)")
    return lines


def _writes(route: Route, tgt: str) -> tuple[str, ...]:
    lang = families.language_of(tgt)
    tags = [tgt] if "_" in tgt or lang not in SCRIPTED_LANGUAGES else [f"{lang}_Hans", f"{lang}_Hant"]
    last = route.legs[-1].spec.family
    return tuple(t for t in tags if families.can_write(last, t))


def _where(spec: ModelSpec) -> str:
    if spec.local_path is not None:
        return str(spec.local_path)
    return f"{spec.source}@{spec.revision}" if spec.revision else f"{spec.source} (unpinned)"


def _backend(spec: ModelSpec) -> str:
    try:
        return resolve_backend(spec)
    except PipelineError as exc:
        return f"none: {exc}"


def local_folder(spec: ModelSpec) -> Path | None:
    """The folder holding the model on this machine (a local source, or the pinned snapshot in the
    Hugging Face cache), or None when it would have to be fetched."""
    if spec.local_path is not None:
        return spec.local_path if (spec.local_path / "config.json").is_file() else None
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(spec.source, "config.json", revision=spec.revision)
    return Path(found).parent if isinstance(found, str) else None


def _count_parameters(folder: Path | None) -> str | None:
    """Parameters counted from the safetensors headers (no weights read); None without them."""
    if folder is None:
        return None
    total = 0
    files = sorted(folder.glob("*.safetensors"))
    for path in files:
        with path.open("rb") as f:
            (size,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(size))
        total += sum(math.prod(t["shape"]) for name, t in header.items() if name != "__metadata__")
    return human_count(total) if files else None


def human_count(n: int) -> str:
    for unit, scale in (("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= scale:
            return f"{n / scale:.3g}{unit}"
    return str(n)
