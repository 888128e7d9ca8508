"""Machine translation: the choice of backend for a model (the `Translator` protocol is in `translator`).

Importing this package is cheap; torch and transformers load with the first translator.
"""

from __future__ import annotations

from pipeline.config import ModelSpec, Route
from pipeline.errors import PipelineError
from pipeline.model import Scored
from pipeline.mt.translator import Translator, translate_scored


def load_translator(spec: ModelSpec | Route, device: str | None = None) -> Translator:
    """The translator for `spec` (a model, or a whole route) on `device` ("cuda" when available,
    else "cpu", when None).

    Raises ModelUnavailable (a PipelineError) when the model is neither cached nor fetchable.
    """
    if isinstance(spec, Route):
        from pipeline.mt.route import route_translator

        return route_translator(spec, lambda leg: load_translator(leg, device))
    backend = resolve_backend(spec)
    if spec.family == "indictrans2":
        from pipeline.mt.indictrans2_ct2 import IndicTrans2Translator

        return IndicTrans2Translator(spec, device=device)
    if backend == "ctranslate2":
        from pipeline.mt.ct2 import CT2Translator

        return CT2Translator(spec, device=device)
    from pipeline.mt.hf import HFTranslator

    return HFTranslator(spec, device=device)


def resolve_backend(spec: ModelSpec) -> str:
    """The backend that will serve `spec`: "auto" takes CTranslate2 (several times faster on a CPU,
    bench/mt_speed.py) when it can convert the model, otherwise transformers. IndicTrans2 runs on
    CTranslate2 only: transformers has no class for it but the hub's remote code, which we never run."""
    from pipeline.mt.ct2 import supports

    if spec.backend == "transformers":
        if spec.family == "indictrans2":
            raise PipelineError(
                f"model {spec.name!r}: IndicTrans2 models run on the CTranslate2 backend only (transformers "
                "would need the model repository's own code, which this program never runs); set backend: "
                "ctranslate2 (or auto)"
            )
        return "transformers"
    if spec.backend == "ctranslate2":
        if not supports(spec):
            raise PipelineError(
                f"model {spec.name!r}: CTranslate2 cannot serve {spec.family} models; "
                "set backend: transformers (or auto)"
            )
        return "ctranslate2"
    if spec.backend == "auto":
        return "ctranslate2" if supports(spec) else "transformers"
    raise PipelineError(f"model {spec.name!r}: unknown backend {spec.backend!r}")


__all__ = ["Scored", "Translator", "load_translator", "resolve_backend", "translate_scored"]
