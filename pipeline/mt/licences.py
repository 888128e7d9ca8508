"""What a run's summary says about the licences of the models it used.

NLLB-200's weights are CC-BY-NC-4.0: output made with them may not be sold. A newsroom has to
know that before it publishes, so every run names each route's licence once and says so plainly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pipeline.config.licences import is_non_commercial

NOT_STATED = "licence not stated"


class _RouteStats(Protocol):
    model_id: str  # the route's models (Route.model_id)
    licence: str  # its licences (Route.licence): "CC-BY-NC-4.0", "Apache-2.0 + CC-BY-4.0"


def licence_notes(stats: Iterable[_RouteStats]) -> list[str]:
    """One sentence per distinct route (model chain and licence), in first-seen order."""
    notes = []
    for model_id, licence in dict.fromkeys((s.model_id, s.licence) for s in stats if s.model_id):
        parts = licence.split(" + ")
        if any(is_non_commercial(p) for p in parts):
            notes.append(f"licence of {model_id}: {licence}, NON-COMMERCIAL: its translations may not be "
                         "used in anything sold or published for profit")
        elif NOT_STATED in parts:
            notes.append(f"licence of {model_id}: not stated in models.yaml; check it before publishing")
        else:
            notes.append(f"licence of {model_id}: {licence}")
    return notes
