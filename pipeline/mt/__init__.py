"""Machine translation: the `Translator` protocol and the choice of backend for a model.

Importing this package is cheap; torch and transformers load with the first translator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from pipeline.config import ModelSpec, Route
from pipeline.errors import PipelineError
from pipeline.mt.scoring import Scored


@runtime_checkable
class Translator(Protocol):
    """One model serving language pairs.

    `translate` takes single sentences (NLLB and M2M100 drop or merge sentences when given several
    at once) and returns one translation per input, in the same order; languages are ISO 639-1
    codes, with the script where a language has several ("gu", "en", "zh_Hans", "zh_Hant"; "zh"
    is zh_Hans). Identical inputs may be translated once. `progress`, when given, is
    called after each batch with the number of inputs newly finished; the calls add up to
    len(texts) (pass a tqdm bar's `update`). Backends also offer `translate_scored`, the same
    outputs with the model's confidence (`pipeline.mt.scoring`); see `translate_scored` below.
    """

    model_id: str  # what catalogues record and the translation memory is keyed by

    def translate(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[str]: ...


def translate_scored(translator: Translator, texts: list[str], src: str, tgt: str,
                     progress: Callable[[int], None] | None = None) -> list[Scored]:
    """`translator.translate_scored` where it has one (both backends do); otherwise its plain
    translations with no confidence."""
    scored = getattr(translator, "translate_scored", None)
    if scored is not None:
        return scored(texts, src, tgt, progress)
    outputs = translator.translate(texts, src, tgt) if progress is None else translator.translate(texts, src, tgt, progress)
    return [Scored(text) for text in outputs]


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
                "ctranslate2 (or auto)")
        return "transformers"
    if spec.backend == "ctranslate2":
        if not supports(spec):
            raise PipelineError(f"model {spec.name!r}: CTranslate2 cannot serve {spec.family} models; "
                                "set backend: transformers (or auto)")
        return "ctranslate2"
    if spec.backend == "auto":
        return "ctranslate2" if supports(spec) else "transformers"
    raise PipelineError(f"model {spec.name!r}: unknown backend {spec.backend!r}")


__all__ = ["Scored", "Translator", "load_translator", "resolve_backend", "translate_scored"]
