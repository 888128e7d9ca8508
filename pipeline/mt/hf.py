"""The transformers backend: a seq2seq model and its tokenizer from the Hugging Face cache or a folder.

Loading is cache-first (`local_files_only=True`), so a pinned, cached model never touches the
network. Only when that fails, and the hub is not switched off (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE),
is the hub probed once with a short timeout before downloading: the hub client retries a failed
connection five times with back-off (~25 s per file), which would look like a hang without a network.
"""

from __future__ import annotations

import gc
import logging
import os

import torch

from pipeline.config import ModelSpec
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import families
from pipeline.mt.batching import (
    LENGTH_STEP,
    BatchedTranslator,
    cpu_count,
    max_new_tokens,
    split_sentence,
    token_batches,
)
from pipeline.mt.checkpoint import check_model_files
from pipeline.mt.scoring import Hypothesis

_TRUE = {"1", "ON", "YES", "TRUE"}
# Scoring materialises log-probabilities over the vocabulary for every output position; rows are
# scored in groups that keep that under this many floats (256 MB), whatever the vocabulary.
SCORE_BUDGET = 1 << 26
_log = logging.getLogger(__name__)


def default_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def hub_offline() -> bool:
    """Offline as the environment says now (huggingface_hub reads it only once, at import)."""
    from huggingface_hub import constants

    env = (os.environ.get(k, "").strip().upper() in _TRUE for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))
    return any(env) or bool(constants.HF_HUB_OFFLINE)


def load_model(spec: ModelSpec, device: str):
    """(tokenizer, model) for `spec`, or ModelUnavailable saying what is missing and how to get it."""
    check_model_files(spec)  # no tokenizer files, cut-off weights: said before transformers trips on them
    dtype = accelerator_dtype(spec) if device.startswith("cuda") else torch.float32
    # Always explicit: no model's own code from the hub ever runs (every family is ours).
    extra = {"trust_remote_code": False}
    if spec.local_path is not None:
        try:
            return _from_pretrained(str(spec.local_path), dtype, extra)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"model {spec.name!r}: folder {spec.local_path} does not hold a loadable model and tokenizer "
                f"(save both with save_pretrained): {exc}"
            ) from exc
    what = f"{spec.source} (revision {spec.revision or 'main, unpinned'})"
    how = (
        f"fetch it on a machine with network with `hf download {spec.source}"
        + (f" --revision {spec.revision}" if spec.revision else "")
        + "` and copy the Hugging Face cache (~/.cache/huggingface/hub, or $HF_HOME/hub) here, "
        "or set `source:` in models.yaml to a local folder holding the model"
    )
    extra["revision"] = spec.revision
    try:
        return _from_pretrained(spec.source, dtype, {**extra, "local_files_only": True})
    except (OSError, ValueError) as exc:
        cache_error = exc
    if hub_offline():
        raise ModelUnavailable(
            f"model {spec.name!r}: {what} is not in the Hugging Face cache and offline mode is on (HF_HUB_OFFLINE); {how}"
        ) from cache_error
    try:
        from huggingface_hub import model_info

        model_info(spec.source, revision=spec.revision, timeout=10)
    except Exception as exc:  # no network, unknown repo or revision, gated: all mean "cannot fetch"
        raise ModelUnavailable(
            f"model {spec.name!r}: {what} is not in the Hugging Face cache and cannot be fetched from the hub "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); {how}"
        ) from exc
    try:
        return _from_pretrained(spec.source, dtype, extra)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"model {spec.name!r}: downloading {what} failed ({exc}); {how}") from exc


def accelerator_dtype(spec: ModelSpec):
    """float16 on a GPU, except for T5 models (MADLAD-400), whose activations overflow float16:
    they were trained in bfloat16."""
    return torch.bfloat16 if spec.family == "madlad" else torch.float16


def _from_pretrained(where: str, dtype, kwargs: dict):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(where, **kwargs)
    model = AutoModelForSeq2SeqLM.from_pretrained(where, dtype=dtype, **kwargs)
    return tokenizer, model


class HFTranslator(BatchedTranslator):
    """`Translator` over a transformers seq2seq model; one sentence in, one sentence out."""

    def __init__(self, spec: ModelSpec, device: str | None = None, *, tokenizer=None, model=None):
        self.spec = spec
        self.model_id = spec.model_id
        self.device = device or default_device()
        if self.device == "cpu" and not os.environ.get("OMP_NUM_THREADS"):
            # An explicit OMP_NUM_THREADS wins: on a busy machine one thread can be 30x faster
            # than threads that wait for each other.
            torch.set_num_threads(cpu_count())
        if model is None or tokenizer is None:
            tokenizer, model = load_model(spec, self.device)
        self.tokenizer = tokenizer
        self.model = model.to(self.device).eval()

    def _start(self, src: str, tgt: str) -> int | None:
        return self._steer(src, tgt)

    def _max_new_tokens(self, length: int) -> int:
        return max_new_tokens(self.spec.generation, length)

    def _generate(self, batches, forced, limits):
        for batch, limit in zip(batches, limits):
            yield self._generate_fitting(batch, forced, limit)

    def _generate_fitting(self, batch: list[str], forced: int | None, max_new_tokens: int) -> list[Hypothesis]:
        """`_generate_batch`, retried in halves when the accelerator runs out of memory. Every piece
        keeps the same output limit, so the translations are those an unsplit batch would give."""
        try:
            return self._generate_batch(batch, forced, max_new_tokens)
        except RuntimeError as exc:  # torch.OutOfMemoryError is a RuntimeError
            if not is_out_of_memory(exc):
                raise
        # Outside the except block, so the failed attempt's tensors can be freed.
        free_accelerator_memory()
        if len(batch) == 1:
            raise PipelineError(
                f"out of memory on {self.device} translating a single sentence of {len(batch[0])} characters; "
                "lower generation.max_input_tokens or beam_size in models.yaml, or run on the CPU "
                "(CUDA_VISIBLE_DEVICES=)"
            )
        half = len(batch) // 2
        _log.warning(
            "out of memory on %s with a batch of %d sentences; retrying in batches of %d", self.device, len(batch), half
        )
        return self._generate_fitting(batch[:half], forced, max_new_tokens) + self._generate_fitting(
            batch[half:], forced, max_new_tokens
        )

    def _generate_batch(self, batch: list[str], forced: int | None, max_new_tokens: int) -> list[Hypothesis]:
        gen = self.spec.generation
        enc = padded(self._encode(batch), self.tokenizer.pad_token_id, self.device)
        kwargs = {
            "num_beams": gen.beam_size,
            "max_new_tokens": max_new_tokens,
            "max_length": None,  # the model's generation_config may set one; max_new_tokens rules
            "repetition_penalty": gen.repetition_penalty,
        }
        if gen.no_repeat_ngram_size:
            kwargs["no_repeat_ngram_size"] = gen.no_repeat_ngram_size
        if forced is not None:
            kwargs["forced_bos_token_id"] = forced
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
            scores = (
                self._score(enc, out.tolist(), skip=0 if forced is None else 1)
                if self.spec.confidence
                else [(0.0, 0)] * len(batch)
            )  # nothing scored: confidence None
        drop = families.language_token_ids(self.spec.family, self.tokenizer)
        rows = [[i for i in row if i not in drop] for row in out.tolist()]
        texts = [s.strip() for s in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]
        return [Hypothesis(text, lp, n) for text, (lp, n) in zip(texts, scores, strict=True)]

    def _score(self, enc, sequences: list[list[int]], skip: int) -> list[tuple[float, int]]:
        """(sum of log-probabilities, tokens scored) of each generated row by forced decoding under
        the plain model: every output token up to and including the end token (added when the
        output was cut at the length limit), the first `skip` (the forced language token) left out."""
        from transformers.modeling_outputs import BaseModelOutput

        eos, pad = self.tokenizer.eos_token_id, self.tokenizer.pad_token_id
        targets = []
        for row in sequences:
            produced = row[1:]  # row[0] is the decoder start token
            targets.append(produced[: produced.index(eos) + 1] if eos in produced else produced + [eos])
        width = max(len(t) for t in targets)
        starts = [row[0] for row in sequences]
        decoder_in = torch.tensor(
            [[s] + t[:-1] + [pad] * (width - len(t)) for s, t in zip(starts, targets)], device=self.device
        )
        gold = torch.tensor([t + [pad] * (width - len(t)) for t in targets], device=self.device)
        hidden = self.model.get_encoder()(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])[0]
        # The vocabulary size only sizes the groups: taken from the config, not from the output
        # layer's weight, which quantised, tied or wrapped models store in other shapes (or as a method).
        vocab = max(getattr(self.model.config, "vocab_size", 0) or 0, len(self.tokenizer))
        step = max(1, SCORE_BUDGET // (width * vocab))
        out = []
        for i in range(0, len(targets), step):
            logits = self.model(
                encoder_outputs=BaseModelOutput(last_hidden_state=hidden[i : i + step]),
                attention_mask=enc["attention_mask"][i : i + step],
                decoder_input_ids=decoder_in[i : i + step],
            ).logits
            log_probs = torch.log_softmax(logits.float(), dim=-1).gather(-1, gold[i : i + step, :, None])[..., 0]
            for row, target in zip(log_probs.tolist(), targets[i : i + step]):
                out.append((float(sum(row[skip : len(target)])), len(target) - skip))
        return out


def padded(rows: list[list[int]], pad_id: int, device: str) -> dict:
    """`input_ids` and `attention_mask` tensors for `rows`, padded on the right with `pad_id`."""
    width = max(len(row) for row in rows)
    ids = torch.tensor([row + [pad_id] * (width - len(row)) for row in rows], device=device)
    mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows], device=device)
    return {"input_ids": ids, "attention_mask": mask}


def is_out_of_memory(exc: BaseException) -> bool:
    """CUDA's OutOfMemoryError, or the plain RuntimeError other backends (MPS, older torch) raise."""
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


def free_accelerator_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


__all__ = ["HFTranslator", "LENGTH_STEP", "load_model", "split_sentence", "token_batches"]
