"""Machine translation: the `Translator` protocol and the choice of backend for a model.

Importing this package is cheap; torch and transformers load with the first translator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..config import ModelSpec
from ..errors import PipelineError


@runtime_checkable
class Translator(Protocol):
    """One model serving language pairs.

    `translate` takes single sentences (NLLB and M2M100 drop or merge sentences when given several
    at once) and returns one translation per input, in the same order; languages are ISO 639-1
    codes ("gu", "en", "zh"). Identical inputs may be translated once. `progress`, when given, is
    called after each batch with the number of inputs newly finished; the calls add up to
    len(texts) (pass a tqdm bar's `update`).
    """

    model_id: str  # what catalogues record and the translation memory is keyed by

    def translate(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[str]: ...


def load_translator(spec: ModelSpec, device: str | None = None) -> Translator:
    """The translator for `spec` on `device` ("cuda" when available, else "cpu", when None).

    Raises ModelUnavailable (a PipelineError) when the model is neither cached nor fetchable.
    """
    backend = resolve_backend(spec)
    if backend == "transformers":
        from .hf import HFTranslator

        return HFTranslator(spec, device=device)
    raise PipelineError(f"model {spec.name!r}: backend {backend!r} is not available")


def resolve_backend(spec: ModelSpec) -> str:
    """The backend that will serve `spec`.

    Seam for CTranslate2 (pipeline/mt/ct2.py, a later issue): "ctranslate2" should go there, and
    "auto" should pick it when a converted model is at hand. Until then every model runs on
    transformers, whatever models.yaml asks for.
    """
    if spec.backend in ("auto", "transformers", "ctranslate2"):
        return "transformers"
    raise PipelineError(f"model {spec.name!r}: unknown backend {spec.backend!r}")


__all__ = ["Translator", "load_translator", "resolve_backend"]
