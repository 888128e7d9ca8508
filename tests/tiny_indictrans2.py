"""A tiny random IndicTrans2 checkpoint in the hub's file layout, and a plain torch forward pass of
it to hold our CTranslate2 conversion to.

The layout and names are those of ai4bharat/indictrans2-indic-en-dist-200M: `config.json`
(`IndicTransConfig` keys, `auto_map` to the remote code we never run), `model.safetensors` under
the parameter names of the hub's `modeling_indictrans.py` (`model.encoder.embed_tokens.weight`,
`model.encoder.layers.0.self_attn.q_proj.weight`, `model.encoder.layernorm_embedding.weight`,
`lm_head.weight`, ...), `dict.SRC.json` / `dict.TGT.json` (token → id, fairseq's four special tokens
first, then the language tags and the pieces), `model.SRC` / `model.TGT` (SentencePiece; the source
one trained on the Gujarati text converted to Devanagari, as IndicTrans2's was) and
`tokenizer_config.json`. The architecture is the distilled models' (fairseq transformer_base18L:
pre-norm, layer norm on the embeddings, GELU, decoder input and output embeddings shared), shrunk.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

TAGS = ["asm_Beng", "ben_Beng", "eng_Latn", "guj_Gujr", "hin_Deva"]  # a few of the 30-odd real ones
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
CONFIG = {
    "architectures": ["IndicTransForConditionalGeneration"],
    "auto_map": {
        "AutoConfig": "configuration_indictrans.IndicTransConfig",
        "AutoModelForSeq2SeqLM": "modeling_indictrans.IndicTransForConditionalGeneration",
    },
    "model_type": "IndicTrans",
    "tokenizer_class": "IndicTransTokenizer",
    "activation_function": "gelu",
    "activation_dropout": 0.0,
    "attention_dropout": 0.0,
    "dropout": 0.2,
    "encoder_embed_dim": 32,
    "decoder_embed_dim": 32,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_layerdrop": 0.0,
    "decoder_layerdrop": 0.0,
    "encoder_normalize_before": True,
    "decoder_normalize_before": True,
    "layernorm_embedding": True,
    "share_decoder_input_output_embed": True,
    "scale_embedding": True,
    "max_source_positions": 256,
    "max_target_positions": 256,
    "init_std": 0.02,
    "bos_token_id": 0,
    "pad_token_id": 1,
    "eos_token_id": 2,
    "decoder_start_token_id": 2,
    "is_encoder_decoder": True,
    "use_cache": True,
    "torch_dtype": "float32",
}
TOKENIZER_CONFIG = {
    "auto_map": {"AutoTokenizer": ["tokenization_indictrans.IndicTransTokenizer", None]},
    "tokenizer_class": "IndicTransTokenizer",
    "bos_token": "<s>",
    "eos_token": "</s>",
    "pad_token": "<pad>",
    "unk_token": "<unk>",
    "do_lower_case": False,
    "model_max_length": 256,
    "clean_up_tokenization_spaces": True,
}
STD = 0.3


def build_indictrans2(
    folder: Path,
    work: Path,
    train_spm,
    gujarati: Path,
    english: Path,
    seed: int,
    dims: dict | None = None,
    vocabulary: tuple[int, int] | None = None,
) -> None:
    """Write the checkpoint into `folder` (`train_spm` is make_tiny_models' SentencePiece trainer).
    bench/mt_speed.py passes the real models' `dims` and (source, target) `vocabulary` sizes: the
    dictionaries are then filled up to them with unused entries, as fairseq pads its own."""
    import numpy as np
    import sentencepiece as spm
    from indicnlp.transliterate.unicode_transliterate import UnicodeIndicTransliterator
    from safetensors.numpy import save_file

    folder.mkdir()
    devanagari = work / "gu-deva.txt"
    devanagari.write_text(
        "\n".join(
            UnicodeIndicTransliterator.transliterate(line, "gu", "hi")
            for line in gujarati.read_text(encoding="utf-8").splitlines()
        ),
        encoding="utf-8",
    )
    (folder / "model.SRC").write_bytes(train_spm(work / "it2-src", [devanagari], 700).read_bytes())
    (folder / "model.TGT").write_bytes(train_spm(work / "it2-tgt", [english], 500).read_bytes())
    dictionaries = {}
    for side, tags in (("SRC", TAGS), ("TGT", [])):
        sp = spm.SentencePieceProcessor(model_file=str(folder / f"model.{side}"))
        pieces = [
            sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not sp.is_control(i) and not sp.is_unknown(i)
        ]
        tokens = SPECIALS + tags + pieces
        wanted = vocabulary[0 if side == "SRC" else 1] if vocabulary else len(tokens)
        tokens += [f"madeupword{i:06d}" for i in range(wanted - len(tokens))]
        dictionaries[side] = tokens
        (folder / f"dict.{side}.json").write_text(
            json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    config = dict(
        CONFIG, **(dims or {}), encoder_vocab_size=len(dictionaries["SRC"]), decoder_vocab_size=len(dictionaries["TGT"])
    )
    (folder / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2), encoding="utf-8")
    rng = np.random.default_rng(seed)
    weights = random_weights(config, rng)
    # Keep the random decoder off special tokens and </s>, so every output is ordinary pieces: a
    # constant feature (final layer norm) that the output layer turns into -30 for those rows.
    weights["model.decoder.layer_norm.weight"][0] = 0.0
    weights["model.decoder.layer_norm.bias"][0] = 1.0
    output = weights["model.decoder.embed_tokens.weight"]
    output[:, 0] = 0.0
    output[: len(SPECIALS), 0] = -30.0
    weights["lm_head.weight"] = output.copy()  # tied: the same matrix under both names
    save_file(weights, str(folder / "model.safetensors"), metadata={"format": "pt"})


def random_weights(config: dict, rng) -> dict:
    import numpy as np

    dim = config["encoder_embed_dim"]

    def matrix(*shape):
        return (rng.standard_normal(shape) * STD).astype(np.float32)

    def norm(out: dict, name: str) -> None:
        out[f"{name}.weight"] = (1 + matrix(dim) * 0.1).astype(np.float32)
        out[f"{name}.bias"] = matrix(dim) * 0.1

    def linear(out: dict, name: str, rows: int, cols: int) -> None:
        out[f"{name}.weight"], out[f"{name}.bias"] = matrix(rows, cols), matrix(rows) * 0.1

    weights: dict = {}
    for side in ("encoder", "decoder"):
        prefix = f"model.{side}"
        weights[f"{prefix}.embed_tokens.weight"] = matrix(config[f"{side}_vocab_size"], dim)
        weights[f"{prefix}.embed_tokens.weight"][config["pad_token_id"]] = 0.0
        norm(weights, f"{prefix}.layernorm_embedding")
        norm(weights, f"{prefix}.layer_norm")
        for i in range(config[f"{side}_layers"]):
            at = f"{prefix}.layers.{i}"
            attentions = ("self_attn", "encoder_attn") if side == "decoder" else ("self_attn",)
            for attention in attentions:
                for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
                    linear(weights, f"{at}.{attention}.{proj}", dim, dim)
                norm(weights, f"{at}.{attention}_layer_norm")
            linear(weights, f"{at}.fc1", config[f"{side}_ffn_dim"], dim)
            linear(weights, f"{at}.fc2", dim, config[f"{side}_ffn_dim"])
            norm(weights, f"{at}.final_layer_norm")
    return weights


# --- the reference forward pass ----------------------------------------------------------------


def reference_greedy(folder: Path, source_ids: list[int], steps: int) -> list[int]:
    """Greedy decoding of one source (ids, </s> included) with `reference_log_probs`; the generated
    ids, </s> excluded."""
    out: list[int] = []
    for _ in range(steps):
        best = int(reference_log_probs(folder, source_ids, out)[-1].argmax())
        if best == 2:
            break
        out.append(best)
    return out


def reference_log_probs(folder: Path, source_ids: list[int], target_ids: list[int]):
    """Log-probabilities over the target vocabulary after </s> + each of `target_ids` (one row per
    position), from a plain torch forward pass written from the hub's modeling_indictrans.py:
    pre-norm layers, embeddings scaled by sqrt(dim) plus fairseq sinusoidal positions from
    padding_idx + 1, layer norm on the embeddings, GELU; the decoder starts from </s>."""
    import torch
    from safetensors.torch import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    w = load_file(str(folder / "model.safetensors"))
    dim, heads = config["encoder_embed_dim"], config["encoder_attention_heads"]
    layer_norm = torch.nn.functional.layer_norm

    def norm(x, name):
        return layer_norm(x, (dim,), w[f"{name}.weight"], w[f"{name}.bias"], 1e-5)

    def lin(x, name):
        return x @ w[f"{name}.weight"].T + w[f"{name}.bias"]

    def attend(x, memory, name, causal):
        q = lin(x, f"{name}.q_proj") * (dim // heads) ** -0.5
        k, v = lin(memory, f"{name}.k_proj"), lin(memory, f"{name}.v_proj")

        def split(t):
            return t.view(t.shape[0], heads, dim // heads).transpose(0, 1)

        scores = split(q) @ split(k).transpose(1, 2)
        if causal:
            scores = scores + torch.full(scores.shape[1:], float("-inf")).triu(1)
        out = (scores.softmax(-1) @ split(v)).transpose(0, 1).reshape(x.shape[0], dim)
        return lin(out, f"{name}.out_proj")

    def embed(ids, side):
        half = dim // 2
        freq = torch.exp(torch.arange(half, dtype=torch.float) * -(math.log(10000) / (half - 1)))
        angles = torch.arange(2, 2 + len(ids), dtype=torch.float)[:, None] * freq[None]
        positions = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
        x = w[f"model.{side}.embed_tokens.weight"][torch.tensor(ids)] * math.sqrt(dim) + positions
        return norm(x, f"model.{side}.layernorm_embedding")

    def ffn(x, at):
        h = norm(x, f"{at}.final_layer_norm")
        return x + lin(torch.nn.functional.gelu(lin(h, f"{at}.fc1")), f"{at}.fc2")

    with torch.no_grad():
        x = embed(source_ids, "encoder")
        for i in range(config["encoder_layers"]):
            at = f"model.encoder.layers.{i}"
            h = norm(x, f"{at}.self_attn_layer_norm")
            x = ffn(x + attend(h, h, f"{at}.self_attn", False), at)
        memory = norm(x, "model.encoder.layer_norm")
        y = embed([config["decoder_start_token_id"], *target_ids], "decoder")
        for i in range(config["decoder_layers"]):
            at = f"model.decoder.layers.{i}"
            h = norm(y, f"{at}.self_attn_layer_norm")
            y = y + attend(h, h, f"{at}.self_attn", True)
            h = norm(y, f"{at}.encoder_attn_layer_norm")
            y = ffn(y + attend(h, memory, f"{at}.encoder_attn", False), at)
        logits = norm(y, "model.decoder.layer_norm") @ w["lm_head.weight"].T
        return torch.log_softmax(logits, dim=-1)
