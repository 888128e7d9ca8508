"""Build tiny random NLLB, M2M100 and Marian models for tests, with no network.

    python tests/make_tiny_models.py OUTDIR

writes OUTDIR/{nllb-tiny,m2m100-tiny,marian-gu-en-tiny}/ (each loadable with `from_pretrained`)
and three models files in the format `pipeline/config.py` reads:

- OUTDIR/models.yaml          gu-en and gu-zh -> nllb-tiny (the other two models defined, unrouted)
- OUTDIR/models-m2m100.yaml   gu-en and gu-zh -> m2m100-tiny
- OUTDIR/models-marian.yaml   gu-en -> marian-gu-en-tiny

Tokenizers are real sentencepiece BPE models trained (deterministically, well under a second) on
the FLORES-200 sample in tests/data/flores-sample/. Weights are random (seeded), so translations are
gibberish; the output layer is biased away from special tokens (and EOS) so that every
translation is a non-empty run of ordinary pieces, whatever the seed.

Idempotent: a stamp holding SCRIPT_VERSION and a hash of this script and its training text is
written last; when it matches, nothing is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

SCRIPT_VERSION = 1
DATA = Path(__file__).resolve().parent / "data" / "flores-sample"
TEXT = {"gu": DATA / "guj_Gujr.txt", "en": DATA / "eng_Latn.txt", "zh": DATA / "zho_Hans.txt"}
NLLB_CODES = ["guj_Gujr", "eng_Latn", "zho_Hans"]
NLLB_DIR, M2M_DIR, MARIAN_DIR = "nllb-tiny", "m2m100-tiny", "marian-gu-en-tiny"
STAMP = ".tiny-models.json"
SEED = 1234
DIMS = dict(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
            max_position_embeddings=512, init_std=0.3, dropout=0.0, attention_dropout=0.0, activation_dropout=0.0)
GUJARATI_PROBE = "ગુજરાત ભારતનું એક રાજ્ય છે."


def _fingerprint() -> str:
    h = hashlib.sha256(f"v{SCRIPT_VERSION}".encode())
    h.update(Path(__file__).read_bytes())
    for path in TEXT.values():
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build_tiny_models(outdir: str | Path) -> Path:
    """Build (or reuse) the tiny models in `outdir`; returns the path of models.yaml."""
    from filelock import FileLock

    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / ".gitignore").write_text("*\n")  # a cache: never committed
    stamp = outdir / STAMP
    with FileLock(str(outdir / ".lock")):
        wanted = {"version": SCRIPT_VERSION, "fingerprint": _fingerprint()}
        if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
            return outdir / "models.yaml"
        stamp.unlink(missing_ok=True)
        for name in (NLLB_DIR, M2M_DIR, MARIAN_DIR, "spm"):
            shutil.rmtree(outdir / name, ignore_errors=True)
        _build(outdir)
        stamp.write_text(json.dumps(wanted))
    return outdir / "models.yaml"


def _build(outdir: Path) -> None:
    import torch

    torch.manual_seed(SEED)
    work = outdir / "spm"
    work.mkdir()
    joint = _train_spm(work / "joint", [TEXT["gu"], TEXT["en"], TEXT["zh"]], 2000)
    _build_nllb(outdir / NLLB_DIR, joint)
    _build_m2m100(outdir / M2M_DIR, joint)
    _build_marian(outdir / MARIAN_DIR, _train_spm(work / "gu", [TEXT["gu"]], 800),
                  _train_spm(work / "en", [TEXT["en"]], 600))
    shutil.rmtree(work)
    _write_models_files(outdir)


def _train_spm(path: Path, files: list[Path], vocab_size: int) -> Path:
    """A BPE sentencepiece model; trained from an iterator so the file records no paths (same bytes
    wherever it is built)."""
    import io

    import sentencepiece as spm

    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = io.BytesIO()
    spm.set_random_generator_seed(SEED)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size, model_type="bpe",
        character_coverage=0.9995, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=1,
        shuffle_input_sentence=False, minloglevel=2,
    )
    path = path.with_suffix(".model")
    path.write_bytes(model.getvalue())
    return path


def _sp(path: Path):
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_file=str(path))


# --- NLLB ------------------------------------------------------------------------------------

def _build_nllb(folder: Path, spm_path: Path) -> None:
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    folder.mkdir()
    shutil.copy(spm_path, folder / "sentencepiece.bpe.model")
    # transformers 5: NllbTokenizer(vocab_file=...) ignores the file (4 tokens, all <unk>), and a
    # folder with only sentencepiece.bpe.model loads the pieces but none of the language codes
    # (they become <unk>). from_pretrained on the folder, naming the codes, gets both.
    tok = NllbTokenizer.from_pretrained(str(folder), extra_special_tokens=NLLB_CODES, src_lang="guj_Gujr")
    check_nllb_tokenizer(tok, spm_path)
    config = M2M100Config(vocab_size=len(tok), **DIMS, scale_embedding=True, tie_word_embeddings=False,
                          bos_token_id=0, pad_token_id=1, eos_token_id=2, decoder_start_token_id=2)
    model = M2M100ForConditionalGeneration(config)
    _steer(model.lm_head.weight, model.model.decoder.layer_norm, _special_ids(tok, len(tok), _sp(spm_path), 1))
    _save(model, tok, folder, bos=0, pad=1, eos=2, start=2)


def check_nllb_tokenizer(tok, spm_path: Path) -> None:
    """The tokenizer really uses the sentencepiece pieces and has the three language codes."""
    sp = _sp(spm_path)
    # fairseq layout: <s> <pad> </s> <unk>, the pieces after sentencepiece's own three, <mask>, codes
    expected = 4 + (sp.get_piece_size() - 3) + 1 + len(NLLB_CODES)
    assert len(tok) == expected, f"NLLB tokenizer has {len(tok)} tokens, expected {expected}"
    ids = tok.convert_tokens_to_ids(NLLB_CODES)
    assert len(set(ids)) == len(NLLB_CODES) and tok.unk_token_id not in ids, f"language codes missing: {ids}"
    tok.src_lang = "guj_Gujr"
    enc = tok(GUJARATI_PROBE).input_ids
    assert enc[0] == ids[0] and enc[-1] == tok.eos_token_id, enc
    assert tok.unk_token_id not in enc, f"Gujarati tokenizes to <unk>: {tok.convert_ids_to_tokens(enc)}"
    assert enc[1:-1] == [i + 1 for i in sp.encode(GUJARATI_PROBE)], "pieces differ from sentencepiece"


# --- M2M100 ----------------------------------------------------------------------------------

def _build_m2m100(folder: Path, spm_path: Path) -> None:
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder.mkdir()
    sp = _sp(spm_path)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(3, sp.get_piece_size()):
        vocab[sp.id_to_piece(i)] = len(vocab)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    shutil.copy(spm_path, folder / "sentencepiece.bpe.model")
    tok = M2M100Tokenizer(str(vocab_file), str(folder / "sentencepiece.bpe.model"), src_lang="gu", tgt_lang="en")
    check_m2m100_tokenizer(tok, sp)
    # transformers 5 does not count the __xx__ language tokens in len(tok) (nor treat them as
    # special when decoding): they sit after the pieces, followed by the "madeup words".
    size = max(tok.lang_token_to_id.values()) + 1 + tok.num_madeup_words
    config = M2M100Config(vocab_size=size, **DIMS, scale_embedding=True, tie_word_embeddings=False,
                          bos_token_id=0, pad_token_id=1, eos_token_id=2, decoder_start_token_id=2)
    model = M2M100ForConditionalGeneration(config)
    _steer(model.lm_head.weight, model.model.decoder.layer_norm, _special_ids(tok, size, sp, 1))
    _save(model, tok, folder, bos=0, pad=1, eos=2, start=2)


def check_m2m100_tokenizer(tok, sp) -> None:
    ids = [tok.get_lang_id(code) for code in ("gu", "en", "zh")]
    assert len(set(ids)) == 3 and min(ids) >= sp.get_piece_size() + 1, ids
    assert tok.vocab_size == sp.get_piece_size() + 1 and len(tok.lang_token_to_id) == 100, tok.vocab_size
    tok.src_lang = "gu"
    enc = tok(GUJARATI_PROBE).input_ids
    assert enc[0] == ids[0] and enc[-1] == tok.eos_token_id and tok.unk_token_id not in enc, enc


# --- Marian ----------------------------------------------------------------------------------

def _build_marian(folder: Path, src_spm: Path, tgt_spm: Path) -> None:
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir()
    vocab = {"</s>": 0, "<unk>": 1}
    for path in (src_spm, tgt_spm):
        sp = _sp(path)
        for i in range(3, sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    shutil.copy(src_spm, folder / "source.spm")
    shutil.copy(tgt_spm, folder / "target.spm")
    tok = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                          source_lang="guj", target_lang="eng")
    enc = tok(GUJARATI_PROBE).input_ids
    assert len(tok) == len(vocab) and enc[-1] == 0 and tok.unk_token_id not in enc, enc
    pad = vocab["<pad>"]
    config = MarianConfig(vocab_size=len(vocab), **DIMS, scale_embedding=True, pad_token_id=pad,
                          eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
                          share_encoder_decoder_embeddings=True)
    model = MarianMTModel(config)
    with _no_grad():
        model.final_logits_bias[0, [0, 1, pad]] = -30.0  # never </s>, <unk> or <pad>
    _save(model, tok, folder, bos=None, pad=pad, eos=0, start=pad, bad_words_ids=[[pad]])


# --- shared ----------------------------------------------------------------------------------

def _no_grad():
    import torch

    return torch.no_grad()


def _special_ids(tok, size: int, sp, offset: int) -> list[int]:
    """Ids that must never be generated: everything but ordinary pieces (EOS included)."""
    ordinary = {i + offset for i in range(3, sp.get_piece_size())} - set(tok.all_special_ids)
    return [i for i in range(size) if i not in ordinary]


def _steer(lm_head_weight, final_norm, special: list[int]) -> None:
    """Give the decoder a constant output feature that pushes `special` logits to -30."""
    with _no_grad():
        final_norm.weight[0] = 0.0
        final_norm.bias[0] = 1.0
        lm_head_weight[:, 0] = 0.0
        lm_head_weight[special, 0] = -30.0


def _save(model, tok, folder: Path, *, bos, pad, eos, start, **extra) -> None:
    from transformers import GenerationConfig

    model.eval()
    # Small limits so a random model stops; the translator sets max_new_tokens itself.
    model.generation_config = GenerationConfig(bos_token_id=bos, pad_token_id=pad, eos_token_id=eos,
                                               decoder_start_token_id=start, max_length=32, num_beams=1, **extra)
    model.save_pretrained(str(folder))
    tok.save_pretrained(str(folder))


def _write_models_files(outdir: Path) -> None:
    header = f"# Written by tests/make_tiny_models.py (version {SCRIPT_VERSION}): tiny random models for tests.\n"
    generation = ("    backend: transformers\n    generation:\n      beam_size: 2\n"
                  "      max_length_ratio: 1.0\n      max_length_extra: 4\n"
                  "      max_input_tokens: 64\n      batch_tokens: 256\n")
    models = "models:\n" + "".join(
        f"  {name}:\n    family: {family}\n    source: ./{name}\n" + generation
        for name, family in ((NLLB_DIR, "nllb"), (M2M_DIR, "m2m100"), (MARIAN_DIR, "marian"))
    )
    for filename, pairs in (
        ("models.yaml", {"gu-en": NLLB_DIR, "gu-zh": NLLB_DIR}),
        ("models-m2m100.yaml", {"gu-en": M2M_DIR, "gu-zh": M2M_DIR}),
        ("models-marian.yaml", {"gu-en": MARIAN_DIR}),
    ):
        routed = "pairs:\n" + "".join(f"  {pair}: {name}\n" for pair, name in pairs.items())
        (outdir / filename).write_text(header + models + routed, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/make_tiny_models.py OUTDIR", file=sys.stderr)
        return 2
    start = time.perf_counter()
    path = build_tiny_models(argv[0])
    print(f"{path} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
