"""Translation speed on the NLLB-200-distilled-600M architecture, and IndicTrans2-dist-200M's beside
it, as ratios measured in one run.

    python bench/mt_speed.py [--json] [--sentences 64] [--new-tokens 16] [--data DIR]
    python bench/mt_speed.py --short     # seconds: a small model of the same family, 4 sentences (CI)

Builds (once, cached in bench/.cache/) a model with exactly the configuration of
facebook/nllb-200-distilled-600M, random seeded weights (the real weights cannot be downloaded
here), and an NLLB tokenizer trained on the FLORES dev text, then translates the same Gujarati
sentences from ../shared/data/flores200-dev:

- naive:        one sentence at a time, transformers `generate`, float32;
- transformers: the pipeline's transformers backend (dedupe, length-sorted token-budget batches);
- default:      the pipeline's default backend (`backend: auto`, here CTranslate2 int8);
- the alternatives: CTranslate2 int8 with both thread splits, transformers with torch dynamic int8;

at greedy and at beam 4. Random weights never stop by themselves, and the EOS embedding is zeroed
so that no backend stops early: every sentence gets exactly --new-tokens output tokens (fewer
than a real translation, to keep the run to a few minutes; the forced language token counts).
Also measured: the share of a whole `pipeline run` spent outside the model (overhead_share), peak
memory, and how faithful CTranslate2 is on the tiny test models (float32 tokens against
transformers, int8 against float32).

IndicTrans2 (the default gu→en model): the architecture of ai4bharat/indictrans2-indic-en-dist-200M
(fairseq transformer_base18L: 18+18 pre-norm layers, 512 wide, 8 heads, 2048 FFN, layer norm on the
embeddings, GELU, decoder embeddings shared with the output layer; separate source and target
vocabularies) with random seeded weights in the hub's file layout, converted and run by the
pipeline's own IndicTrans2 backend (CTranslate2 int8), on the same sentences with the same number of
output tokens (NLLB's count includes its forced language token). Its sentences/s at greedy and
beam 4, the memory its loaded model adds, and the ratio to the NLLB default are reported as
`indictrans2`.
"""

from __future__ import annotations

import os
import sys

# bench/numbers.py would shadow the stdlib's `numbers` for every script in bench/: the repository
# root goes first on sys.path instead of this folder.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import dataclasses
import gc
import importlib.util
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
CACHE = ROOT / "bench" / ".cache"
os.environ.setdefault("PIPELINE_CT2_CACHE", str(CACHE / "ctranslate2"))

NLLB_600M = dict(  # facebook/nllb-200-distilled-600M config.json
    vocab_size=256206,
    d_model=1024,
    encoder_layers=12,
    decoder_layers=12,
    encoder_attention_heads=16,
    decoder_attention_heads=16,
    encoder_ffn_dim=4096,
    decoder_ffn_dim=4096,
    max_position_embeddings=1024,
    activation_function="relu",
    scale_embedding=True,
    init_std=0.02,
    dropout=0.1,
    attention_dropout=0.1,
    activation_dropout=0.0,
    encoder_layerdrop=0.0,
    decoder_layerdrop=0.0,
    bos_token_id=0,
    pad_token_id=1,
    eos_token_id=2,
    decoder_start_token_id=2,
    tokenizer_class="NllbTokenizer",
)
# --short: the same family and code paths at a size that builds and runs in seconds.
SHORT = dict(
    NLLB_600M,
    d_model=32,
    encoder_layers=1,
    decoder_layers=1,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
)
# ai4bharat/indictrans2-indic-en-dist-200M: transformer_base18L (IndicTrans2 repository, model_configs
# and the distillation scripts); the vocabulary sizes (Indic source, English target) as third-party
# converters of the hub checkpoint use them, not read from the hub's config.json here.
IT2_DIST_200M = dict(
    encoder_embed_dim=512,
    decoder_embed_dim=512,
    encoder_ffn_dim=2048,
    decoder_ffn_dim=2048,
    encoder_layers=18,
    decoder_layers=18,
    encoder_attention_heads=8,
    decoder_attention_heads=8,
)
IT2_VOCABULARY = (122672, 32322)
IT2_SHORT = dict(
    IT2_DIST_200M,
    encoder_embed_dim=32,
    decoder_embed_dim=32,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
    encoder_layers=1,
    decoder_layers=1,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
)
SAMPLE = ROOT / "tests" / "data" / "flores-sample"
SEED = 600
MODES = {"greedy": 1, "beam4": 4}


def _builder():
    spec = importlib.util.spec_from_file_location("make_tiny_models", ROOT / "tests" / "make_tiny_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text_file(data: Path, code: str) -> Path:
    """FLORES-200 dev (`guj_Gujr.dev`) or the sample shipped with the tests (`guj_Gujr.txt`)."""
    dev = data / f"{code}.dev"
    return dev if dev.is_file() else data / f"{code}.txt"


def build_model(folder: Path, data: Path, config: dict = NLLB_600M) -> None:
    """The 600M architecture (or `config`) with seeded random weights and a FLORES-trained
    tokenizer, saved once."""
    if (folder / "model.safetensors").is_file():
        return
    import torch
    from transformers import GenerationConfig, M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    b = _builder()
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".build-"))
    size = 8000 if config is NLLB_600M else 2000
    spm = b._train_spm(tmp / "spm", [text_file(data, c) for c in ("guj_Gujr", "eng_Latn", "zho_Hans")], size)
    (spm).rename(tmp / "sentencepiece.bpe.model")
    tok = NllbTokenizer.from_pretrained(str(tmp), extra_special_tokens=b.NLLB_CODES, src_lang="guj_Gujr")
    b.check_nllb_tokenizer(tok, tmp / "sentencepiece.bpe.model")
    torch.manual_seed(SEED)
    model = M2M100ForConditionalGeneration(M2M100Config(**config)).eval()
    with torch.no_grad():  # no stopping: EOS gets logit 0 against ~N(0, 0.6) for 256k tokens
        model.model.shared.weight[config["eos_token_id"]] = 0.0
    model.generation_config = GenerationConfig(
        bos_token_id=0, pad_token_id=1, eos_token_id=2, decoder_start_token_id=2, max_length=200
    )
    model.save_pretrained(str(tmp))
    tok.save_pretrained(str(tmp))
    os.replace(tmp, folder)


def build_indictrans2(folder: Path, data: Path, short: bool) -> None:
    """The dist-200M architecture (or a small one) with seeded random weights, in the hub's layout, once."""
    if (folder / "model.safetensors").is_file():
        return
    import shutil

    b = _builder()
    helpers = b.load_indictrans2_helpers()
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".build-"))
    try:
        helpers.build_indictrans2(
            tmp / "model",
            tmp,
            b._train_spm,
            text_file(data, "guj_Gujr"),
            text_file(data, "eng_Latn"),
            SEED,
            dims=IT2_SHORT if short else IT2_DIST_200M,
            vocabulary=None if short else IT2_VOCABULARY,
        )
        os.replace(tmp / "model", folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def indictrans2_speed(folder: Path, sentences: list[str], modes: dict, new_tokens: int) -> dict:
    """Sentences/s of the IndicTrans2 backend (CTranslate2 int8) at each mode, and the memory the
    loaded model adds to the process."""
    from pipeline.config import load_config
    from pipeline.mt import load_translator

    path = CACHE / "indictrans2.yaml"
    path.write_text(
        f"models:\n  it2:\n    family: indictrans2\n    source: {folder}\n    generation:\n"
        f"      max_length_ratio: 0.001\n      max_length_extra: {new_tokens - 1}\n      max_input_tokens: 512\n"
        "pairs:\n  gu-en: it2\n",
        encoding="utf-8",
    )
    spec = load_config(path).models["it2"]
    gc.collect()
    before = rss_mb()
    translator = load_translator(spec, device="cpu")
    out = {"model_rss_mb": round(rss_mb() - before), "default_beam": spec.generation.beam_size}
    for mode, beam in modes.items():
        translator.spec = dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, beam_size=beam))
        translator.translate(sentences[-2:], "gu", "en")  # warm-up
        seconds = timed(translator.translate, sentences, "gu", "en")
        out[mode] = {"seconds": round(seconds, 2), "sentences_per_s": round(len(sentences) / seconds, 2)}
        print(
            f"{mode:7} {'indictrans2 (ctranslate2 int8)':32} {out[mode]['sentences_per_s']:7.2f} sentences/s",
            file=sys.stderr,
            flush=True,
        )
    out["rss_mb_after_translating"] = round(rss_mb() - before)
    del translator
    gc.collect()
    return out


def write_models_file(path: Path, model: Path, beam: int, new_tokens: int, backend: str = "auto") -> Path:
    # ratio × (source length rounded up to 8) stays under 1 for any sentence here, so the limit is
    # exactly `new_tokens` for every sentence
    path.write_text(
        f"models:\n  nllb:\n    family: nllb\n    source: {model}\n    backend: {backend}\n"
        f"    generation:\n      beam_size: {beam}\n      max_length_ratio: 0.001\n"
        f"      max_length_extra: {new_tokens - 1}\n      max_input_tokens: 512\npairs:\n  gu-en: nllb\n",
        encoding="utf-8",
    )
    return path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def naive_loop(tok, model, sentences, beam, new_tokens) -> None:
    import torch

    forced = tok.convert_tokens_to_ids("eng_Latn")
    tok.src_lang = "guj_Gujr"
    for sentence in sentences:
        with torch.inference_mode():
            out = model.generate(
                **tok(sentence, return_tensors="pt"),
                num_beams=beam,
                max_new_tokens=new_tokens,
                max_length=None,
                forced_bos_token_id=forced,
            )
        assert out.shape[1] == new_tokens + 1, out.shape  # decoder start + exactly new_tokens


def pipeline_overhead(translator, spec_file: Path, sentences: list[str]) -> dict:
    """A whole `pipeline run` over the sentences as one document, split into model and the rest."""
    from pipeline import jobs
    from pipeline.config import load_config

    spent = []

    class Timed:
        model_id = translator.model_id

        def translate(self, texts, src, tgt, progress=None):
            start = time.perf_counter()
            try:
                return translator.translate(texts, src, tgt, progress)
            finally:
                spent.append(time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "articles" / "flores.gu.txt"
        doc.parent.mkdir()
        doc.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        paths = jobs.Paths(Path(tmp) / ".pipeline", Path(tmp) / "locales", "messages")
        start = time.perf_counter()
        config = load_config(spec_file)
        report = jobs.run_all([str(doc.parent)], ["en"], config, paths, factory=lambda spec: Timed())
        total = time.perf_counter() - start
    model = sum(spent)
    return {
        "seconds": round(total, 2),
        "model_seconds": round(model, 2),
        "segments": report.segments,
        "overhead_share": round((total - model) / total, 4),
    }


def faithfulness(n: int = 24) -> dict:
    """CTranslate2 on the tiny test models: float32 against transformers, int8 against float32."""
    from pipeline.config import load_config
    from pipeline.mt import load_translator

    models = _builder().build_tiny_models(ROOT / "tests" / ".tiny-models-cache")  # the tests' own copy
    lines = (ROOT / "tests/data/flores-sample/guj_Gujr.txt").read_text(encoding="utf-8").splitlines()[:n]
    spec = dataclasses.replace(load_config(models).models["nllb-tiny"], backend="ctranslate2")
    out = {}
    for mode, beam in MODES.items():
        s = dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, beam_size=beam))
        hf = load_translator(dataclasses.replace(s, backend="transformers"), device="cpu")
        f32 = load_translator(dataclasses.replace(s, quantization="float32"), device="cpu")
        i8 = load_translator(dataclasses.replace(s, quantization="int8"), device="cpu")
        ref, a, b = (t.translate(lines, "gu", "en") for t in (hf, f32, i8))
        tok = f32.tokenizer
        agree = [_prefix_share(tok(x).input_ids, tok(y).input_ids) for x, y in zip(a, b)]
        out[mode] = {
            "float32_equals_transformers": sum(x == y for x, y in zip(ref, a)) / n,
            "int8_equals_float32": sum(x == y for x, y in zip(a, b)) / n,
            "int8_float32_common_prefix": round(sum(agree) / n, 4),
        }
    return out


def _prefix_share(x: list[int], y: list[int]) -> float:
    same = 0
    for p, q in zip(x, y):
        if p != q:
            break
        same += 1
    return same / max(len(x), len(y), 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--sentences", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, default=16, help="output tokens per sentence, all backends")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "flores200-dev")
    ap.add_argument("--modes", default="greedy,beam4", help="comma-separated: greedy, beam4")
    ap.add_argument(
        "--short",
        action="store_true",
        help="a check that the benchmark runs, in seconds: a small NLLB model, the test sample, "
        "4 sentences, 4 tokens, greedy (its figures mean nothing)",
    )
    args = ap.parse_args(argv)
    if args.short:
        args.data, args.sentences, args.new_tokens, args.modes = SAMPLE, 4, 4, "greedy"
    if not text_file(args.data, "guj_Gujr").is_file():
        sys.exit(f"no FLORES-200 dev data at {args.data} (pass --data DIR with guj_Gujr.dev)")
    modes = {m: MODES[m] for m in args.modes.split(",")}

    import ctranslate2
    import torch

    from pipeline.config import load_config
    from pipeline.mt import load_translator, resolve_backend
    from pipeline.mt.batching import cpu_count
    from pipeline.mt.ct2 import CT2Translator
    from pipeline.mt.hf import HFTranslator

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / ("nllb-short-random" if args.short else "nllb-600m-random")
    log("building the model (once)...")
    build_model(folder, args.data, SHORT if args.short else NLLB_600M)
    sentences = text_file(args.data, "guj_Gujr").read_text(encoding="utf-8").splitlines()[: args.sentences]
    n, k = len(sentences), args.new_tokens
    it2_folder = CACHE / ("indictrans2-short-random" if args.short else "indictrans2-dist-200m-random")
    log("building the IndicTrans2 model (once)...")
    build_indictrans2(it2_folder, args.data, args.short)
    log("IndicTrans2 (converted once, then timed alone, before anything else is loaded)...")
    it2 = indictrans2_speed(it2_folder, sentences, modes, k)
    result = {
        "sentences": n,
        "new_tokens_per_sentence": k,
        "cores": cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "ctranslate2": ctranslate2.__version__,
        "variants": {},
        "indictrans2": it2,
    }
    load_start = time.perf_counter()
    hf_spec = load_config(write_models_file(CACHE / "hf.yaml", folder, 4, k, "transformers")).models["nllb"]
    hf = HFTranslator(hf_spec, device="cpu")
    tok, model = hf.tokenizer, hf.model
    result["load_seconds_transformers"] = round(time.perf_counter() - load_start, 1)
    log("converting for CTranslate2 (once)...")
    default_file = write_models_file(CACHE / "default.yaml", folder, 4, k)
    default_spec = load_config(default_file).models["nllb"]
    result["default_backend"] = resolve_backend(default_spec)
    default = load_translator(default_spec, device="cpu")
    result["default_threads"] = list(ct2_threads(default)) if isinstance(default, CT2Translator) else None
    dyn = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    translators = {
        "transformers": hf,
        "torch_dynamic_int8": HFTranslator(hf_spec, device="cpu", tokenizer=tok, model=dyn),
    }
    if isinstance(default, CT2Translator):  # both thread splits of the same converted model
        from pipeline.mt import ct2

        inter, intra = ct2_threads(default)
        default_name = f"ctranslate2_int8_inter{inter}_intra{intra}"
        other = CT2Translator(default_spec, device="cpu")
        other.model = ctranslate2.Translator(
            str(ct2.converted_folder(default_spec, "int8")),
            device="cpu",
            compute_type="int8",
            inter_threads=intra,
            intra_threads=inter,
        )
        other.inter_threads = intra
        translators[default_name] = default
        translators[f"ctranslate2_int8_inter{intra}_intra{inter}"] = other
    else:
        default_name = "default"
        translators[default_name] = default
    result["rss_mb_all_loaded"] = round(rss_mb())

    def with_beam(tr, beam):
        gen = dataclasses.replace(tr.spec.generation, beam_size=beam)
        tr.spec = dataclasses.replace(tr.spec, generation=gen)
        return tr

    for mode, beam in modes.items():
        for name in ["naive", *translators]:
            if name == "naive":
                seconds = timed(naive_loop, tok, model, sentences, beam, k)
            else:
                tr = with_beam(translators[name], beam)
                tr.translate(sentences[-2:], "gu", "en")  # warm-up
                seconds = timed(tr.translate, sentences, "gu", "en")
            sps = n / seconds
            result["variants"].setdefault(name, {})[mode] = {
                "seconds": round(seconds, 2),
                "sentences_per_s": round(sps, 2),
                "tokens_per_s": round(sps * k, 1),
            }
            log(f"{mode:7} {name:32} {sps:7.2f} sentences/s  {sps * k:7.1f} tokens/s")
    default_mode = "beam4" if "beam4" in modes else next(iter(modes))
    v = result["variants"]
    result["default_variant"] = default_name
    result["default_mode"] = default_mode
    result["naive_sentences_per_s"] = v["naive"][default_mode]["sentences_per_s"]
    result["transformers_sentences_per_s"] = v["transformers"][default_mode]["sentences_per_s"]
    result["default_sentences_per_s"] = v[default_name][default_mode]["sentences_per_s"]
    result["speedup"] = round(v["naive"][default_mode]["seconds"] / v[default_name][default_mode]["seconds"], 2)
    result["default_is_fastest"] = {
        mode: max(v, key=lambda name: v[name][mode]["sentences_per_s"]) == default_name for mode in modes
    }
    for mode in modes:
        it2[f"ratio_to_nllb_{mode}"] = round(it2[mode]["sentences_per_s"] / v[default_name][mode]["sentences_per_s"], 2)
    log("a whole pipeline run with the default backend...")
    with_beam(default, modes[default_mode])
    result["pipeline_run"] = pipeline_overhead(default, default_file, sentences)
    result["overhead_share"] = result["pipeline_run"]["overhead_share"]
    log("faithfulness on the tiny models...")
    result["faithfulness_tiny_nllb"] = faithfulness(4 if args.short else 24)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{n} sentences x {k} output tokens, {result['cores']} cores; default = {default_name}")
        for name, per_mode in v.items():
            print(f"  {name:34} " + "  ".join(f"{m}: {r['sentences_per_s']:6.2f} sent/s" for m, r in per_mode.items()))
        print(
            "  indictrans2 dist-200M (ctranslate2 int8) "
            + "  ".join(
                f"{m}: {it2[m]['sentences_per_s']:6.2f} sent/s ({it2[f'ratio_to_nllb_{m}']}x NLLB)" for m in modes
            )
            + f"; model adds {it2['model_rss_mb']} MB"
        )
        print(
            f"speedup (default over naive, {default_mode}): {result['speedup']}x; "
            f"overhead share of a pipeline run: {result['overhead_share']:.1%}; peak RSS {result['peak_rss_mb']} MB"
        )
    return 0


def ct2_threads(translator) -> tuple[int, int]:
    from pipeline.mt import ct2
    from pipeline.mt.batching import cpu_count

    return ct2.thread_split(cpu_count())


if __name__ == "__main__":
    sys.exit(main())
