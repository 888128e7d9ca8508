"""IndicTrans2 converted and run by our own code: the CTranslate2 conversion held to a torch forward
pass of the same tiny weights (tests/tiny_indictrans2.py, written from the hub's
modeling_indictrans.py), AI4Bharat's own CTranslate2 folders, and the folders refused."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import ct2, indic, indictrans2
from pipeline.mt.indictrans2_ct2 import IndicTrans2Translator

ROOT = Path(__file__).resolve().parents[2]
LINES = (ROOT / "tests/data/flores-sample/guj_Gujr.txt").read_text(encoding="utf-8").splitlines()[:12]
STEPS = 10


@pytest.fixture(scope="module")
def it2(tiny_models):
    config = load_config(tiny_models.parent / "models-indictrans2.yaml")
    return config.models["indictrans2-tiny"]


@pytest.fixture(scope="module")
def reference(tiny_models):
    import importlib.util

    spec = importlib.util.spec_from_file_location("tiny_indictrans2", ROOT / "tests" / "tiny_indictrans2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def translator(spec, quantization: str) -> IndicTrans2Translator:
    # ceil(0.001 × length) + STEPS - 1: exactly STEPS output tokens, as `greedy` asks
    gen = dataclasses.replace(spec.generation, beam_size=1, max_length_ratio=0.001, max_length_extra=STEPS - 1)
    tr = IndicTrans2Translator(dataclasses.replace(spec, quantization=quantization, generation=gen), device="cpu")
    tr._start("gu", "en")
    return tr


def greedy(tr: IndicTrans2Translator, rows: list[list[int]]) -> list[list[int]]:
    tokens = [[tr.source_tokens[i] for i in row] for row in rows]
    results = tr.model.translate_batch(tokens, beam_size=1, max_decoding_length=STEPS)
    ids = {t: i for i, t in enumerate(tr.target_tokens)}
    return [[ids[t] for t in r.hypotheses[0]] for r in results]


def test_the_source_is_both_tags_as_entries_then_model_src_pieces_then_eos(it2):
    """As the hub tokenizer builds it: tags are whole dictionary entries, never SentencePiece text."""
    tr = translator(it2, "float32")
    row = tr._encode([LINES[0]])[0]
    src = indictrans2.read_dictionary("x", it2.local_path / "dict.SRC.json")
    assert [src[i] for i in row[:2]] == ["guj_Gujr", "eng_Latn"] and src[row[-1]] == "</s>"
    pieces = tr.source_pieces.encode(indic.preprocess(LINES[0], "gu"), out_type=str)
    assert [src[i] for i in row[2:-1]] == pieces and "<unk>" not in pieces


def test_float32_conversion_follows_the_reference_forward_pass(it2, reference):
    tr = translator(it2, "float32")
    rows = tr._encode(LINES)
    expected = [reference.reference_greedy(it2.local_path, row, STEPS) for row in rows]
    assert greedy(tr, rows) == expected
    assert len({tuple(e) for e in expected}) > len(LINES) // 2  # the sentences do not all give one output
    # the model's own scores too, token by token: the weights are where the reference put them
    target = expected[3]
    scored = tr.model.score_batch([[tr.source_tokens[i] for i in rows[3]]], [[tr.target_tokens[i] for i in target]])
    ref = reference.reference_log_probs(it2.local_path, rows[3], target)
    want = [float(ref[j][i]) for j, i in enumerate([*target, 2])]
    assert scored[0].log_probs == pytest.approx(want, abs=1e-3)
    # and the text users get is those pieces, specials dropped, decoded and detokenised
    out = tr.translate([LINES[3]], "gu", "en")[0]
    assert out == indic.postprocess(tr.target_pieces.decode([tr.target_tokens[i] for i in target]), "en").strip()


def test_int8_conversion_scores_the_reference_output_as_the_reference_does(it2, reference):
    """int8 on 32-wide random weights moves logits by a fraction of a nat, enough to change which
    of near-equal tokens greedy decoding picks after the first few, so tokens are compared under
    forced decoding: the int8 model's log-probability of each token the reference chose, against
    the reference's (about 5 nats on average; measured 0.75 apart, a misplaced weight gives several)."""
    tr = translator(it2, "int8")
    rows = tr._encode(LINES)
    gaps = []
    for row in rows:
        target = reference.reference_greedy(it2.local_path, row, STEPS)
        scored = tr.model.score_batch([[tr.source_tokens[i] for i in row]], [[tr.target_tokens[i] for i in target]])
        ref = reference.reference_log_probs(it2.local_path, row, target)
        gaps += [abs(got - float(ref[j][i])) for j, (got, i) in enumerate(zip(scored[0].log_probs, target))]
    assert sum(gaps) / len(gaps) < 1.25
    assert (ct2.converted_folder(tr.spec, "int8") / "model.bin").stat().st_size < 0.5 * (
        ct2.converted_folder(tr.spec, "float32") / "model.bin"
    ).stat().st_size


def test_pytorch_model_bin_converts_like_safetensors(it2, tmp_path):
    """Where a checkpoint has only pytorch_model.bin, it is read with weights_only=True."""
    import torch
    from safetensors.torch import load_file

    folder = tmp_path / "bin"
    shutil.copytree(it2.local_path, folder)
    torch.save(load_file(str(folder / "model.safetensors")), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    spec = dataclasses.replace(it2, source=str(folder), local_path=folder)
    assert translator(spec, "float32").translate(LINES[:4], "gu", "en") == translator(it2, "float32").translate(
        LINES[:4], "gu", "en"
    )


def test_ai4bharat_ctranslate2_folder_is_accepted(it2, tmp_path):
    """`ct2_int8_model` as AI4Bharat ship it: model.bin, vocabularies per side, the SentencePiece
    models in vocab/, and the fairseq converter's add_source_eos (CTranslate2 adds </s> itself)."""
    ours = translator(it2, "int8")
    folder = tmp_path / "ct2_int8_model"
    shutil.copytree(ct2.converted_folder(ours.spec, "int8"), folder)
    (folder / "vocab").mkdir()
    for name in ("model.SRC", "model.TGT"):
        shutil.copy(it2.local_path / name, folder / "vocab" / name)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps(dict(config, add_source_eos=True)), encoding="utf-8")
    theirs = translator(dataclasses.replace(it2, source=str(folder), local_path=folder), "int8")
    assert theirs.adds_eos
    assert theirs.translate(LINES[:6], "gu", "en") == ours.translate(LINES[:6], "gu", "en")


def test_special_tokens_and_tags_never_reach_the_text(it2, monkeypatch):
    tr = translator(it2, "float32")
    tags = [t for t in tr.target_tokens if t in indictrans2.SPECIAL_TOKENS]
    assert tags and set(tags) <= tr.dropped


def test_an_indic_en_model_refuses_a_target_it_has_no_tag_for(it2):
    tr = translator(it2, "int8")
    with pytest.raises(PipelineError, match="cannot write"):
        tr.translate(["ગુજરાત."], "gu", "zh_Hans")


@pytest.mark.parametrize("missing", [*indictrans2.CHECKPOINT_FILES, "model.safetensors"])
def test_a_folder_missing_a_file_is_refused_naming_it(it2, tmp_path, missing):
    folder = tmp_path / "it2"
    shutil.copytree(it2.local_path, folder)
    (folder / missing).unlink()
    with pytest.raises(ModelUnavailable, match=missing if missing != "model.safetensors" else "no weights"):
        indictrans2.layout("it2", folder)


def test_a_dictionary_that_does_not_fit_the_weights_is_refused(it2, tmp_path):
    folder = tmp_path / "it2"
    shutil.copytree(it2.local_path, folder)
    mapping = json.loads((folder / "dict.TGT.json").read_text(encoding="utf-8"))
    mapping["extra▁piece"] = len(mapping)
    (folder / "dict.TGT.json").write_text(json.dumps(mapping), encoding="utf-8")
    with pytest.raises(ModelUnavailable, match=r"dict\.TGT\.json has \d+ entries but the weights'"):
        indictrans2.layout("it2", folder)


def test_a_sentence_longer_than_the_limit_is_split_into_pieces_the_model_can_take(it2, monkeypatch):
    tr = translator(
        dataclasses.replace(it2, generation=dataclasses.replace(it2.generation, max_input_tokens=24)), "int8"
    )
    long = " ".join(LINES[:3])
    assert tr._count([long])[0] > 24
    seen = []
    real = tr._generate

    def spy(batches, context, limits):
        seen.extend(text for batch in batches for text in batch)
        return real(batches, context, limits)

    monkeypatch.setattr(tr, "_generate", spy)
    assert tr.translate([long], "gu", "en")[0]
    assert len(seen) > 1 and all(n <= 24 for n in tr._count(seen))


def test_a_hub_model_not_in_the_cache_says_how_to_fetch_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    spec = dataclasses.replace(load_config_text(tmp_path), revision="abc123")
    with pytest.raises(
        ModelUnavailable, match="hf download ai4bharat/indictrans2-indic-en-dist-200M --revision abc123"
    ):
        IndicTrans2Translator(spec, device="cpu")


def load_config_text(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  it2:\n    family: indictrans2\n    source: ai4bharat/indictrans2-indic-en-dist-200M\n"
        "pairs:\n  gu-en: it2\n",
        encoding="utf-8",
    )
    return load_config(path).models["it2"]
