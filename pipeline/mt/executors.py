"""Where the translate stage's model work runs: here (`LocalExecutor`) or on a Ray cluster
(`RayExecutor`), behind one method, `translate_into_memory`.

Only the heavy part moves. The driver still ingests, segments, looks up the translation memory,
localises, checks and writes catalogues; what it hands to Ray is the list of unique sentences
still missing from the memory. They become a Ray Dataset whose blocks are the same length-sorted
chunks the local executor translates (so the model sees the same batches and the catalogues come
out byte-identical), `map_batches` runs them through an actor pool in which every actor loads the
model once with `pipeline.mt.load_translator`, and the driver stores each finished batch into the
memory as it streams back: an interrupted cluster job loses only the batches in flight.

Failures: Ray restarts a dead actor and re-runs its batch (`max_restarts`, `max_task_retries`)
and re-runs a batch whose translator raised (`retried_map_errors`); a batch that still fails is
dropped by Ray Data (`max_errored_blocks`), and the driver, which knows what it sent, reports its
sentences as left untranslated. Ray is an optional extra: `pip install '.[ray]'`.
"""

from __future__ import annotations

import gc
import logging
import math
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.config import ModelSpec, Route
from pipeline.errors import PipelineError
from pipeline.layout import SOURCE_LANGUAGE
from pipeline.model import Scored
from pipeline.mt import translate_scored

if TYPE_CHECKING:  # only the signature names the memory
    from pipeline.memory import TranslationMemory

EXECUTORS = ("local", "ray")
TASK_RETRIES = 2  # re-runs of one batch (a dead actor or a raised exception) before giving it up
RAY_MISSING = (
    "--executor ray needs Ray Data, which is not installed: pip install '.[ray]' "
    "(or pip install 'ray[data]') on this machine and on every node of the cluster"
)

TranslatorLoader = Callable[[ModelSpec, str], object]  # (spec, device) -> Translator


def _load_translator(spec: ModelSpec, device: str):
    from pipeline.mt import load_translator

    return load_translator(spec, device=device)


def import_ray():
    """The `ray` module with Ray Data, or a PipelineError saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (ray without the [data] extra lacks pyarrow)
    except ImportError as exc:
        raise PipelineError(f"{RAY_MISSING} ({exc})") from exc
    return ray


@dataclass
class BatchOutcome:
    """What one `translate_into_memory` call did: sentences stored, and batches given up."""

    stored: int = 0
    failed_batches: list[list[str]] = field(default_factory=list)

    @property
    def untranslated(self) -> list[str]:
        return [text for batch in self.failed_batches for text in batch]


class Executor(Protocol):
    """Where a translate call's model work runs: `LocalExecutor`, `RayExecutor`, and serve's
    batcher (which queues the texts with other requests' and waits for them) all do this."""

    def translate_into_memory(
        self,
        route: Route,
        texts: list[str],
        tgt: str,
        memory: TranslationMemory,
        model_key: str,
        locale: str,
        chunk: int,
    ) -> BatchOutcome:
        """Translate `texts` into `tgt` and store each output in `memory` under `model_key`;
        returns what was stored and the batches given up (their texts stay untranslated)."""
        ...


class LocalExecutor:
    """Runs the model in this process: each model loaded once per run (gu→en and gu→zh share NLLB),
    and only when something is missing from the memory."""

    def __init__(self, factory: Callable[[ModelSpec], object] | None = None):
        self.factory = factory or (lambda spec: _load_translator(spec, None))
        self.translators: dict[str, object] = {}

    def translator(self, route: Route):
        """The route's translator, each of its models loaded at most once per run."""
        from pipeline.mt.route import route_translator

        return route_translator(
            route, self.factory, self.translators, lambda line: print(line, file=sys.stderr, flush=True)
        )

    def translate_into_memory(
        self,
        route: Route,
        texts: list[str],
        tgt: str,
        memory: TranslationMemory,
        model_key: str,
        locale: str,
        chunk: int,
    ) -> BatchOutcome:
        """Translate `texts` chunk by chunk, storing each chunk in `memory` as soon as it is done."""
        from pipeline.progress import progress_reporter

        translator = self.translator(route)
        with progress_reporter(f"translate {locale}", len(texts)) as progress:  # moves with every batch
            for i in range(0, len(texts), chunk):
                part = texts[i : i + chunk]
                outputs = translate_scored(translator, part, SOURCE_LANGUAGE, tgt, progress=progress)
                if len(outputs) != len(part):
                    raise RuntimeError(f"translator returned {len(outputs)} outputs for {len(part)} inputs")
                memory.store(dict(zip(part, outputs)), SOURCE_LANGUAGE, tgt, model_key, route.model_id)
        return BatchOutcome(stored=len(texts))

    def close(self) -> None:
        self.translators.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TranslateBatch:
    """The Ray Data actor: loads the model once, then translates batch after batch."""

    def __init__(self, spec: ModelSpec, tgt: str, device: str, threads: int, loader: TranslatorLoader):
        self.tgt = tgt
        self.translator = loader(spec, device)
        torch = sys.modules.get("torch")
        if device == "cpu" and torch is not None:
            torch.set_num_threads(threads)  # the actor's CPU share, not every core of the node

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        texts = [str(t) for t in batch["text"]]
        outputs = translate_scored(self.translator, texts, SOURCE_LANGUAGE, self.tgt)
        if len(outputs) != len(texts):
            raise RuntimeError(f"translator returned {len(outputs)} outputs for {len(texts)} inputs")
        return {
            "text": np.array(texts, dtype=object),
            "translation": np.array([o.text for o in outputs], dtype=object),
            "confidence": np.array([np.nan if o.confidence is None else o.confidence for o in outputs]),
        }


class RayExecutor:
    """Runs the translate stage's missing sentences on a Ray cluster (or a local Ray instance).

    `address` is what `ray.init` takes ("auto", "ray://head:10001", "head:6379"); None starts a
    local instance unless RAY_ADDRESS is set. `workers` defaults to what the cluster fits: one per
    GPU when `gpus_per_worker` is set, else one per `cpus_per_worker` CPUs. Ray is started lazily,
    so a run with nothing to translate never touches the cluster.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        workers: int | None = None,
        cpus_per_worker: float = 1.0,
        gpus_per_worker: float = 0.0,
        batch_size: int | None = None,
        loader: TranslatorLoader = _load_translator,
    ):
        self.address = address
        self.workers = workers
        self.cpus_per_worker = cpus_per_worker
        self.gpus_per_worker = gpus_per_worker
        self.batch_size = batch_size
        self.loader = loader
        self._ray = None
        self._started_here = False

    def _connect(self):
        if self._ray is None:
            ray = import_ray()
            logging.getLogger("ray.data").setLevel(logging.WARNING)  # its INFO lines drown our progress
            if not ray.is_initialized():
                try:
                    ray.init(address=self.address, runtime_env=ray_runtime_env())
                except (ConnectionError, RuntimeError, ValueError) as exc:
                    raise PipelineError(
                        f"cannot reach the Ray cluster at {self.address or 'a new local instance'}: {exc}"
                    ) from exc
                self._started_here = True
            self._ray = ray
        return self._ray

    def pool_size(self) -> int:
        if self.workers:
            return self.workers
        resources = self._connect().cluster_resources()
        if self.gpus_per_worker:
            return max(1, int(resources.get("GPU", 0) // self.gpus_per_worker))
        return max(1, int(resources.get("CPU", 1) // self.cpus_per_worker))

    def translate_into_memory(
        self,
        spec: ModelSpec,
        texts: list[str],
        tgt: str,
        memory: TranslationMemory,
        model_key: str,
        locale: str,
        chunk: int,
    ) -> BatchOutcome:
        """Translate `texts` (unique, in the order the local executor would) and store each batch in
        `memory` as it arrives; returns what was stored and the batches that failed for good."""
        ray = self._connect()
        import pyarrow as pa

        from pipeline.progress import progress_reporter

        size = self.batch_size or chunk
        batches = [texts[i : i + size] for i in range(0, len(texts), size)]
        # One block per batch: map_batches then hands each actor exactly these batches.
        ds = ray.data.from_arrow([pa.table({"text": pa.array(b, pa.string())}) for b in batches])
        ds.context.max_errored_blocks = -1  # a batch that fails for good is dropped; we count it below
        ds.context.retried_map_errors = True  # a translator that raised gets the batch again ...
        ds.context.max_map_retries = TASK_RETRIES  # ... this many times
        ds.context.enable_progress_bars = False
        device = "cuda" if self.gpus_per_worker else "cpu"
        threads = max(1, math.floor(self.cpus_per_worker))
        with warnings.catch_warnings():
            # Ray 2.60 deprecates **ray_remote_args (gone in 2.64, hence the pin in pyproject.toml) but
            # has no named parameter yet for bounding the re-runs of a batch whose actor died.
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            out = self._map(ds, ray, spec, tgt, device, threads, size, len(batches))
        done: set[str] = set()
        outcome = BatchOutcome()
        with progress_reporter(f"translate {locale} (ray)", len(texts)) as progress:
            try:
                for result in out.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=0):
                    pairs = {
                        str(s): Scored(str(t), None if math.isnan(c) else float(c))
                        for s, t, c in zip(result["text"], result["translation"], result["confidence"])
                    }
                    memory.store(pairs, SOURCE_LANGUAGE, tgt, model_key, spec.model_id)
                    done.update(pairs)
                    outcome.stored += len(pairs)
                    progress(len(pairs))
            except Exception as exc:  # e.g. every actor failed to load the model
                raise PipelineError(f"translating {locale} on Ray failed: {_root_message(exc)}") from exc
            finally:
                # Ray Data releases its actor pool by dropping references, not by killing the
                # actors; a handle caught in a reference cycle keeps its actor and its CPUs until
                # the collector runs (rarely, in the command), and the next locale's stage then
                # waits for those CPUs for ever.
                del ds, out
                gc.collect()
        outcome.failed_batches = [[t for t in b if t not in done] for b in batches if not set(b) <= done]
        return outcome

    def _map(self, ds, ray, spec, tgt, device, threads, size, batches):
        return ds.map_batches(
            TranslateBatch,
            fn_constructor_args=(spec, tgt, device, threads, self.loader),
            batch_size=size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.pool_size(), batches)),
            num_cpus=self.cpus_per_worker,
            num_gpus=self.gpus_per_worker or None,
            max_restarts=-1,  # a dead actor is replaced ...
            max_task_retries=TASK_RETRIES,  # ... and its batch re-run at most this many times
        )

    def close(self) -> None:
        if self._started_here and self._ray is not None:
            self._ray.shutdown()
        self._ray = None
        self._started_here = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ray_runtime_env() -> dict:
    """Job-level runtime env: the workers run the driver's copy of `pipeline` (Ray uploads it; its
    dependencies must be installed on every node)."""
    return {"py_modules": [str(Path(__file__).resolve().parent)]}


def _root_message(exc: BaseException) -> str:
    """The worker's own PipelineError message (say, a model missing from a node's cache) when Ray
    wrapped one, else the first line of the error."""
    chain, todo = [], [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is c for c in chain):
            continue
        chain.append(e)
        todo += [e.__cause__, e.__context__, getattr(e, "cause", None)]
    for e in chain:
        if isinstance(e, PipelineError):
            return str(e)
    for e in chain:
        for line in str(e).strip().splitlines():
            if line.strip():
                return line.strip()
    return type(exc).__name__


def make_executor(name: str, address: str | None = None, **options) -> RayExecutor | None:
    """None for the local executor (the runner makes a LocalExecutor), else a RayExecutor."""
    if name == "local":
        if address:
            raise PipelineError("--ray-address needs --executor ray")
        return None
    if name == "ray":
        if options.get("workers") is not None and options["workers"] < 1:
            raise PipelineError("--ray-workers must be at least 1")
        if options.get("cpus_per_worker", 1) <= 0 or options.get("gpus_per_worker", 0) < 0:
            raise PipelineError("--ray-cpus-per-worker must be above 0 and --ray-gpus-per-worker not below 0")
        import_ray()  # fail before any work when the extra is missing
        return RayExecutor(address, **options)
    raise PipelineError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
