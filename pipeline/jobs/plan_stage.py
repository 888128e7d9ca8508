"""The plan stage: which messages the pipeline owns in a catalogue, read from the catalogue alone."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline import cache as caching
from pipeline.catalog.plan import Plan, make_plan
from pipeline.catalog.pofile import Message


@dataclass(frozen=True)
class Planned:
    """A plan, keyed by what it says, not by the catalogue's bytes: a catalogue the catalogue stage
    rewrote without changing who owns what leads to the same translations and cache entries."""

    key: str
    plan: Plan

    def to_cache(self) -> dict:
        return {**self.plan.to_dict(), "content": self.key}  # the key is kept: hashing the plan is its cost

    @classmethod
    def from_cache(cls, data: dict) -> Planned:
        plan = Plan.from_dict(data)
        return cls(data["content"], plan) if isinstance(data.get("content"), str) else planned(plan)


def planned(plan: Plan) -> Planned:
    return Planned(caching.key(plan.to_dict()), plan)


def plan_key(segmented_key: str, catalog_digest: str | None, migration_key: str | None) -> str:
    """What a plan is computed from: the messages, the catalogue's bytes, and what the ledger
    migrates it with (see `ledger.Ledger.migrated`)."""
    return caching.key(segmented_key, catalog_digest, migration_key)


def plan(existing: polib.POFile | None, messages: list[Message]) -> Planned:
    """Which messages the pipeline owns in `existing` (None: no catalogue yet)."""
    return planned(make_plan(existing, messages))
