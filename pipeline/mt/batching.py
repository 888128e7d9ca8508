"""What every backend does around the model: dedupe, split over-long sentences, sort by length,
batch by a token budget, restore the order, report progress.

A backend subclasses `BatchedTranslator` and supplies `_start` (language set-up, mostly `_steer`) and `_generate` (one batch under one output limit, each output with its score). The output limit of a
sentence depends only on its own length, and batches never mix limits, so a sentence's
translation does not depend on the sentences batched with it, whatever the backend.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pipeline.config import GenerationSettings, ModelSpec
from pipeline.mt import families
from pipeline.mt.scoring import Hypothesis, Scored, confidence

_CLAUSE_END = re.compile(r"[,;:](?=\s)")  # not inside 10:30 or 1,00,000
_SPACE = re.compile(r"\s+")
# The output limit comes from the source length rounded up to this step.
LENGTH_STEP = 8


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def max_new_tokens(gen: GenerationSettings, length: int) -> int:
    """ceil(ratio × source length) + extra, the length taken up to a multiple of LENGTH_STEP.
    Counts every generated token, a forced language token included."""
    return math.ceil(gen.max_length_ratio * -(-length // LENGTH_STEP) * LENGTH_STEP) + gen.max_length_extra


class BatchedTranslator:
    """`Translator` skeleton; subclasses set `spec` and `model_id` and implement the three hooks."""

    spec: ModelSpec
    model_id: str
    tokenizer: Any
    # The token before every source sentence that tells the model its target (MADLAD `<2en>`,
    # OPUS-MT `>>cmn_Hant<<`), as its id; set by `_start` through `_steer`, added by `_encode`.
    target_token: int | None = None

    def _encode(self, texts: list[str]) -> list[list[int]]:
        """The token ids the model gets for each text: the tokenizer's encoding (source-language
        and end tokens included), after the target token if the family has one."""
        rows = self.tokenizer(texts)["input_ids"] if texts else []
        return [[self.target_token, *row] for row in rows] if self.target_token is not None else rows

    def _count(self, texts: list[str]) -> list[int]:
        """Source length in tokens, language and end tokens included (after `_start`)."""
        return [len(ids) for ids in self._encode(texts)]

    def _steer(self, src: str, tgt: str) -> int | None:
        """Set the tokenizer and target token up for src → tgt; the id generation must start with
        (NLLB, M2M100), or None."""
        family = self.spec.family
        families.prepare_source(family, self.tokenizer, src)
        families.check_source_token(family, self.tokenizer, src)
        self.target_token = families.target_token_id(family, self.tokenizer, tgt)
        return families.forced_bos_token_id(family, self.tokenizer, tgt)

    def _start(self, src: str, tgt: str) -> object:
        """Prepare for src → tgt; what it returns is handed to every `_generate` call."""
        raise NotImplementedError

    def _generate(self, batches: list[list[str]], context: object, limits: list[int]) -> Iterator[list[Hypothesis]]:
        """Translations of each batch, in order, with their scores (see `scoring`), batch `i`
        limited to `limits[i]` new tokens; a backend may work on several batches at once."""
        raise NotImplementedError

    def _plan(self, batches: list[list[str]]) -> list[list[str]]:
        """Hook to reshape the batches (a backend with parallel workers splits big ones)."""
        return batches

    def translate(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """Translate each sentence of `texts`; `progress(n)` gets the inputs newly finished after each
        batch (the calls add up to len(texts), so it can be a tqdm bar's `update`)."""
        return [s.text for s in self.translate_scored(texts, src, tgt, progress)]

    def translate_scored(
        self, texts: list[str], src: str, tgt: str, progress: Callable[[int], None] | None = None
    ) -> list[Scored]:
        """`translate`, each output with the model's confidence in it (blank inputs: None)."""
        context = self._start(src, tgt)
        gen = self.spec.generation
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        pieces_of = {text: split_sentence(text, self._count, gen.max_input_tokens) for text in unique}
        work = list(dict.fromkeys(p for pieces in pieces_of.values() for p in pieces))
        lengths = dict(zip(work, self._count(work)))
        work.sort(key=lambda p: -lengths[p])  # longest first: a batch too big for memory fails at once

        def limit_of(piece: str) -> int:
            return max_new_tokens(gen, lengths[piece])

        batches = self._plan(list(token_batches(work, lengths, gen.batch_tokens, key=limit_of)))
        copies = Counter(texts)
        pending = {text: len(set(pieces)) for text, pieces in pieces_of.items()}
        owners: dict[str, list[str]] = {}
        for text, pieces in pieces_of.items():
            for piece in set(pieces):
                owners.setdefault(piece, []).append(text)
        done: dict[str, Hypothesis] = {}
        reported = 0
        outputs = self._generate(batches, context, [limit_of(b[0]) for b in batches])
        for batch, translated in zip(batches, outputs, strict=True):
            done.update(zip(batch, translated, strict=True))
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
        joined = {
            t: Scored(
                families.join_pieces([done[p].text for p in pieces_of[t]], tgt),
                confidence(done[p] for p in pieces_of[t]),
            )
            for t in unique
        }
        return [joined.get(t, Scored("")) for t in texts]


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


def spread(batches: list[list[str]], workers: int) -> list[list[str]]:
    """Halve the largest batches until there are at least `workers` of them (when there are enough
    items), so parallel workers all get one; order within each batch is kept."""
    out = [list(b) for b in batches]
    while len(out) < workers:
        i = max(range(len(out)), key=lambda k: len(out[k]), default=None)
        if i is None or len(out[i]) < 2:
            break
        half = len(out[i]) // 2
        out[i : i + 1] = [out[i][:half], out[i][half:]]
    return out
