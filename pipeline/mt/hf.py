"""The transformers backend: a seq2seq model and its tokenizer from the Hugging Face cache or a folder.

Loading is cache-first (`local_files_only=True`), so a pinned, cached model never touches the
network. Only when that fails, and the hub is not switched off (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE),
is the hub probed once with a short timeout before downloading: the hub client retries a failed
connection five times with back-off (~25 s per file), which would look like a hang without a network.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

import torch

from ..config import ModelSpec
from ..errors import ModelUnavailable, PipelineError
from . import families

_CLAUSE_END = re.compile(r"[,;:](?=\s)")  # not inside 10:30 or 1,00,000
_SPACE = re.compile(r"\s+")
_TRUE = {"1", "ON", "YES", "TRUE"}
# The output limit comes from the source length rounded up to this step, and batches never mix
# steps: a sentence's translation then does not depend on the sentences batched with it.
LENGTH_STEP = 8
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
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    if spec.trust_remote_code and spec.local_path is None and not spec.revision:
        raise PipelineError(f"model {spec.name!r}: trust_remote_code needs a pinned revision")
    # Always explicit: only an entry asking for remote code, at a pinned revision, may run it.
    extra = {"trust_remote_code": bool(spec.trust_remote_code)}
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


def _from_pretrained(where: str, dtype, kwargs: dict):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(where, **kwargs)
    model = AutoModelForSeq2SeqLM.from_pretrained(where, dtype=dtype, **kwargs)
    return tokenizer, model


class HFTranslator:
    """`Translator` over a transformers seq2seq model; one sentence in, one sentence out."""

    def __init__(self, spec: ModelSpec, device: str | None = None, *, tokenizer=None, model=None):
        self.spec = spec
        self.model_id = spec.model_id
        self.device = device or default_device()
        if self.device == "cpu" and not os.environ.get("OMP_NUM_THREADS"):
            # An explicit OMP_NUM_THREADS wins: on a busy machine one thread can be 30x faster
            # than threads that wait for each other.
            torch.set_num_threads(_cpu_count())
        if model is None or tokenizer is None:
            tokenizer, model = load_model(spec, self.device)
        self.tokenizer = tokenizer
        self.model = model.to(self.device).eval()

    def translate(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """Translate each sentence of `texts`; `progress(n)` gets the inputs newly finished after each
        batch (the calls add up to len(texts), so it can be a tqdm bar's `update`)."""
        family = self.spec.family
        families.prepare_source(family, self.tokenizer, src)
        forced = families.forced_bos_token_id(family, self.tokenizer, tgt)
        limit = self.spec.generation.max_input_tokens
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        pieces_of = {text: split_sentence(text, self._count, limit) for text in unique}
        work = list(dict.fromkeys(p for pieces in pieces_of.values() for p in pieces))
        lengths = dict(zip(work, self._count(work)))
        work.sort(key=lambda p: -lengths[p])  # longest first: a batch too big for memory fails at once

        copies = Counter(texts)
        pending = {text: len(set(pieces)) for text, pieces in pieces_of.items()}
        owners: dict[str, list[str]] = {}
        for text, pieces in pieces_of.items():
            for piece in set(pieces):
                owners.setdefault(piece, []).append(text)
        done: dict[str, str] = {}
        reported = 0

        def limit_of(piece: str) -> int:
            return self._max_new_tokens(lengths[piece])

        for batch in token_batches(work, lengths, self.spec.generation.batch_tokens, key=limit_of):
            done.update(zip(batch, self._generate_fitting(batch, forced, limit_of(batch[0]))))
            if progress is not None:
                finished = 0
                for piece in batch:
                    for text in owners[piece]:
                        pending[text] -= 1
                        finished += copies[text] if pending[text] == 0 else 0
                if finished:
                    progress(finished)
                    reported += finished
        if progress is not None and len(texts) > reported:
            progress(len(texts) - reported)  # blank inputs, or nothing to translate at all
        joined = {t: families.join_pieces([done[p] for p in pieces_of[t]], tgt) for t in unique}
        return [joined.get(t, "") for t in texts]

    def _count(self, texts: list[str]) -> list[int]:
        """Source length in tokens, language and end tokens included."""
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]] if texts else []

    def _max_new_tokens(self, length: int) -> int:
        """ceil(ratio × source length) + extra, the length taken up to a multiple of LENGTH_STEP."""
        gen = self.spec.generation
        return math.ceil(gen.max_length_ratio * -(-length // LENGTH_STEP) * LENGTH_STEP) + gen.max_length_extra

    def _generate_fitting(self, batch: list[str], forced: int | None, max_new_tokens: int) -> list[str]:
        """`_generate`, retried in halves when the accelerator runs out of memory. Every piece keeps
        the same output limit, so the translations are those an unsplit batch would give."""
        try:
            return self._generate(batch, forced, max_new_tokens)
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
        _log.warning("out of memory on %s with a batch of %d sentences; retrying in batches of %d",
                     self.device, len(batch), half)
        return self._generate_fitting(batch[:half], forced, max_new_tokens) + self._generate_fitting(
            batch[half:], forced, max_new_tokens
        )

    def _generate(self, batch: list[str], forced: int | None, max_new_tokens: int) -> list[str]:
        gen = self.spec.generation
        enc = self.tokenizer(batch, return_tensors="pt", padding=True).to(self.device)
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
        drop = families.language_token_ids(self.spec.family, self.tokenizer)
        rows = [[i for i in row if i not in drop] for row in out.tolist()]
        return [s.strip() for s in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]


def is_out_of_memory(exc: BaseException) -> bool:
    """CUDA's OutOfMemoryError, or the plain RuntimeError other backends (MPS, older torch) raise."""
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


def free_accelerator_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def split_sentence(text: str, count: Callable[[list[str]], list[int]], limit: int) -> list[str]:
    """`text` as it is when it has at most `limit` tokens, else cut into pieces that do: at the clause
    boundary (", ", "; ", ": ") nearest the middle, recursively; failing that at the space nearest
    the middle, and as a last resort in the middle. Never truncates."""
    if count([text])[0] <= limit or len(text) < 2:
        return [text]
    middle = len(text) / 2
    cuts = [m.end() for m in _CLAUSE_END.finditer(text)] or [m.start() for m in _SPACE.finditer(text)]
    cuts = [c for c in cuts if 0 < c < len(text) and text[:c].strip() and text[c:].strip()]
    if cuts:
        cut = min(cuts, key=lambda c: abs(c - middle))
    else:
        cut = len(text) // 2
        while cut < len(text) - 1 and unicodedata.category(text[cut]).startswith("M"):
            cut += 1  # keep vowel signs and viramas with their consonant
    left, right = text[:cut].strip(), text[cut:].strip()
    return split_sentence(left, count, limit) + split_sentence(right, count, limit)


def token_batches(
    items: list[str], lengths: dict[str, int], budget: int, key: Callable[[str], object] = lambda item: None
) -> Iterator[list[str]]:
    """Consecutive batches whose padded size (longest × count) stays within `budget` tokens and whose
    items share `key`; an item longer than the budget goes alone."""
    batch: list[str] = []
    longest = 0
    for item in items:
        longest_if_added = max(longest, lengths[item])
        if batch and (longest_if_added * (len(batch) + 1) > budget or key(item) != key(batch[0])):
            yield batch
            batch, longest_if_added = [], lengths[item]
        batch.append(item)
        longest = longest_if_added
    if batch:
        yield batch


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
