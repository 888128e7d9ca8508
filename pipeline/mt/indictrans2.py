"""IndicTrans2 (AI4Bharat) read with our own code: its folder layout, its two vocabularies, and the
conversion of its Hugging Face checkpoint into a CTranslate2 model.

The hub checkpoints (ai4bharat/indictrans2-indic-en-dist-200M, -1B) ship a `modeling_indictrans.py`
that transformers would have to run (`trust_remote_code`), and it breaks on recent transformers.
We never run it. The architecture is M2M100's (fairseq's transformer) with separate source and
target vocabularies and embeddings, so we read the weights ourselves and fill CTranslate2's
Transformer spec, as CTranslate2's own M2M100 loader does, with a vocabulary per side.

A hub folder holds `config.json` (`IndicTransConfig`: `encoder_vocab_size`, `decoder_vocab_size`,
`encoder_embed_dim`, `encoder_layers`, `encoder_attention_heads`, `encoder_normalize_before`,
`layernorm_embedding`, `scale_embedding`, `share_decoder_input_output_embed`, ...), the weights
(`model.safetensors`, or `pytorch_model.bin`), `dict.SRC.json` / `dict.TGT.json` (token → id,
fairseq order: `<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, language tags, pieces) and the SentencePiece
models `model.SRC` / `model.TGT`. AI4Bharat's own CTranslate2 folders (`ct2_int8_model`, converted
from fairseq) are accepted too: `model.bin` with its source and target vocabularies, and the
SentencePiece models in `vocab/` or beside it.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelUnavailable

CONFIG = "config.json"
SOURCE_DICTIONARY, TARGET_DICTIONARY = "dict.SRC.json", "dict.TGT.json"
SOURCE_PIECES, TARGET_PIECES = "model.SRC", "model.TGT"
WEIGHTS = ("model.safetensors", "pytorch_model.bin")
CHECKPOINT_FILES = (CONFIG, SOURCE_DICTIONARY, TARGET_DICTIONARY, SOURCE_PIECES, TARGET_PIECES)
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>")
ENCODER_EMBEDDINGS, DECODER_EMBEDDINGS = "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"
# Positions the released models were trained with (fairseq --max-source-positions 256).
MAX_POSITIONS = 256


@dataclass(frozen=True)
class Layout:
    """Where the parts of a model folder are: a Hugging Face checkpoint to convert, or a CTranslate2
    model as AI4Bharat publish it."""

    folder: Path
    converted: bool  # True: AI4Bharat's CTranslate2 folder, used as it is
    source_pieces: Path
    target_pieces: Path


def layout(name: str, folder: Path) -> Layout:
    """The checked layout of `folder`, or ModelUnavailable naming the first file it lacks, or the
    dictionary that does not fit the weights."""
    if (folder / "model.bin").is_file():
        return _converted_layout(name, folder)

    def missing(what: str) -> ModelUnavailable:
        return ModelUnavailable(
            f"model {name!r}: folder {folder} is not a whole IndicTrans2 checkpoint: {what} "
            f"(fetch the model again: it needs {', '.join(CHECKPOINT_FILES)} and "
            f"{' or '.join(WEIGHTS)})"
        )

    for file in CHECKPOINT_FILES:
        if not (folder / file).is_file():
            raise missing(f"{file} is missing")
    if not any((folder / w).is_file() for w in WEIGHTS):
        raise missing(f"no weights ({' or '.join(WEIGHTS)})")
    rows = embedding_rows(folder)
    for dictionary, key in ((SOURCE_DICTIONARY, ENCODER_EMBEDDINGS), (TARGET_DICTIONARY, DECODER_EMBEDDINGS)):
        size = len(read_dictionary(name, folder / dictionary))
        if key in rows and rows[key] != size:
            raise ModelUnavailable(
                f"model {name!r}: {folder / dictionary} has {size} entries but the weights' "
                f"{key} has {rows[key]} rows: the dictionary belongs to another model "
                "(fetch the model again)"
            )
    return Layout(folder, False, folder / SOURCE_PIECES, folder / TARGET_PIECES)


def _converted_layout(name: str, folder: Path) -> Layout:
    for sub in (folder / "vocab", folder):
        if (sub / SOURCE_PIECES).is_file() and (sub / TARGET_PIECES).is_file():
            break
    else:
        raise ModelUnavailable(
            f"model {name!r}: CTranslate2 folder {folder} has no {SOURCE_PIECES} and "
            f"{TARGET_PIECES} (AI4Bharat ship them in vocab/; copy that folder beside model.bin)"
        )
    for side in ("source", "target"):
        if converted_vocabulary_file(folder, side) is None:
            raise ModelUnavailable(
                f"model {name!r}: CTranslate2 folder {folder} has no {side}_vocabulary.json "
                f"or {side}_vocabulary.txt (an IndicTrans2 model has one vocabulary per side)"
            )
    return Layout(folder, True, sub / SOURCE_PIECES, sub / TARGET_PIECES)


def converted_vocabulary_file(folder: Path, side: str) -> Path | None:
    return next(
        (
            folder / f"{side}_vocabulary.{ext}"
            for ext in ("json", "txt")
            if (folder / f"{side}_vocabulary.{ext}").is_file()
        ),
        None,
    )


def read_converted_vocabulary(folder: Path, side: str) -> list[str]:
    """The tokens of a CTranslate2 model's source or target vocabulary, in id order."""
    path = converted_vocabulary_file(folder, side)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else text.splitlines()


def read_dictionary(name: str, path: Path) -> list[str]:
    """The tokens of a `dict.*.json` (token → id) in id order; the ids must be 0 … n-1."""
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"model {name!r}: {path} is not a JSON dictionary ({exc})") from None
    if not isinstance(mapping, dict) or sorted(mapping.values()) != list(range(len(mapping))):
        raise ModelUnavailable(f"model {name!r}: {path} is not a token → id dictionary with ids 0 … n-1")
    tokens = sorted(mapping, key=mapping.__getitem__)
    if tuple(tokens[:4]) != SPECIAL_TOKENS:
        raise ModelUnavailable(f"model {name!r}: {path} does not start with {', '.join(SPECIAL_TOKENS)}")
    return tokens


def embedding_rows(folder: Path) -> dict[str, int]:
    """Rows of the two embedding matrices, from the safetensors header (a few kilobytes read);
    empty for `pytorch_model.bin`, whose sizes are checked when it is converted."""
    path = folder / "model.safetensors"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    return {key: header[key]["shape"][0] for key in (ENCODER_EMBEDDINGS, DECODER_EMBEDDINGS) if key in header}


def load_weights(folder: Path) -> dict:
    """Every tensor of the checkpoint as a float32 numpy array; `pytorch_model.bin` read with
    `weights_only=True`, so loading it runs no code from the file."""
    if (folder / "model.safetensors").is_file():
        from safetensors.numpy import load_file

        return {k: v.astype("float32") for k, v in load_file(str(folder / "model.safetensors")).items()}
    import torch

    state = torch.load(str(folder / "pytorch_model.bin"), map_location="cpu", weights_only=True)
    return {k: v.float().numpy() for k, v in state.items()}


def sinusoids(positions: int, dim: int, padding_idx: int = 1):
    """fairseq's (and M2M100's) sinusoidal position table for `positions` tokens, the first token at
    position padding_idx + 1; sines in the first half of each row, cosines in the second."""
    import numpy as np

    half = dim // 2
    step = math.log(10000) / (half - 1)
    frequencies = np.exp(np.arange(half, dtype=np.float32) * -step)
    angles = np.arange(padding_idx + 1, padding_idx + 1 + positions, dtype=np.float32)[:, None] * frequencies[None]
    table = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    if dim % 2:
        table = np.concatenate([table, np.zeros((positions, 1), dtype=np.float32)], axis=1)
    return table.astype(np.float32)


def model_spec(config: dict, weights: dict, source: list[str], target: list[str]):
    """CTranslate2's Transformer spec filled from IndicTrans2 weights under their hub names."""
    import numpy as np
    from ctranslate2.specs import common_spec, transformer_spec

    activations = {"gelu": common_spec.Activation.GELU, "relu": common_spec.Activation.RELU}
    spec = transformer_spec.TransformerSpec.from_config(
        (config["encoder_layers"], config["decoder_layers"]),
        config["encoder_attention_heads"],
        pre_norm=bool(config.get("encoder_normalize_before", False)),
        activation=activations[config.get("activation_function", "relu")],
        layernorm_embedding=bool(config.get("layernorm_embedding", False)),
    )

    def take(key: str):
        if key not in weights:
            raise ModelUnavailable(f"the IndicTrans2 weights lack {key} (not an IndicTrans2 checkpoint?)")
        return weights[key]

    def norm(target_spec, prefix: str) -> None:
        target_spec.gamma, target_spec.beta = take(f"{prefix}.weight"), take(f"{prefix}.bias")

    def linear(target_spec, prefixes: list[str]) -> None:
        target_spec.weight = np.concatenate([take(f"{p}.weight") for p in prefixes])
        target_spec.bias = np.concatenate([take(f"{p}.bias") for p in prefixes])

    def attention(target_spec, prefix: str, self_attention: bool) -> None:
        q, k, v = (f"{prefix}.{n}_proj" for n in "qkv")
        if self_attention:
            linear(target_spec.linear[0], [q, k, v])
        else:
            linear(target_spec.linear[0], [q])
            linear(target_spec.linear[1], [k, v])
        linear(target_spec.linear[-1], [f"{prefix}.out_proj"])

    for side, side_spec in (("encoder", spec.encoder), ("decoder", spec.decoder)):
        prefix = f"model.{side}"
        dim = config["encoder_embed_dim"]  # the hub code sizes the decoder's embeddings by it too
        embeddings = side_spec.embeddings[0] if isinstance(side_spec.embeddings, list) else side_spec.embeddings
        embeddings.weight = take(f"{prefix}.embed_tokens.weight")
        side_spec.scale_embeddings = math.sqrt(dim) if config.get("scale_embedding", True) else 1.0
        positions = config.get(f"max_{'source' if side == 'encoder' else 'target'}_positions", MAX_POSITIONS)
        side_spec.position_encodings.encodings = sinusoids(positions, dim, config.get("pad_token_id", 1))
        if config.get(f"{side}_normalize_before", False):
            norm(side_spec.layer_norm, f"{prefix}.layer_norm")
        if config.get("layernorm_embedding", False):
            norm(side_spec.layernorm_embedding, f"{prefix}.layernorm_embedding")
        for i, layer in enumerate(side_spec.layer):
            at = f"{prefix}.layers.{i}"
            attention(layer.self_attention, f"{at}.self_attn", True)
            norm(layer.self_attention.layer_norm, f"{at}.self_attn_layer_norm")
            if side == "decoder":
                attention(layer.attention, f"{at}.encoder_attn", False)
                norm(layer.attention.layer_norm, f"{at}.encoder_attn_layer_norm")
            linear(layer.ffn.linear_0, [f"{at}.fc1"])
            linear(layer.ffn.linear_1, [f"{at}.fc2"])
            norm(layer.ffn.layer_norm, f"{at}.final_layer_norm")
    # Tied to the decoder's embeddings in the distilled models (share_decoder_input_output_embed);
    # a checkpoint may then store the matrix once, under the embedding's name.
    spec.decoder.projection.weight = weights.get("lm_head.weight", weights.get(DECODER_EMBEDDINGS))
    for key, tokens in ((ENCODER_EMBEDDINGS, source), (DECODER_EMBEDDINGS, target)):
        if take(key).shape[0] != len(tokens):
            raise ModelUnavailable(f"the dictionary has {len(tokens)} entries but {key} has {take(key).shape[0]} rows")
    spec.register_source_vocabulary(source)
    spec.register_target_vocabulary(target)
    spec.config.bos_token, spec.config.eos_token, spec.config.unk_token = "<s>", "</s>", "<unk>"
    spec.config.decoder_start_token = "</s>"  # decoder_start_token_id 2
    spec.config.add_source_eos = False  # the translator appends </s> itself, as it counts every token
    return spec


def convert(name: str, checkpoint: Path, out: Path, quantization: str) -> None:
    """Convert the checkpoint in `checkpoint` into a CTranslate2 model in `out`."""
    from ctranslate2.converters.converter import Converter

    config = json.loads((checkpoint / CONFIG).read_text(encoding="utf-8"))
    source = read_dictionary(name, checkpoint / SOURCE_DICTIONARY)
    target = read_dictionary(name, checkpoint / TARGET_DICTIONARY)

    class IndicTrans2Converter(Converter):
        def _load(self):
            return model_spec(config, load_weights(checkpoint), source, target)

    IndicTrans2Converter().convert(str(out), quantization=quantization, force=True)
