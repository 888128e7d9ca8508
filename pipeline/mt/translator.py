"""The `Translator` protocol: what every backend (and a pivot route) offers the stages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from pipeline.model import Scored


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


def translate_scored(
    translator: Translator, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
) -> list[Scored]:
    """`translator.translate_scored` where it has one (both backends do); otherwise its plain
    translations with no confidence."""
    scored = getattr(translator, "translate_scored", None)
    if scored is not None:
        return scored(texts, src, tgt, progress)
    outputs = (
        translator.translate(texts, src, tgt) if progress is None else translator.translate(texts, src, tgt, progress)
    )
    return [Scored(text) for text in outputs]
