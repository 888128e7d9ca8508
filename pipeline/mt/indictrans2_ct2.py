"""IndicTrans2 on CTranslate2: the checkpoint converted once (as every family, see `ct2`), the text
prepared as the model was trained (`indic.preprocess`), encoded with our own code.

What the model sees for one sentence: the source and target tags as whole entries of
`dict.SRC.json` (`guj_Gujr eng_Latn`), the SentencePiece pieces of `model.SRC` mapped through the
same dictionary, then `</s>`. Decoding starts from `</s>`; the output tokens are pieces of
`model.TGT`, decoded and detokenised (`indic.postprocess`). Special tokens and language tags never
reach the text (users of IndicTrans2 report `<unk>` in its output otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ModelSpec
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import ct2, families, indictrans2
from pipeline.mt.batching import BatchedTranslator, spread
from pipeline.mt.scoring import Hypothesis

_TAG = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")  # FLORES-200 codes: guj_Gujr, eng_Latn
# The decoder has positions for MAX_POSITIONS tokens, its start token and the scored end token
# included: a longer output fails in score_batch ("no position encodings ... >= 256").
OUTPUT_LIMIT = indictrans2.MAX_POSITIONS - 1
# Encoded sentences kept between counting (splitting, batching) and translating them.
PREPARED_KEPT = 4096


def checkpoint(spec: ModelSpec) -> indictrans2.Layout:
    """The checked layout of the local folder or the pinned hub snapshot (fetched when missing and
    the hub is reachable; otherwise one message saying how to fetch it)."""
    if spec.local_path is not None:
        return indictrans2.layout(spec.name, spec.local_path)
    from huggingface_hub import snapshot_download

    from pipeline.mt.hf import hub_offline

    patterns = [*indictrans2.CHECKPOINT_FILES, *indictrans2.WEIGHTS, "tokenizer_config.json"]
    try:
        return indictrans2.layout(
            spec.name,
            Path(
                snapshot_download(spec.source, revision=spec.revision, local_files_only=True, allow_patterns=patterns)
            ),
        )
    except ModelUnavailable:
        raise
    except Exception as exc:  # not cached (LocalEntryNotFoundError and friends)
        cache_error = exc
    how = (
        f"fetch it on a machine with network with `hf download {spec.source}"
        + (f" --revision {spec.revision}" if spec.revision else "")
        + "` and copy the Hugging Face cache here, or set `source:` in models.yaml to a local folder"
    )
    if hub_offline():
        raise ModelUnavailable(
            f"model {spec.name!r}: {spec.source} is not in the Hugging Face cache and offline "
            f"mode is on (HF_HUB_OFFLINE); {how}"
        ) from cache_error
    try:
        folder = snapshot_download(spec.source, revision=spec.revision, allow_patterns=patterns, etag_timeout=10)
    except Exception as exc:
        raise ModelUnavailable(
            f"model {spec.name!r}: {spec.source} is not in the Hugging Face cache and cannot be "
            f"fetched ({type(exc).__name__}); {how}"
        ) from exc
    return indictrans2.layout(spec.name, Path(folder))


class IndicTrans2Translator(BatchedTranslator):
    """`Translator` over an IndicTrans2 model on CTranslate2 (int8 on a CPU)."""

    def __init__(self, spec: ModelSpec, device: str | None = None):
        import ctranslate2
        import sentencepiece

        from pipeline.mt.batching import cpu_count

        self.spec = spec
        self.model_id = spec.model_id
        self.device = device or ct2.default_device()
        self.quantization = ct2.weight_type(spec, self.device)
        found = checkpoint(spec)
        self.source_pieces = sentencepiece.SentencePieceProcessor(model_file=str(found.source_pieces))
        self.target_pieces = sentencepiece.SentencePieceProcessor(model_file=str(found.target_pieces))
        if found.converted:
            folder = found.folder
            self.source_tokens = indictrans2.read_converted_vocabulary(folder, "source")
            self.target_tokens = indictrans2.read_converted_vocabulary(folder, "target")
            self.adds_eos = _config(folder).get("add_source_eos", False)  # fairseq conversions add it
        else:
            folder = ct2.ensure_converted(spec, found.folder, self.quantization)
            self.source_tokens = indictrans2.read_dictionary(spec.name, found.folder / indictrans2.SOURCE_DICTIONARY)
            self.target_tokens = indictrans2.read_dictionary(spec.name, found.folder / indictrans2.TARGET_DICTIONARY)
            self.adds_eos = False
        self.source_ids = {token: i for i, token in enumerate(self.source_tokens)}
        self.dropped = {t for t in self.target_tokens if t in indictrans2.SPECIAL_TOKENS or _TAG.match(t)}
        self.inter_threads, intra = ct2.thread_split(cpu_count()) if self.device == "cpu" else (1, 0)

        def load(where: Path):
            return ctranslate2.Translator(
                str(where),
                device=self.device,
                compute_type=self.quantization,
                inter_threads=self.inter_threads,
                intra_threads=intra,
            )

        try:
            self.model = load(folder)
        except (RuntimeError, ValueError, OSError) as exc:
            if found.converted:
                raise PipelineError(
                    f"model {spec.name!r}: the CTranslate2 model in {folder} does not load ({exc}); fetch it again"
                ) from None
            folder = ct2.reconvert(spec, found.folder, self.quantization)
            self.model = load(folder)
        self.tags: tuple[str, str] = ("", "")  # guj_Gujr, eng_Latn
        self.languages: tuple[str, str] = ("", "")  # gu, en
        self._prepared: dict[tuple[str, str], list[int]] = {}

    def _start(self, src: str, tgt: str) -> None:
        """Both tags must be entries of the source dictionary: an indic-en model cannot write Gujarati."""
        tags = (families.language_code("indictrans2", src), families.language_code("indictrans2", tgt))
        for tag in tags:
            if tag not in self.source_ids:
                raise PipelineError(
                    f"model {self.spec.name!r} has no language tag {tag!r}: it cannot translate "
                    f"{src} → {tgt} (an indic-en IndicTrans2 model writes English only)"
                )
        self.tags = tags
        self.languages = (families.canonical_tag(src), families.canonical_tag(tgt))

    def _encode(self, texts: list[str]) -> list[list[int]]:
        """[source tag, target tag] + pieces of the prepared text + </s>, as source-dictionary ids."""
        from pipeline.mt import indic

        unk = self.source_ids["<unk>"]
        rows = []
        for text in texts:
            key = (text, self.tags[0] + self.tags[1])
            if key not in self._prepared:
                if len(self._prepared) >= PREPARED_KEPT:  # a server runs for weeks: keep it bounded
                    self._prepared.clear()
                pieces = self.source_pieces.encode(indic.preprocess(text, self.languages[0]), out_type=str)
                self._prepared[key] = (
                    [self.source_ids[t] for t in self.tags]
                    + [self.source_ids.get(p, unk) for p in pieces]
                    + [self.source_ids["</s>"]]
                )
            rows.append(self._prepared[key])
        return rows

    def _plan(self, batches: list[list[str]]) -> list[list[str]]:
        return spread(batches, self.inter_threads)

    def _generate(self, batches: list[list[str]], context: object, limits: list[int]) -> Iterator[list[Hypothesis]]:
        from pipeline.mt import indic

        gen = self.spec.generation
        pending = []
        for batch, limit in zip(batches, limits):
            rows = self._encode(batch)
            tokens = [[self.source_tokens[i] for i in (row[:-1] if self.adds_eos else row)] for row in rows]
            pending.append(
                (
                    tokens,
                    self.model.translate_batch(
                        tokens,
                        beam_size=gen.beam_size,
                        max_decoding_length=min(limit, OUTPUT_LIMIT),
                        max_input_length=0,
                        repetition_penalty=gen.repetition_penalty,
                        no_repeat_ngram_size=gen.no_repeat_ngram_size,
                        disable_unk=True,
                        asynchronous=True,
                    ),
                )
            )
        for tokens, results in pending:
            hypotheses = [result.result().hypotheses[0] for result in results]
            scored = self.model.score_batch(tokens, hypotheses, max_input_length=0) if self.spec.confidence else None
            texts = [
                indic.postprocess(
                    self.target_pieces.decode([t for t in h if t not in self.dropped]), self.languages[1]
                ).strip()
                for h in hypotheses
            ]
            if scored is None:
                yield [Hypothesis(text, 0.0, 0) for text in texts]
            else:
                yield [Hypothesis(text, float(sum(s.log_probs)), len(s.log_probs)) for text, s in zip(texts, scored)]


def _config(folder: Path) -> dict:
    import json

    try:
        return json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
