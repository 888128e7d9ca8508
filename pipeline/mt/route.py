"""A route as a `Translator`: one model, or two chained through English (gu → en → zh).

The pivot sees exactly what the first model wrote: protected-span markers and plain digits pass
through both legs, and the runner restores spans, markup and numbers once, against the Gujarati
source. Each leg's model is loaded once per run, through a cache shared by every locale (gu → en
and the first leg of gu → en → zh are the same loaded model).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.config import ModelSpec, Route
from pipeline.errors import PipelineError
from pipeline.mt import families
from pipeline.mt.scoring import Scored, pivot
from pipeline.mt.translator import Translator, translate_scored


class RouteTranslator:
    """`Translator` over the legs of a route: leg 1 translates the batch, leg 2 its output."""

    def __init__(self, route: Route, legs: list[Translator]):
        if len(legs) != len(route.legs):
            raise ValueError(f"route {route.pair} has {len(route.legs)} legs, got {len(legs)} translators")
        self.route = route
        self.legs = legs
        self.model_id = route.model_id

    def translate(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """`src` → pivot with the first model, pivot → `tgt` with the second; `progress` counts the
        sentences that have come out of the last leg."""
        outputs = texts
        for i, (leg, translator) in enumerate(zip(self.route.legs, self.legs)):
            leg_src = src if i == 0 else leg.src
            leg_tgt = tgt if i == len(self.legs) - 1 else leg.tgt
            last = i == len(self.legs) - 1
            outputs = translator.translate(outputs, leg_src, leg_tgt, progress if last else None)
            if len(outputs) != len(texts):
                raise RuntimeError(f"{leg.spec.name} returned {len(outputs)} outputs for {len(texts)} inputs")
        return outputs

    def translate_scored(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[Scored]:
        """As `translate`; both legs must hold, so the confidences multiply (`scoring.pivot`)."""
        scored = [Scored(t, 1.0) for t in texts]
        for i, (leg, translator) in enumerate(zip(self.route.legs, self.legs)):
            leg_src = src if i == 0 else leg.src
            last = i == len(self.legs) - 1
            leg_tgt = tgt if last else leg.tgt
            outputs = translate_scored(
                translator, [s.text for s in scored], leg_src, leg_tgt, progress if last else None
            )
            if len(outputs) != len(texts):
                raise RuntimeError(f"{leg.spec.name} returned {len(outputs)} outputs for {len(texts)} inputs")
            scored = [pivot(before, after) for before, after in zip(scored, outputs)]
        return scored


def check_route(route: Route) -> Route:
    """A route whose models cannot write its target (M2M100 for zh_Hant, ...) fails here, before
    any work; Marian models are checked when loaded (their vocabulary says which targets they have)."""
    for leg in route.legs:
        fam = families.family(leg.spec.family)
        if fam.steering != "marian" and not families.can_write(leg.spec.family, leg.tgt):
            raise PipelineError(
                f"pair {route.pair} (model {leg.spec.name!r}): {families.cannot_write_message(leg.spec.family, leg.tgt)}"
            )
    return route


def route_translator(
    route: Route,
    load: Callable[[ModelSpec], Translator],
    loaded: dict[str, Translator] | None = None,
    log: Callable[[str], None] | None = None,
) -> Translator:
    """The translator for `route`, each leg's model taken from `loaded` (by model name) or loaded
    with `load` and kept there; a single-model route is its model's translator itself."""
    loaded = {} if loaded is None else loaded
    legs = []
    for leg in route.legs:
        if leg.spec.name not in loaded:
            if log is not None:
                log(f"loading {leg.spec.model_id} for {leg.src}→{leg.tgt}")
            loaded[leg.spec.name] = load(leg.spec)
        legs.append(loaded[leg.spec.name])
    return legs[0] if len(legs) == 1 else RouteTranslator(route, legs)
