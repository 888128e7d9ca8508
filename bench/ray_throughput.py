"""Translate-stage throughput: local executor vs Ray with 1 and 2 workers, measured in one run.

    python bench/ray_throughput.py --models MODELS.yaml [--sentences 120] [--cpus 2]
    python bench/ray_throughput.py --short      # 8 sentences on the tests' tiny model (CI)

Starts a local Ray instance with --cpus CPUs, then translates the same unique FLORES sentences
(tests/data/flores-sample) into a fresh translation memory with each executor and prints
sentences per second and the ratio to the local executor. Each Ray figure includes starting the
actors and loading the model in each (what a cluster job pays once per locale); Ray's own start-up
is printed apart. Ratios are the figure to read: absolute speed depends on the machine's load.
"""

from __future__ import annotations

import os
import sys

# bench/numbers.py would shadow the stdlib's `numbers` for every script in bench/: the repository
# root goes first on sys.path instead of this folder.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import (
    jobs,  # noqa: E402
    localise,  # noqa: E402
)
from pipeline.config import load_config  # noqa: E402
from pipeline.layout import SOURCE_LANGUAGE  # noqa: E402
from pipeline.memory import TranslationMemory  # noqa: E402
from pipeline.mt.executors import LocalExecutor, RayExecutor, import_ray, ray_runtime_env  # noqa: E402
from pipeline.mt.route import check_route  # noqa: E402


def tiny_models() -> Path:
    """The tests' tiny models (built once into tests/.tiny-models-cache)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_tiny_models", ROOT / "tests" / "make_tiny_models.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder.build_tiny_models(ROOT / "tests" / ".tiny-models-cache")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, help="models file (default with --short: the tests' tiny NLLB)")
    parser.add_argument("--sentences", type=int, default=120)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray instance")
    parser.add_argument("--locale", default="en")
    parser.add_argument("--gpus-per-worker", type=float, default=0.0, help="GPU actors (on a GPU machine)")
    parser.add_argument(
        "--short", action="store_true", help="a check that the benchmark runs: 8 sentences on the tests' tiny model"
    )
    args = parser.parse_args()
    if args.short:
        args.sentences, args.cpus = 8, 2
        if args.models is None:
            args.models = tiny_models()
    if args.models is None:
        parser.error("--models is required (or --short)")

    config = load_config(args.models)
    route = check_route(config.route_for(args.locale))  # the route the translate stage takes
    tgt = route.tgt  # zh_Hans / zh_Hant, as the translate stage asks
    lines = (ROOT / "tests/data/flores-sample/guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
    texts = sorted(
        {localise.prepare(t, None, args.locale).model_input for t in lines[: args.sentences]}, key=lambda t: (len(t), t)
    )
    key = route.settings_key()

    def timed(name, work):
        with tempfile.TemporaryDirectory() as tmp, TranslationMemory(Path(tmp) / "m.sqlite") as memory:
            start = time.perf_counter()
            work(memory)
            seconds = time.perf_counter() - start
            assert len(memory.lookup(texts, SOURCE_LANGUAGE, tgt, key)) == len(texts), name
        return seconds

    def local(memory):
        with LocalExecutor(jobs.default_factory) as executor:
            outcome = executor.translate_into_memory(route, texts, tgt, memory, key, args.locale, jobs.CHUNK)
        assert not outcome.failed_batches

    results = [("local (this process)", timed("local", local))]
    ray = import_ray()
    start = time.perf_counter()
    ray.init(num_cpus=args.cpus, include_dashboard=False, runtime_env=ray_runtime_env())
    print(f"ray.init: {time.perf_counter() - start:.1f} s (once per job)", file=sys.stderr)
    for workers in (1, 2):
        executor = RayExecutor(
            workers=workers, cpus_per_worker=max(1, args.cpus // workers), gpus_per_worker=args.gpus_per_worker
        )

        def on_ray(memory, executor=executor):
            outcome = executor.translate_into_memory(route, texts, tgt, memory, key, args.locale, jobs.CHUNK)
            assert not outcome.failed_batches

        what = f"{executor.gpus_per_worker:g} GPU" if executor.gpus_per_worker else f"{executor.cpus_per_worker:g} CPU"
        results.append((f"ray, {workers} worker(s) x {what}", timed(f"ray {workers}", on_ray)))
    ray.shutdown()

    base = results[0][1]
    print(f"{len(texts)} sentences, {route.model_id}, beam {route.legs[0].spec.generation.beam_size}")
    print("| executor | seconds | sentences/s | vs local |")
    print("|---|---|---|---|")
    for name, seconds in results:
        print(f"| {name} | {seconds:.1f} | {len(texts) / seconds:.1f} | {base / seconds:.2f}x |")


if __name__ == "__main__":
    main()
