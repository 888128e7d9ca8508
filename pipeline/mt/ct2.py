"""The CTranslate2 backend: the configured Hugging Face checkpoint, converted once into a cached
CTranslate2 model (int8 on a CPU), translated with the same language handling as transformers.

On a 2-core CPU this runs the NLLB-600M architecture several times faster than transformers
(bench/mt_speed.py). The converted model lives next to the Hugging Face cache
($HF_HOME/ctranslate2/, or $PIPELINE_CT2_CACHE), one folder per model id (revision or local-folder
fingerprint included) and weight type. Conversion happens once: it runs under a file lock into a
temporary folder that is renamed into place when complete, so an interrupted conversion leaves
nothing half-written behind.

How each family is driven (the source as tokens, the target language as a prefix that is dropped
from the output) follows CTranslate2's own guides for NLLB, M2M100 and Marian.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ModelSpec
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import families
from pipeline.mt.batching import BatchedTranslator, cpu_count, spread
from pipeline.mt.checkpoint import check_model_folder
from pipeline.mt.scoring import Hypothesis

# All have CTranslate2 converters (MADLAD: T5; IndicTrans2: ours, pipeline.mt.indictrans2).
SUPPORTED_FAMILIES = ("nllb", "m2m100", "marian", "madlad", "indictrans2")
FORMAT_VERSION = 1  # bump when the way we convert changes: old folders are then ignored
_CACHE_ENV = "PIPELINE_CT2_CACHE"


def supports(spec: ModelSpec) -> bool:
    """CTranslate2 can serve this model."""
    return spec.family in SUPPORTED_FAMILIES


def default_device() -> str:
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def weight_type(spec: ModelSpec, device: str) -> str:
    """The quantisation asked for, "auto" resolved: int8 on a CPU, int8_float16 on CUDA
    (int8_bfloat16 for MADLAD-400: T5 activations overflow float16)."""
    if spec.quantization != "auto":
        return spec.quantization
    if not device.startswith("cuda"):
        return "int8"
    return "int8_bfloat16" if spec.family == "madlad" else "int8_float16"


def thread_split(cores: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) on a CPU: one batch at a time on all cores up to 4 cores,
    then up to 4 batches in parallel with the cores shared out. Measured with bench/mt_speed.py on
    the 2-core machine with nothing else running: (1, 2) made 9.2 sentences/s at beam 4 against
    6.6 for (2, 1), and the same within 5% greedy (an earlier reading that favoured (2, 1) was
    taken on a loaded machine)."""
    inter = max(1, min(cores // 4, 4))
    return inter, max(1, cores // inter)


def cache_root() -> Path:
    """$PIPELINE_CT2_CACHE, else `ctranslate2/` beside the Hugging Face hub cache."""
    if os.environ.get(_CACHE_ENV):
        return Path(os.environ[_CACHE_ENV]).expanduser()
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE).parent / "ctranslate2"


def converted_folder(spec: ModelSpec, quantization: str) -> Path:
    """Where the converted model for `spec` at `quantization` lives (whether or not it exists yet)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "--", Path(spec.source).name if spec.local_path else spec.source)
    digest = hashlib.sha256(f"{spec.model_id}|{quantization}|v{FORMAT_VERSION}".encode()).hexdigest()[:12]
    return cache_root() / f"{slug.strip('-')}--{quantization}--{digest}"


def checkpoint_folder(spec: ModelSpec) -> Path:
    """The folder holding the Hugging Face checkpoint: the local folder, or the pinned snapshot in
    the hub cache (fetched the way the transformers backend fetches it when missing)."""
    if spec.local_path is not None:
        check_model_folder(spec, spec.local_path)
        return spec.local_path
    from huggingface_hub import snapshot_download

    def cached() -> Path:
        return Path(snapshot_download(spec.source, revision=spec.revision, local_files_only=True))

    try:
        folder = cached()
    except Exception:  # not cached (LocalEntryNotFoundError and friends)
        pass
    else:
        check_model_folder(spec, folder)
        return folder
    from pipeline.mt.hf import load_model

    load_model(spec, "cpu")  # downloads, or raises ModelUnavailable saying how to fetch it
    return cached()


def ensure_converted(spec: ModelSpec, checkpoint: Path, quantization: str) -> Path:
    """The converted model's folder, converting `checkpoint` first if this is the first use."""
    from filelock import FileLock

    out = converted_folder(spec, quantization)
    if (out / "model.bin").is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out) + ".lock"):
        if (out / "model.bin").is_file():  # another process converted it while we waited
            return out
        _log(f"converting {spec.model_id} to CTranslate2 ({quantization}), once; cached in {out}")
        start = time.perf_counter()
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            _convert(spec, checkpoint, tmp, quantization)
            (tmp / "pipeline-source.json").write_text(
                json.dumps({"model_id": spec.model_id, "quantization": quantization, "format": FORMAT_VERSION}),
                encoding="utf-8",
            )
            os.replace(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _log(f"converted in {time.perf_counter() - start:.0f} s")
    return out


def reconvert(spec: ModelSpec, checkpoint: Path, quantization: str) -> Path:
    """Convert again over a converted folder that does not load (a file damaged on disk)."""
    from filelock import FileLock

    out = converted_folder(spec, quantization)
    with FileLock(str(out) + ".lock"):
        shutil.rmtree(out, ignore_errors=True)
    return ensure_converted(spec, checkpoint, quantization)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _convert(spec: ModelSpec, checkpoint: Path, out: Path, quantization: str) -> None:
    if spec.family == "indictrans2":
        from pipeline.mt.indictrans2 import convert

        return convert(spec.name, checkpoint, out, quantization)
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            if spec.family == "madlad":
                # transformers 5 always ties T5's embeddings and says in scale_decoder_outputs
                # whether the decoder output is scaled (not for T5 v1.1 / MADLAD configs that set
                # tie_word_embeddings: false); CTranslate2's T5 loader scales when tie_word_embeddings.
                config = model.config
                config.tie_word_embeddings = bool(getattr(config, "scale_decoder_outputs", config.tie_word_embeddings))
            return model

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tok = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            return _M2M100Vocabulary(tok) if spec.family == "m2m100" else tok

    converter = Converter(str(checkpoint))
    try:
        converter.convert(str(out), quantization=quantization, force=True)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(
            f"model {spec.name!r}: {checkpoint} does not hold a loadable model and tokenizer that "
            f"CTranslate2 can convert (save both with save_pretrained, or set backend: transformers): {exc}"
        ) from exc


class _M2M100Vocabulary:
    """An M2M100 tokenizer as CTranslate2's converter expects it: transformers 5 no longer lists the
    `__xx__` language tokens among the special tokens, so the converter would leave them out of the
    vocabulary (and fail on the size). They follow the pieces, in id order."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer

    def __getattr__(self, name):
        return getattr(self._tokenizer, name)

    @property
    def special_tokens_map(self) -> dict:
        mapping = dict(self._tokenizer.special_tokens_map)
        languages = sorted(self._tokenizer.lang_token_to_id.items(), key=lambda item: item[1])
        mapping["additional_special_tokens"] = [token for token, _ in languages]
        return mapping


def check_vocabulary(folder: Path, tokenizer, spec: ModelSpec) -> None:
    """Every token of the converted vocabulary has the id the tokenizer gives it: an off-by-one
    here would turn every translation into nonsense without an error."""
    path = next(
        (folder / n for n in ("shared_vocabulary.json", "target_vocabulary.json") if (folder / n).is_file()), None
    )
    if path is None:
        return
    vocab = json.loads(path.read_text(encoding="utf-8"))
    ids = tokenizer.convert_tokens_to_ids(vocab)
    unk = tokenizer.unk_token_id
    padding = ("madeupword", "<extra_id_")  # fillers the converters add up to the model's vocabulary size
    wrong = [
        (i, t) for i, (t, got) in enumerate(zip(vocab, ids)) if got != i and not (got == unk and t.startswith(padding))
    ]
    if wrong:
        i, token = wrong[0]
        raise PipelineError(
            f"model {spec.name!r}: the CTranslate2 vocabulary in {folder} disagrees with the tokenizer "
            f"({len(wrong)} tokens, first {token!r} at {i}); delete that folder, or set backend: transformers"
        )


class CT2Translator(BatchedTranslator):
    """`Translator` over a CTranslate2 model converted from the configured checkpoint."""

    def __init__(self, spec: ModelSpec, device: str | None = None):
        import ctranslate2
        from transformers import AutoTokenizer

        self.spec = spec
        self.model_id = spec.model_id
        self.device = device or default_device()
        self.quantization = weight_type(spec, self.device)
        checkpoint = checkpoint_folder(spec)
        folder = ensure_converted(spec, checkpoint, self.quantization)
        self.tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
        self.inter_threads, intra = thread_split(cpu_count()) if self.device == "cpu" else (1, 0)

        def load(folder: Path):
            check_vocabulary(folder, self.tokenizer, spec)
            return ctranslate2.Translator(
                str(folder),
                device=self.device,
                compute_type=self.quantization,
                inter_threads=self.inter_threads,
                intra_threads=intra,
            )

        try:
            self.model = load(folder)
        except (RuntimeError, ValueError, OSError) as exc:  # a file of the conversion damaged on disk
            _log(f"the converted model in {folder} does not load ({_first_line(exc)}); converting it again")
            folder = reconvert(spec, checkpoint, self.quantization)
            try:
                self.model = load(folder)
            except (RuntimeError, ValueError, OSError) as again:
                raise PipelineError(
                    f"model {spec.name!r}: the CTranslate2 model converted into {folder} does not "
                    f"load ({_first_line(again)}); delete that folder, or set backend: transformers"
                ) from None

    def _start(self, src: str, tgt: str) -> str | None:
        """Sets the source language; returns the target-language token to force (None for Marian)."""
        forced = self._steer(src, tgt)
        return None if forced is None else self.tokenizer.convert_ids_to_tokens(forced)

    def _plan(self, batches: list[list[str]]) -> list[list[str]]:
        return spread(batches, self.inter_threads)  # one batch per worker at least

    def _generate(self, batches: list[list[str]], prefix: str | None, limits: list[int]) -> Iterator[list[Hypothesis]]:
        gen = self.spec.generation
        pending = []
        for batch, limit in zip(batches, limits):  # all queued at once: the workers share them
            tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in self._encode(batch)]
            pending.append(
                (
                    tokens,
                    self.model.translate_batch(
                        tokens,
                        target_prefix=[[prefix]] * len(batch) if prefix else None,
                        beam_size=gen.beam_size,
                        max_decoding_length=limit,  # counts the prefix, as max_new_tokens counts the forced token
                        max_input_length=0,  # never truncate: over-long sentences were split already
                        repetition_penalty=gen.repetition_penalty,
                        no_repeat_ngram_size=gen.no_repeat_ngram_size,
                        asynchronous=True,
                    ),
                )
            )
        drop = families.language_token_ids(self.spec.family, self.tokenizer)
        skip = 1 if prefix else 0
        for tokens, results in pending:
            hypotheses = [result.result().hypotheses[0] for result in results]
            # The model's own score of each output, by forced decoding (see pipeline.mt.scoring):
            # the end token is scored, the target-language prefix is not.
            scored = self.model.score_batch(tokens, hypotheses, max_input_length=0) if self.spec.confidence else None
            rows = []
            for hypothesis in hypotheses:
                ids = self.tokenizer.convert_tokens_to_ids(hypothesis)
                rows.append([i for i in ids[skip:] if i not in drop])
            texts = [s.strip() for s in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]
            if scored is None:  # confidence: false in models.yaml
                yield [Hypothesis(text, 0.0, 0) for text in texts]
            else:
                yield [
                    Hypothesis(text, float(sum(score.log_probs[skip:])), len(score.log_probs) - skip)
                    for text, score in zip(texts, scored, strict=True)
                ]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
