"""Build tiny random NLLB, M2M100, Marian, MADLAD-400 (T5) and IndicTrans2 models for tests, with no network.

    python tests/make_tiny_models.py OUTDIR

writes OUTDIR/{nllb-tiny,m2m100-tiny,marian-gu-en-tiny,marian-en-zh-tiny,madlad-tiny}/ (each
loadable with `from_pretrained`), OUTDIR/indictrans2-tiny/ (in the hub's file layout of
ai4bharat/indictrans2-indic-en-dist-200M, see `build_indictrans2` in tiny_indictrans2.py) and models
files in the format `pipeline/config.py` reads:

- OUTDIR/models.yaml          gu-en and gu-zh -> nllb-tiny (the other models defined, unrouted)
- OUTDIR/models-m2m100.yaml   gu-en and gu-zh -> m2m100-tiny
- OUTDIR/models-marian.yaml   gu-en -> marian-gu-en-tiny
- OUTDIR/models-madlad.yaml   gu-en and gu-zh -> madlad-tiny (the target as a `<2xx>` token)
- OUTDIR/models-pivot.yaml    gu-en -> madlad-tiny; gu-zh -> madlad-tiny, then marian-en-zh-tiny
                              (a multi-target OPUS-MT-like model: `>>cmn_Hans<<`, `>>cmn_Hant<<`)
- OUTDIR/models-indictrans2.yaml  gu-en -> indictrans2-tiny; gu-zh -> indictrans2-tiny, then
                              marian-en-zh-tiny (the default routes' shape)

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

SCRIPT_VERSION = 3
DATA = Path(__file__).resolve().parent / "data" / "flores-sample"
TEXT = {"gu": DATA / "guj_Gujr.txt", "en": DATA / "eng_Latn.txt", "zh": DATA / "zho_Hans.txt"}
NLLB_CODES = ["guj_Gujr", "eng_Latn", "zho_Hans", "zho_Hant"]
MADLAD_CODES = ["<2gu>", "<2en>", "<2zh>", "<2zh_Hant>"]  # as in MADLAD-400's vocabulary
MARIAN_ZH_CODES = [">>cmn_Hans<<", ">>cmn_Hant<<"]  # as in opus-mt-en-zh's vocabulary
NLLB_DIR, M2M_DIR, MARIAN_DIR = "nllb-tiny", "m2m100-tiny", "marian-gu-en-tiny"
MARIAN_ZH_DIR, MADLAD_DIR, IT2_DIR = "marian-en-zh-tiny", "madlad-tiny", "indictrans2-tiny"
# Traditional Chinese for the en→zh target vocabulary (the FLORES sample is Simplified); the
# trained pivot in make_trained_model.py writes these.
TRADITIONAL = [
    "全國已建成約300000個社區。",
    "共建成5026個檢查站。",
    "每天有740000名警察執勤。",
    "這是一個新句子。",
    "古吉拉特邦是印度的一個邦。",
    "詳情見[1]。",
]
STAMP = ".tiny-models.json"
SEED = 1234
DIMS = dict(
    d_model=32,
    encoder_layers=1,
    decoder_layers=1,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
    max_position_embeddings=512,
    init_std=0.3,
    dropout=0.0,
    attention_dropout=0.0,
    activation_dropout=0.0,
)
GUJARATI_PROBE = "ગુજરાત ભારતનું એક રાજ્ય છે."


# Everything that shapes the models besides this script and its data: a cache built under other
# releases is rebuilt, so every machine tests what its own packages build.
SHAPING_PACKAGES = ("transformers", "tokenizers", "sentencepiece", "torch", "ctranslate2")


def _fingerprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(f"v{SCRIPT_VERSION}".encode())
    h.update(Path(__file__).read_bytes())
    h.update((Path(__file__).parent / "tiny_indictrans2.py").read_bytes())
    for path in TEXT.values():
        h.update(path.read_bytes())
    for name in SHAPING_PACKAGES:
        try:
            h.update(f"{name}=={version(name)}".encode())
        except PackageNotFoundError:
            h.update(f"{name} absent".encode())
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
        for name in (NLLB_DIR, M2M_DIR, MARIAN_DIR, MARIAN_ZH_DIR, MADLAD_DIR, IT2_DIR, "spm"):
            shutil.rmtree(outdir / name, ignore_errors=True)
        _build(outdir)
        stamp.write_text(json.dumps(wanted))
    return outdir / "models.yaml"


def load_indictrans2_helpers():
    """tests/tiny_indictrans2.py (the IndicTrans2 builder and its torch reference) as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tiny_indictrans2", Path(__file__).with_name("tiny_indictrans2.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(outdir: Path) -> None:
    import torch

    torch.manual_seed(SEED)
    work = outdir / "spm"
    work.mkdir()
    joint = _train_spm(work / "joint", [TEXT["gu"], TEXT["en"], TEXT["zh"]], 2000)
    _build_nllb(outdir / NLLB_DIR, joint)
    _build_m2m100(outdir / M2M_DIR, joint)
    _build_marian(
        outdir / MARIAN_DIR, _train_spm(work / "gu", [TEXT["gu"]], 800), _train_spm(work / "en", [TEXT["en"]], 600)
    )
    zh = _train_spm(work / "zh", [TEXT["zh"]], 2000, extra_lines=TRADITIONAL + ["详情见[1]。"], coverage=1.0)
    _build_marian(
        outdir / MARIAN_ZH_DIR,
        _train_spm(work / "en", [TEXT["en"]], 600),
        zh,
        codes=MARIAN_ZH_CODES,
        languages=("eng", "zho"),
    )
    _build_madlad(
        outdir / MADLAD_DIR,
        _train_spm(
            work / "madlad",
            [TEXT["gu"], TEXT["en"], TEXT["zh"]],
            2000,
            ids=dict(unk_id=2, bos_id=-1, eos_id=1, pad_id=0),
            user_defined_symbols=MADLAD_CODES,
        ),
    )
    load_indictrans2_helpers().build_indictrans2(outdir / IT2_DIR, work, _train_spm, TEXT["gu"], TEXT["en"], SEED)
    shutil.rmtree(work)
    _write_models_files(outdir)


def _train_spm(
    path: Path, files: list[Path], vocab_size: int, *, extra_lines=(), coverage=0.9995, ids=None, **options
) -> Path:
    """A BPE sentencepiece model; trained from an iterator so the file records no paths (same bytes
    wherever it is built)."""
    import io

    import sentencepiece as spm

    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines += list(extra_lines)
    model = io.BytesIO()
    spm.set_random_generator_seed(SEED)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="bpe",
        character_coverage=coverage,
        num_threads=1,
        shuffle_input_sentence=False,
        minloglevel=2,
        **(ids or dict(unk_id=0, bos_id=1, eos_id=2, pad_id=-1)),
        **options,
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
    config = M2M100Config(
        vocab_size=len(tok),
        **DIMS,
        scale_embedding=True,
        tie_word_embeddings=False,
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
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
    config = M2M100Config(
        vocab_size=size,
        **DIMS,
        scale_embedding=True,
        tie_word_embeddings=False,
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
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


def _build_marian(folder: Path, src_spm: Path, tgt_spm: Path, codes=(), languages=("guj", "eng")) -> None:
    """A Marian model; `codes` are target-language tokens (`>>cmn_Hant<<`) of a multi-target one."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir()
    vocab = {"</s>": 0, "<unk>": 1}
    vocab.update({code: 2 + i for i, code in enumerate(codes)})
    for path in (src_spm, tgt_spm):
        sp = _sp(path)
        for i in range(3, sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    shutil.copy(src_spm, folder / "source.spm")
    shutil.copy(tgt_spm, folder / "target.spm")
    tok = MarianTokenizer(
        str(folder / "source.spm"),
        str(folder / "target.spm"),
        str(folder / "vocab.json"),
        source_lang=languages[0],
        target_lang=languages[1],
    )
    probe = f"{codes[-1]} Gujarat is a state of India." if codes else GUJARATI_PROBE
    enc = tok(probe).input_ids
    assert len(tok) == len(vocab) and enc[-1] == 0 and tok.unk_token_id not in enc, enc
    assert not codes or (enc[0] == vocab[codes[-1]] and set(tok.supported_language_codes) == set(codes)), enc
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        **DIMS,
        scale_embedding=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
    )
    model = MarianMTModel(config)
    with _no_grad():
        model.final_logits_bias[0, [0, 1, pad, *[vocab[c] for c in codes]]] = -30.0  # never </s>, <unk>, <pad>, codes
    _save(model, tok, folder, bos=None, pad=pad, eos=0, start=pad, bad_words_ids=[[pad]])


# --- MADLAD-400 (T5) --------------------------------------------------------------------------


def _build_madlad(folder: Path, spm_path: Path) -> None:
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir()
    shutil.copy(spm_path, folder / "spiece.model")
    tok = T5Tokenizer.from_pretrained(str(folder), extra_ids=0)
    check_madlad_tokenizer(tok, spm_path)
    config = T5Config(
        vocab_size=len(tok),
        d_model=32,
        d_kv=16,
        d_ff=64,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        relative_attention_num_buckets=8,
        feed_forward_proj="gated-gelu",
        dropout_rate=0.0,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    model = T5ForConditionalGeneration(config)
    # never generated: EOS, <unk> and the language codes (<pad> starts decoding, so it cannot be
    # told apart this way; decoding drops it anyway)
    special = [i for i in range(len(tok)) if i in (1, 2) or tok.convert_ids_to_tokens(i) in MADLAD_CODES]
    with _no_grad():
        # transformers 5 always ties T5's output layer to its embeddings, and T5 has no biases.
        # Feature 0 of every embedding is +1, or -1 for `special`; no decoder layer changes it
        # (their output rows for it are zero), so the decoder state keeps a positive feature 0,
        # which a large final-norm weight turns into logits well below the others for `special`.
        # Cross-attention is scaled up so that the output depends on the source sentence rather
        # than mostly on the previous token (which tied embeddings favour).
        model.shared.weight[:, 0] = 1.0
        model.shared.weight[special, 0] = -1.0
        for block in model.decoder.block:
            block.layer[0].SelfAttention.o.weight[0, :] = 0.0
            block.layer[1].EncDecAttention.o.weight.mul_(30.0)
            block.layer[1].EncDecAttention.o.weight[0, :] = 0.0
            block.layer[2].DenseReluDense.wo.weight[0, :] = 0.0
        model.decoder.final_layer_norm.weight[0] = 30.0
    _save(model, tok, folder, bos=None, pad=0, eos=1, start=0)


def check_madlad_tokenizer(tok, spm_path: Path) -> None:
    """The tokenizer has the sentencepiece pieces and the `<2xx>` codes as single tokens, and
    encodes a sentence as the pieces and the end token. How it encodes `<2en> ` written as text
    varies between transformers releases; the pipeline never asks it to (it prepends the id)."""
    sp = _sp(spm_path)
    assert len(tok) == sp.get_piece_size(), (len(tok), sp.get_piece_size())
    ids = tok.convert_tokens_to_ids(MADLAD_CODES)
    assert ids == [sp.piece_to_id(c) for c in MADLAD_CODES] and tok.unk_token_id not in ids, ids
    enc = tok(GUJARATI_PROBE).input_ids
    assert enc[:-1] == sp.encode(GUJARATI_PROBE) and enc[-1] == tok.eos_token_id, enc


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
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=start,
        max_length=32,
        num_beams=1,
        **extra,
    )
    model.save_pretrained(str(folder))
    tok.save_pretrained(str(folder))


def _write_models_files(outdir: Path) -> None:
    header = f"# Written by tests/make_tiny_models.py (version {SCRIPT_VERSION}): tiny random models for tests.\n"
    generation = (
        "    backend: transformers\n    generation:\n      beam_size: 2\n"
        "      max_length_ratio: 1.0\n      max_length_extra: 4\n"
        "      max_input_tokens: 64\n      batch_tokens: 256\n"
    )
    licences = {
        NLLB_DIR: "CC-BY-NC-4.0",
        M2M_DIR: "MIT",
        MARIAN_DIR: "CC-BY-4.0",
        MARIAN_ZH_DIR: "CC-BY-4.0",
        MADLAD_DIR: "Apache-2.0",
    }  # those of the real models each one stands for
    models = "models:\n" + "".join(
        f"  {name}:\n    family: {family}\n    source: ./{name}\n    licence: {licences[name]}\n" + generation
        for name, family in (
            (NLLB_DIR, "nllb"),
            (M2M_DIR, "m2m100"),
            (MARIAN_DIR, "marian"),
            (MARIAN_ZH_DIR, "marian"),
            (MADLAD_DIR, "madlad"),
        )
    )
    for filename, pairs in (
        ("models.yaml", {"gu-en": NLLB_DIR, "gu-zh": NLLB_DIR}),
        ("models-m2m100.yaml", {"gu-en": M2M_DIR, "gu-zh": M2M_DIR}),
        ("models-marian.yaml", {"gu-en": MARIAN_DIR}),
        ("models-madlad.yaml", {"gu-en": MADLAD_DIR, "gu-zh": MADLAD_DIR}),
        ("models-pivot.yaml", {"gu-en": MADLAD_DIR, "gu-zh": f"[{MADLAD_DIR}, {MARIAN_ZH_DIR}]"}),
    ):
        routed = "pairs:\n" + "".join(f"  {pair}: {name}\n" for pair, name in pairs.items())
        (outdir / filename).write_text(header + models + routed, encoding="utf-8")
    # IndicTrans2 runs on CTranslate2 only; beam 1 so tests can hold it to a greedy reference.
    it2 = (
        f"  {IT2_DIR}:\n    family: indictrans2\n    source: ./{IT2_DIR}\n    licence: MIT\n"
        "    generation:\n      beam_size: 1\n      max_length_ratio: 1.0\n      max_length_extra: 4\n"
        "      max_input_tokens: 64\n      batch_tokens: 256\n"
    )
    zh = models[models.index(f"  {MARIAN_ZH_DIR}:") : models.index(f"  {MADLAD_DIR}:")]
    (outdir / "models-indictrans2.yaml").write_text(
        header + "models:\n" + it2 + zh + f"pairs:\n  gu-en: {IT2_DIR}\n  gu-zh: [{IT2_DIR}, {MARIAN_ZH_DIR}]\n",
        encoding="utf-8",
    )


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
