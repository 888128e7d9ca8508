"""Dynamic batching: sentences that requests need at about the same time go to the model in one call.

Every request thread runs the one translate path (`pipeline.translate.translate_raw`), which
hands the sentences missing from the translation memory to an executor. Here the executor is
`DynamicBatcher`: it queues them, and one model thread takes the oldest waiting job, waits at
most `max_wait` seconds from that job's arrival (or from the end of the last model call, so the
clients it answered can come back and join) for others of the same route, and translates their
sentences in one call (the backends then batch by token budget and output limit, so a
sentence's translation does not depend on what it was batched with). The outputs go into the
memory as `LocalExecutor` stores them, and each waiting request then reads its own from there.

While the model works on one batch, the next requests queue up, so under load batches grow by
themselves and a request waits for about one model call, not for every request before it. The
queue is bounded in sentences, and a job that waited past its deadline is not run: an overloaded
server says so at once (`Overloaded`, HTTP 503) instead of letting clients time out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.config import Route
from pipeline.layout import SOURCE_LANGUAGE
from pipeline.memory import TranslationMemory
from pipeline.mt import translate_scored
from pipeline.mt.executors import BatchOutcome

log = logging.getLogger("pipeline.serve")


class Overloaded(Exception):
    """The queue is full, the job waited past its deadline, or the server is stopping."""


class TooLarge(Exception):
    """One request holds more new sentences than the queue takes at once."""


class ModelFailed(Exception):
    """The model call for a batch raised; the traceback is logged once, by the model thread."""


@dataclass(frozen=True)
class BatchSettings:
    enabled: bool = True  # False: one model call per request, in arrival order
    max_wait: float = 0.005  # seconds a batch waits, from its first job's arrival, for more
    max_sentences: int = 64  # sentences per model call (a request with more goes alone)
    max_queue: int = 1024  # sentences waiting for the model at once
    deadline: float = 15.0  # seconds a job may wait before it is answered 503 (Weblate gives up at 20)


@dataclass
class Job:
    route: Route
    texts: list[str]
    tgt: str
    model_key: str
    arrived: float
    done: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None

    def key(self) -> tuple[str, str]:
        return (self.model_key, self.tgt)


@dataclass
class BatchStats:
    """What the model thread did, for /health and the benchmark."""

    calls: int = 0
    sentences: int = 0
    largest: int = 0
    rejected: int = 0


class DynamicBatcher:
    """An executor for `translate_raw` whose model calls gather concurrent requests' sentences."""

    def __init__(
        self,
        translator_for: Callable[[Route], object],
        memory: TranslationMemory,
        settings: BatchSettings = BatchSettings(),
    ):
        self.translator_for = translator_for
        self.memory = memory
        self.settings = settings
        self.stats = BatchStats()
        self._queue: deque[Job] = deque()
        self._queued = 0  # sentences in the queue
        self._cond = threading.Condition()
        self._closing = False
        self._idle_since = 0.0  # when the last model call ended
        self._thread = threading.Thread(target=self._work, name="model", daemon=True)
        self._thread.start()

    @property
    def queued(self) -> int:
        return self._queued

    def translate_into_memory(
        self, route: Route, texts: list[str], tgt: str, memory, model_key: str, locale: str, chunk: int
    ) -> BatchOutcome:
        """Queue `texts` for the model and wait until their outputs are in the memory (the
        executor protocol of `pipeline.mt.executors`; `memory` is this batcher's own)."""
        job = Job(route, list(texts), tgt, model_key, time.monotonic())
        limit = self.settings.max_queue
        if len(job.texts) > limit:
            raise TooLarge(
                f"this request holds {len(job.texts)} sentences new to the translation memory; "
                f"the model takes at most {limit} from one request"
            )
        with self._cond:
            if self._closing:
                raise Overloaded("the server is shutting down")
            if self._queued + len(job.texts) > limit:
                self.stats.rejected += 1
                raise Overloaded(f"{self._queued} sentences are waiting for the model (the limit is {limit})")
            self._queue.append(job)
            self._queued += len(job.texts)
            self._cond.notify_all()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return BatchOutcome(stored=len(job.texts))

    def close(self) -> None:
        """Finish every queued job, then stop the model thread."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._run(batch)

    def _next_batch(self) -> list[Job] | None:
        with self._cond:
            while not self._queue:
                if self._closing:
                    return None
                self._cond.wait()
            first = self._queue.popleft()
            batch = [first]
            if self.settings.enabled:
                # From the job's arrival, or from the end of the last call: the clients it just
                # answered come back at about the same time, and join this batch.
                until = max(first.arrived, self._idle_since) + self.settings.max_wait
                while True:
                    self._take_compatible(batch)
                    left = until - time.monotonic()
                    if self._size(batch) >= self.settings.max_sentences or left <= 0 or self._closing:
                        break
                    self._cond.wait(left)
            self._queued -= self._size(batch)
            return batch

    def _take_compatible(self, batch: list[Job]) -> None:
        """Move queued jobs of the batch's route into it while they fit, oldest first."""
        room = self.settings.max_sentences - self._size(batch)
        for job in list(self._queue):
            if job.key() == batch[0].key() and len(job.texts) <= room:
                self._queue.remove(job)
                batch.append(job)
                room -= len(job.texts)

    @staticmethod
    def _size(batch: list[Job]) -> int:
        return sum(len(job.texts) for job in batch)

    def _run(self, batch: list[Job]) -> None:
        now = time.monotonic()
        late = [job for job in batch if now - job.arrived > self.settings.deadline]
        self.stats.rejected += len(late)
        for job in late:
            job.error = Overloaded(
                f"waited {now - job.arrived:.0f} s for the model (the limit is {self.settings.deadline:g} s)"
            )
            job.done.set()
        batch = [job for job in batch if job not in late]
        if not batch:
            return
        first = batch[0]
        texts = list(dict.fromkeys(text for job in batch for text in job.texts))
        try:
            outputs = translate_scored(self.translator_for(first.route), texts, SOURCE_LANGUAGE, first.tgt)
            if len(outputs) != len(texts):
                raise RuntimeError(f"translator returned {len(outputs)} outputs for {len(texts)} inputs")
            self.memory.store(
                dict(zip(texts, outputs)), SOURCE_LANGUAGE, first.tgt, first.model_key, first.route.model_id
            )
            self.stats.calls += 1
            self.stats.sentences += len(texts)
            self.stats.largest = max(self.stats.largest, len(texts))
        except Exception as exc:  # noqa: BLE001 - every waiting request must be answered
            log.exception("translating a batch of %d sentences failed", len(texts))
            for job in batch:
                job.error = ModelFailed(f"the model failed on this batch: {exc}")
        self._idle_since = time.monotonic()
        for job in batch:
            job.done.set()
