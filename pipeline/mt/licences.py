"""What a run's summary and `pipeline models` say about the licences of the models used.

NLLB-200's weights are CC-BY-NC-4.0: output made with them may not be sold. A newsroom has to
know that before it publishes, so every run names each route's licence once and says so plainly.
A CC-BY model (OPUS-MT) may be used for profit but asks to be credited where its output is
published, so the summary gives the credit to show, as models.yaml states it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pipeline.config import Credit
from pipeline.config.licences import is_non_commercial

NOT_STATED = "licence not stated"


class _RouteStats(Protocol):
    model_id: str  # the route's models (Route.model_id)
    licence: str  # its licences (Route.licence): "CC-BY-NC-4.0", "Apache-2.0 + CC-BY-4.0"
    credits: tuple[Credit, ...]  # the credit its models' licences ask for (Route.credits)


def licence_notes(stats: Iterable[_RouteStats]) -> list[str]:
    """One sentence per distinct route (model chain and licence), in first-seen order, then one per
    model whose licence asks for credit."""
    stats = list(stats)
    notes = []
    for model_id, licence in dict.fromkeys((s.model_id, s.licence) for s in stats if s.model_id):
        parts = licence.split(" + ")
        if any(is_non_commercial(p) for p in parts):
            notes.append(
                f"licence of {model_id}: {licence}, NON-COMMERCIAL: its translations may not be "
                "used in anything sold or published for profit"
            )
        elif NOT_STATED in parts:
            notes.append(f"licence of {model_id}: not stated in models.yaml; check it before publishing")
        else:
            notes.append(f"licence of {model_id}: {licence}")
    credits = dict.fromkeys(c for s in stats if s.model_id for c in s.credits)
    return notes + [credit_line(c) for c in credits]


def credit_line(credit: Credit) -> str:
    """The credit to show where translations made with a CC-BY model are published."""
    if credit.attribution is None:
        return (
            f"credit for {credit.model}: {credit.licence} requires naming its authors wherever its "
            f"translations are published; state who they are as `attribution:` in models.yaml"
        )
    return (
        f"credit for {credit.model} ({credit.licence} requires it wherever its translations are "
        f"published): {credit.attribution}"
    )
