"""`pipeline serve` under load: throughput and p50/p99 latency, with dynamic batching on and off.

    python bench/serve.py [--json] [--clients 1,8,32] [--rounds 3] [--new-tokens 16] [--data DIR]
    python bench/serve.py --short     # seconds: a small model of the same family, few requests (CI)

Starts the real server (`python -m pipeline serve`, as users start it) on the NLLB-200-distilled-600M
architecture with seeded random weights, built as bench/mt_speed.py builds it (once, cached in
bench/.cache/), with the default backend (`backend: auto`: CTranslate2 int8 on a CPU) and beam 4.
Random weights never stop by themselves, so every sentence gets exactly --new-tokens output tokens.

For each setting, N clients (threads, each its own HTTP connection) send one Gujarati sentence per
request, back to back (a closed loop, as Weblate's editors or a CI job do), for `--rounds` requests
each (at least 8 requests a setting); every request has a sentence of its own, not yet in the translation memory, so every one
goes to the model. Batching on is the default server (`--batch-wait 5`); off is `--no-batching`,
one model call per request. Both servers get the same sentences for the same client count.
Reported: requests per second, p50 and p99 latency, and the server's model calls and mean batch.
"""

from __future__ import annotations

import os
import sys

# bench/numbers.py would shadow the stdlib's `numbers` for every script in bench/: the repository
# root goes first on sys.path instead of this folder.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import importlib.util
import json
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mt_speed():
    spec = importlib.util.spec_from_file_location("mt_speed", ROOT / "bench" / "mt_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Server:
    """`pipeline serve` in a subprocess on a free port; `url` once it listens."""

    def __init__(self, models: Path, workdir: Path, extra: list[str]):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "serve",
                "--models",
                str(models),
                "--port",
                "0",
                "--workdir",
                str(workdir),
                "--max-requests",
                "256",
                "--max-queue",
                "100000",
                "--timeout",
                "3600",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = None
        for line in self.proc.stderr:
            if line.startswith("pipeline serve: http://"):
                self.url = line.split()[2].rstrip("/")
                break
        if self.url is None:
            raise SystemExit(f"the server did not start (exit {self.proc.wait()})")
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # keep the pipe drained

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(120)


def load(url: str, sentences: list[str], clients: int) -> dict:
    """`clients` threads send `sentences` one per request, each taking the next one left."""
    import httpx

    todo = iter(sentences)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def client():
        with httpx.Client(base_url=url, timeout=600) as http:
            while True:
                with lock:
                    text = next(todo, None)
                if text is None:
                    return
                start = time.perf_counter()
                response = http.post("/translate", json={"q": text, "source": "gu", "target": "en"})
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    if response.status_code != 200 or not isinstance(response.json().get("translatedText"), str):
                        failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} request(s) failed, e.g. {failures[0]}")
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "seconds": round(wall, 2),
        "per_second": round(len(latencies) / wall, 2),
        "p50_ms": round(1000 * statistics.median(ordered)),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]),
    }


def health(url: str) -> dict:
    import httpx

    return httpx.get(f"{url}/health").json()


def main(argv: list[str] | None = None) -> int:
    mt = _mt_speed()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--clients", default="1,8,32", help="comma-separated client counts (default: 1,8,32)")
    ap.add_argument("--rounds", type=int, default=3, help="requests per client in each setting (default: 3)")
    ap.add_argument("--new-tokens", type=int, default=16, help="output tokens per sentence")
    ap.add_argument("--modes", default="batching,no batching", help="comma-separated: batching, no batching")
    ap.add_argument("--batch-wait", default="5", help="the server's --batch-wait, milliseconds (default: 5)")
    ap.add_argument("--beam", type=int, default=4, help="beam size (default: 4, as models.yaml)")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "flores200-dev")
    ap.add_argument(
        "--short",
        action="store_true",
        help="a check that the benchmark runs, in seconds: a small NLLB model, the test sample, "
        "1 round, 4 tokens (its figures mean nothing)",
    )
    args = ap.parse_args(argv)
    if args.short:
        args.data, args.rounds, args.new_tokens = mt.SAMPLE, 1, 4
    if not mt.text_file(args.data, "guj_Gujr").is_file():
        sys.exit(f"no FLORES-200 dev data at {args.data} (pass --data DIR with guj_Gujr.dev)")
    counts = [int(c) for c in args.clients.split(",")]

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    mt.CACHE.mkdir(parents=True, exist_ok=True)
    folder = mt.CACHE / ("nllb-short-random" if args.short else "nllb-600m-random")
    log("building the model (once)...")
    mt.build_model(folder, args.data, mt.SHORT if args.short else mt.NLLB_600M)
    models = mt.write_models_file(mt.CACHE / "serve.yaml", folder, args.beam, args.new_tokens, "auto")
    lines = list(dict.fromkeys(mt.text_file(args.data, "guj_Gujr").read_text(encoding="utf-8").splitlines()))
    # Sentences of their own for each client count; the same for both servers.
    sets, used = {}, 1  # line 0 warms each server up
    for clients in counts:
        wanted = max(clients * args.rounds, 1 if args.short else 8)  # a few samples even for one client
        sets[clients] = lines[used : used + wanted]
        used += wanted
    if used > len(lines):
        sys.exit(f"{used} sentences needed, {len(lines)} in {args.data}: lower --rounds or --clients")
    result = {
        "model": "NLLB-200-distilled-600M architecture, random weights" if not args.short else "small NLLB",
        "backend": "auto (CTranslate2 int8 on a CPU)",
        "beam": args.beam,
        "new_tokens": args.new_tokens,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "settings": {},
    }
    modes = {"batching": ["--batch-wait", args.batch_wait], "no batching": ["--no-batching"]}
    for mode, extra in ((m, modes[m]) for m in args.modes.split(",")):
        with tempfile.TemporaryDirectory() as workdir:
            log(f"starting the server ({mode})...")
            server = Server(models, Path(workdir), extra)
            try:
                load(server.url, lines[:1], 1)  # warm-up: the first call sets up the model
                for clients in counts:
                    before = health(server.url)
                    figures = load(server.url, sets[clients], clients)
                    after = health(server.url)
                    calls = after["modelCalls"] - before["modelCalls"]
                    figures["model_calls"] = calls
                    figures["mean_batch"] = round(
                        (after["modelSentences"] - before["modelSentences"]) / max(1, calls), 1
                    )
                    result["settings"][f"{mode}, {clients} clients"] = figures
                    log(f"{mode}, {clients} clients: {figures}")
            finally:
                server.stop()
    for clients in counts:
        on, off = (result["settings"].get(f"{mode}, {clients} clients") for mode in ("batching", "no batching"))
        if on is not None and off is not None:
            on["speedup"] = round(on["per_second"] / off["per_second"], 2)
    result["load_average_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"{result['model']}, {result['backend']}, beam {args.beam}, {args.new_tokens} tokens a sentence, "
            f"{result['cpus']} CPUs (load {result['load_average']:.1f} before, {result['load_average_after']:.1f} after)"
        )
        print(f"{'setting':<26}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'calls':>7}{'batch':>7}{'speed-up':>10}")
        for name, f in result["settings"].items():
            print(
                f"{name:<26}{f['per_second']:>8}{f['p50_ms']:>9}{f['p99_ms']:>9}{f['model_calls']:>7}"
                f"{f['mean_batch']:>7}{f.get('speedup', ''):>10}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
