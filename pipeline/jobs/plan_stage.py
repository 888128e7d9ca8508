"""The plan stage: which messages the pipeline owns in each catalogue, read from the catalogue alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline import cache as caching
from pipeline.cache import Cache
from pipeline.catalog import catalogue as catalog
from pipeline.catalog.entry import read_legacy_owned
from pipeline.catalog.plan import Plan, make_plan
from pipeline.catalog.poreader import Parsed
from pipeline.jobs.segment_stage import Segmented
from pipeline.layout import Paths


@dataclass(frozen=True)
class Planned:
    key: str  # of what the plan says (see `_planned`)
    plan: Plan


def legacy_owned(paths: Paths, locale: str) -> dict[str, str] | None:
    """`owned-<locale>.json`, the ownership record of versions before digests (see `entry.state`)."""
    return read_legacy_owned(paths.artefact(f"owned-{locale}"))


def _plan_entry_key(segmented: Segmented, locale: str, paths: Paths) -> str:
    return caching.key(segmented.key, caching.file_digest(paths.po(locale)),
                       caching.file_digest(paths.artefact(f"owned-{locale}")))


def _planned(plan: Plan) -> Planned:
    """Keyed by what the plan says, not by the catalogue's bytes: a catalogue this stage rewrote
    without changing who owns what leads to the same translations and the same cache entries."""
    return Planned(caching.key(plan.to_dict()), plan)


def _stored(planned: Planned) -> dict:
    return {**planned.plan.to_dict(), "content": planned.key}  # the key is kept: hashing the plan is its cost


def _loaded(data: dict) -> Planned:
    plan = Plan.from_dict(data)
    return Planned(data["content"], plan) if isinstance(data.get("content"), str) else _planned(plan)


class ParsedCatalogues:
    """Catalogues the plan parsed, held for the merge of the same run so a daily update parses
    each once; up to `budget` entries in all (some 4 kB each), beyond that they are read again."""

    def __init__(self, budget: int = 250_000):
        self.budget = budget
        self.held: dict[Path, tuple[str | None, Parsed]] = {}

    def read(self, path: Path, keep: bool = True) -> tuple[str | None, Parsed | None]:
        """(digest of the file's bytes, the catalogue parsed): the one held if the file has not
        changed since, else parsed now (and held, with `keep`, for a later read)."""
        try:
            data = path.read_bytes()  # once, for the digest and the parse
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        digest = caching.bytes_digest(data)
        held = self.held.pop(path, None)
        parsed = held[1] if held is not None and held[0] == digest else catalog.read_catalogue(path, data)
        if keep and parsed is not None and \
                len(parsed.po) + sum(len(p.po) for _, p in self.held.values()) <= self.budget:
            self.held[path] = (digest, parsed)
        return digest, parsed


def plan_locale(segmented: Segmented, locale: str, paths: Paths, parsed: ParsedCatalogues | None = None) -> Planned:
    """Which messages the pipeline owns in `locale`'s catalogue; the catalogue is parsed only when
    it, or the messages, changed since the plan was cached."""
    store = Cache(paths.workdir)
    key = _plan_entry_key(segmented, locale, paths)
    cached = store.get(f"plan-{locale}", key)
    if cached is not None:
        planned = _loaded(cached)
        if "content" not in cached:  # an entry from before the key was kept: once
            store.put(f"plan-{locale}", key, _stored(planned))
        return planned
    _, existing = (parsed or ParsedCatalogues(0)).read(paths.po(locale))
    plan = make_plan(existing.po if existing is not None else None, list(segmented.messages),
                     legacy_owned(paths, locale))
    planned = _planned(plan)
    store.put(f"plan-{locale}", key, _stored(planned))
    return planned


def remember_plan(segmented: Segmented, locale: str, paths: Paths, po) -> Planned:
    """The plan of the catalogue just written, from the merged entries in memory (no parse), so
    the next run need not read the file back to know what it owns."""
    planned = _planned(make_plan(po, list(segmented.messages), legacy_owned(paths, locale)))
    Cache(paths.workdir).put(f"plan-{locale}", _plan_entry_key(segmented, locale, paths), _stored(planned))
    return planned
