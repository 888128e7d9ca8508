"""Train a tiny NLLB-architecture model, briefly, to reproduce a handful of sentence pairs.

    python tests/make_trained_model.py OUTDIR

Random models (make_tiny_models.py) exercise the loading and batching code but never say anything
checkable. This one memorises PAIRS (gu→en and gu→zh, with numbers in them), so end-to-end tests
can assert exact catalogue text: 300000 in the source must reach the English catalogue as 300,000
and the Chinese one as 30万 through the real model, tokenizer and pipeline code.

It reuses the tokenizer of the tiny NLLB from make_tiny_models.py (a real sentencepiece model
with the language codes), trains for a few seconds with a fixed seed, checks that greedy decoding
reproduces every pair, and writes OUTDIR/models-trained.yaml routing gu-en and gu-zh to it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

SCRIPT_VERSION = 2
TRAINED_DIR = "nllb-trained"
STAMP = ".trained-model.json"
SEED = 7

# (Gujarati, English, Chinese). The model sees digits as the pipeline feeds them: plain ASCII.
PAIRS = [
    ("દેશભરમાં લગભગ 300000 સમુદાયો બનાવવામાં આવ્યા છે.",
     "About 300000 communities have been built nationwide.", "全国已建成约300000个社区。"),
    ("કુલ 5026 ચોકીઓ બનાવવામાં આવી છે.", "A total of 5026 checkpoints have been built.", "共建成5026个检查站。"),
    ("દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે.", "Every day 740000 police officers patrol.",
     "每天有740000名警察执勤。"),
    ("આ એક નવું વાક્ય છે.", "This is a new sentence.", "这是一个新句子。"),
    ("ગુજરાત ભારતનું એક રાજ્ય છે.", "Gujarat is a state of India.", "古吉拉特邦是印度的一个邦。"),
]
CODES = {"en": "eng_Latn", "zh": "zho_Hans"}


def _builder():
    spec = importlib.util.spec_from_file_location("make_tiny_models", Path(__file__).with_name("make_tiny_models.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_trained_model(outdir: str | Path) -> Path:
    """Build (or reuse) the trained model in `outdir`; returns the path of models-trained.yaml."""
    from filelock import FileLock

    outdir = Path(outdir).resolve()
    tiny = _builder()
    tiny.build_tiny_models(outdir)
    wanted = {"version": SCRIPT_VERSION, "pairs": [list(p) for p in PAIRS], "tiny": tiny._fingerprint()}
    stamp = outdir / STAMP
    with FileLock(str(outdir / ".lock-trained")):
        if not (stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted):
            shutil.rmtree(outdir / TRAINED_DIR, ignore_errors=True)
            _train(outdir / tiny.NLLB_DIR, outdir / TRAINED_DIR)
            stamp.write_text(json.dumps(wanted), encoding="utf-8")
    config = outdir / "models-trained.yaml"
    config.write_text(
        "# Written by tests/make_trained_model.py: a tiny NLLB trained to reproduce a few pairs.\n"
        f"models:\n  trained:\n    family: nllb\n    source: ./{TRAINED_DIR}\n    backend: transformers\n"
        "    generation:\n      beam_size: 1\n      max_length_ratio: 2.0\n      max_length_extra: 8\n"
        "pairs:\n  gu-en: trained\n  gu-zh: trained\n",
        encoding="utf-8",
    )
    return config


def _train(tokenizer_dir: Path, folder: Path) -> None:
    import torch
    from transformers import AutoTokenizer, GenerationConfig, M2M100Config, M2M100ForConditionalGeneration

    torch.manual_seed(SEED)
    tok = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    config = M2M100Config(
        vocab_size=len(tok), d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=128,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, scale_embedding=True,
        bos_token_id=0, pad_token_id=1, eos_token_id=2, decoder_start_token_id=2,
    )
    model = M2M100ForConditionalGeneration(config)
    tok.src_lang = "guj_Gujr"
    examples = []
    for gu, en, zh in PAIRS:
        for lang, target in (("en", en), ("zh", zh)):
            tok.tgt_lang = CODES[lang]
            enc = tok(gu, text_target=target)
            if tok.unk_token_id in enc["input_ids"] + enc["labels"]:
                raise RuntimeError(f"pair has characters the tiny tokenizer lacks: {gu!r} / {target!r}")
            examples.append((enc["input_ids"], enc["labels"]))
    pad = tok.pad_token_id

    def batch(rows, index):
        width = max(len(r[index]) for r in rows)
        fill = pad if index == 0 else -100
        return torch.tensor([r[index] + [fill] * (width - len(r[index])) for r in rows])

    inputs, labels = batch(examples, 0), batch(examples, 1)
    mask = (inputs != pad).long()
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for step in range(400):
        loss = model(input_ids=inputs, attention_mask=mask, labels=labels).loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if loss.item() < 0.01 and step > 50:
            break
    model.eval()
    model.generation_config = GenerationConfig(bos_token_id=0, pad_token_id=1, eos_token_id=2,
                                               decoder_start_token_id=2, max_length=64, num_beams=1)
    _check(model, tok, examples)
    folder.mkdir(parents=True)
    model.save_pretrained(str(folder))
    tok.save_pretrained(str(folder))


def _check(model, tok, examples) -> None:
    import torch

    with torch.inference_mode():
        for source_ids, label_ids in examples:
            out = model.generate(torch.tensor([source_ids]), forced_bos_token_id=label_ids[0], max_new_tokens=40)
            got = tok.decode(out[0], skip_special_tokens=True)
            want = tok.decode(label_ids, skip_special_tokens=True)
            if got != want:
                raise RuntimeError(f"trained model did not learn its pairs: {got!r} != {want!r}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    print(build_trained_model(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
