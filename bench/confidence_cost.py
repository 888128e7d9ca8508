"""What scoring each translation (its confidence) costs, as a share of translation time.

    python bench/confidence_cost.py [--json] [--sentences 32] [--new-tokens 16] [--data DIR]
    python bench/confidence_cost.py --short     # seconds: a small model, 4 sentences (CI)

Confidence is the model's own probability of the output it produced, computed by one forced-
decoding pass after generation (pipeline/mt/scoring.py). This times `translate_scored` on the
NLLB-200-distilled-600M architecture that bench/mt_speed.py builds (once, in bench/.cache/; random
seeded weights, every output exactly --new-tokens long), on the transformers backend and on
CTranslate2 int8, greedy and beam 4, and reports the seconds spent in the scoring pass against
the whole call.
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # not bench/numbers.py

import argparse
import dataclasses
import importlib.util
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mt_speed():
    spec = importlib.util.spec_from_file_location("mt_speed", ROOT / "bench" / "mt_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _TimedScoring:
    """Wraps a CTranslate2 translator so that the time spent in score_batch is added up."""

    def __init__(self, model):
        self.model, self.seconds = model, 0.0

    def score_batch(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.model.score_batch(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start

    def __getattr__(self, name):
        return getattr(self.model, name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sentences", type=int, default=32)
    ap.add_argument("--new-tokens", type=int, default=16)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "flores200-dev")
    ap.add_argument(
        "--short",
        action="store_true",
        help="a check that the benchmark runs, in seconds: bench/mt_speed.py's small model, "
        "4 sentences, 4 tokens (its figures mean nothing)",
    )
    args = ap.parse_args(argv)
    speed = _mt_speed()
    if args.short:
        args.data, args.sentences, args.new_tokens = speed.SAMPLE, 4, 4
    if not speed.text_file(args.data, "guj_Gujr").is_file():
        sys.exit(f"no FLORES-200 dev data at {args.data} (pass --data DIR with guj_Gujr.dev)")
    from pipeline.config import load_config
    from pipeline.mt.ct2 import CT2Translator
    from pipeline.mt.hf import HFTranslator

    speed.CACHE.mkdir(parents=True, exist_ok=True)
    folder = speed.CACHE / ("nllb-short-random" if args.short else "nllb-600m-random")
    print("building the model (once)...", file=sys.stderr, flush=True)
    speed.build_model(folder, args.data, speed.SHORT if args.short else speed.NLLB_600M)
    sentences = speed.text_file(args.data, "guj_Gujr").read_text(encoding="utf-8").splitlines()[: args.sentences]
    k = args.new_tokens
    hf = HFTranslator(
        load_config(speed.write_models_file(speed.CACHE / "hf.yaml", folder, 1, k, "transformers")).models["nllb"],
        device="cpu",
    )
    ct = CT2Translator(
        load_config(speed.write_models_file(speed.CACHE / "ct2.yaml", folder, 1, k, "ctranslate2")).models["nllb"],
        device="cpu",
    )
    hf_scoring = {"seconds": 0.0}
    real_score = hf._score

    def timed_score(*a, **kw):
        start = time.perf_counter()
        try:
            return real_score(*a, **kw)
        finally:
            hf_scoring["seconds"] += time.perf_counter() - start

    hf._score = timed_score
    ct.model = _TimedScoring(ct.model)
    rows = {}
    for beam in (1, 4):
        for name, tr in (("transformers", hf), ("ctranslate2_int8", ct)):
            tr.spec = dataclasses.replace(tr.spec, generation=dataclasses.replace(tr.spec.generation, beam_size=beam))
            hf_scoring["seconds"], ct.model.seconds = 0.0, 0.0
            start = time.perf_counter()
            out = tr.translate_scored(sentences, "gu", "en")
            total = time.perf_counter() - start
            assert all(s.confidence is not None for s in out)
            scoring = hf_scoring["seconds"] if name == "transformers" else ct.model.seconds
            rows[f"{name}_beam{beam}"] = {
                "seconds": round(total, 2),
                "scoring_seconds": round(scoring, 2),
                "scoring_share": round(scoring / total, 3),
            }
    result = {"sentences": len(sentences), "new_tokens": k, "cores": os.cpu_count(), "variants": rows}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{len(sentences)} sentences × {k} tokens, NLLB-600M architecture, CPU")
        for name, row in rows.items():
            print(
                f"{name:24} {row['seconds']:7.2f} s   scoring {row['scoring_seconds']:6.2f} s"
                f"   = {100 * row['scoring_share']:.1f}% of the call"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
