"""The new families and scripts on the tiny models: MADLAD-400 (T5, `<2xx>` before the source),
a multi-target OPUS-MT-like Marian (`>>cmn_Hans<<` / `>>cmn_Hant<<`), NLLB's zho_Hant, routes that
chain two models, and refusals for scripts a model cannot write. Both backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_ct2 import loaded  # one loaded copy of each tiny model for the whole mt test folder
from test_ct2 import spec_of as spec_in
from test_mt import record_generate

from pipeline.config import Leg, Route, load_config
from pipeline.errors import PipelineError
from pipeline.mt import families, load_translator
from pipeline.mt.ct2 import CT2Translator
from pipeline.mt.route import RouteTranslator, check_route, route_translator

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

SAMPLE = Path(__file__).parent.resolve().parent / "data" / "flores-sample"
GUJARATI = SAMPLE.joinpath("guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
ENGLISH = SAMPLE.joinpath("eng_Latn.txt").read_text(encoding="utf-8").splitlines()


def spec_of(tiny_models: Path, name: str, **changes):
    return spec_in(tiny_models, "models-pivot.yaml", name, **changes)


# --- language tags ---------------------------------------------------------------------------


def test_each_family_names_each_script_with_its_own_code():
    assert families.language_code("nllb", "zh_Hans") == families.language_code("nllb", "zh") == "zho_Hans"
    assert families.language_code("nllb", "zh_Hant") == "zho_Hant"
    assert families.language_code("madlad", "zh_Hans") == "<2zh>"
    assert families.language_code("madlad", "zh_Hant") == "<2zh_Hant>"
    assert families.language_code("madlad", "en") == "<2en>"
    assert families.FAMILIES["marian"].codes["zh_Hant"] == ">>cmn_Hant<<"
    with pytest.raises(
        PipelineError, match=r"m2m100 models cannot write Traditional Chinese \(zh_Hant\).*nllb or madlad"
    ):
        families.language_code("m2m100", "zh_Hant")


def test_a_route_that_cannot_write_the_script_is_refused(tiny_models):
    config = load_config(tiny_models.parent / "models-m2m100.yaml")
    check_route(config.route_for("zh_Hans"))
    for locale in ("zh_Hant", "zh_TW", "zh_HK"):
        with pytest.raises(PipelineError, match="cannot write Traditional Chinese"):
            check_route(config.route_for(locale))


# --- MADLAD-400 ------------------------------------------------------------------------------


def test_madlad_tokenizer_has_the_language_tokens_as_single_pieces(tiny_models):
    tr = loaded(spec_of(tiny_models, "madlad-tiny"))
    tok = tr.tokenizer
    ids = tok.convert_tokens_to_ids(["<2gu>", "<2en>", "<2zh>", "<2zh_Hant>"])
    assert len(set(ids)) == 4 and tok.unk_token_id not in ids
    enc = tr._encode([GUJARATI[0]])[0] if tr._steer("gu", "zh_Hant") is None else None
    assert enc == [ids[3], *tok(GUJARATI[0]).input_ids] and enc[-1] == tok.eos_token_id and tok.unk_token_id not in enc


@pytest.mark.parametrize("tgt,token", [("en", "<2en>"), ("zh_Hans", "<2zh>"), ("zh_Hant", "<2zh_Hant>")])
def test_madlad_gets_the_target_token_before_every_source_sentence(tiny_models, monkeypatch, tgt, token):
    tr = loaded(spec_of(tiny_models, "madlad-tiny"))
    calls = record_generate(monkeypatch, tr)
    out = tr.translate(GUJARATI[:4], "gu", tgt)
    assert len(out) == 4 and all(s.strip() for s in out) and len(set(out)) == 4
    token_id = tr.tokenizer.convert_tokens_to_ids(token)
    assert calls and all(row[0] == token_id for ids in calls for row in ids.tolist())
    assert not any(code in s for s in out for code in ("<2en>", "<2zh>", "<2zh_Hant>", "<unk>"))


def test_madlad_scripts_give_different_translations(tiny_models):
    tr = loaded(spec_of(tiny_models, "madlad-tiny"))
    hans, hant = tr.translate(GUJARATI[:3], "gu", "zh_Hans"), tr.translate(GUJARATI[:3], "gu", "zh_Hant")
    assert hans != hant


# --- OPUS-MT en→zh (multi-target Marian) ------------------------------------------------------


@pytest.mark.parametrize(
    "tgt,token", [("zh_Hans", ">>cmn_Hans<<"), ("zh", ">>cmn_Hans<<"), ("zh_Hant", ">>cmn_Hant<<")]
)
def test_marian_gets_its_target_token(tiny_models, monkeypatch, tgt, token):
    tr = loaded(spec_of(tiny_models, "marian-en-zh-tiny"))
    calls = record_generate(monkeypatch, tr)
    out = tr.translate(ENGLISH[:4], "en", tgt)
    assert len(out) == 4 and all(s.strip() for s in out)
    token_id = tr.tokenizer.convert_tokens_to_ids(token)
    assert all(row[0] == token_id for ids in calls for row in ids.tolist())
    assert not any(">>" in s for s in out)


def test_a_marian_model_refuses_a_target_it_has_no_token_for(tiny_models):
    tr = loaded(spec_of(tiny_models, "marian-en-zh-tiny"))
    with pytest.raises(PipelineError, match="cannot write 'en'.*>>cmn_Hans<<"):
        tr.translate(["Hello."], "en", "en")
    single = load_config(tiny_models.parent / "models-marian.yaml").models["marian-gu-en-tiny"]
    with pytest.raises(PipelineError, match="no target-language tokens.*Traditional Chinese"):
        loaded(single).translate(["ભારત."], "gu", "zh_Hant")


# --- NLLB zho_Hant ---------------------------------------------------------------------------


def test_nllb_is_forced_to_zho_hant_for_traditional(tiny_models):
    tr = loaded(load_config(tiny_models).models["nllb-tiny"])
    assert families.forced_bos_token_id("nllb", tr.tokenizer, "zh_Hant") == tr.tokenizer.convert_tokens_to_ids(
        "zho_Hant"
    )
    hans, hant = tr.translate(GUJARATI[:3], "gu", "zh_Hans"), tr.translate(GUJARATI[:3], "gu", "zh_Hant")
    assert hans != hant and tr.translate(GUJARATI[:3], "gu", "zh") == hans


# --- both backends ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,src,tgt,texts,beam",
    [
        ("madlad-tiny", "gu", "en", GUJARATI[:10] + ["ભારત."], 1),
        ("madlad-tiny", "gu", "zh_Hant", GUJARATI[:10], 2),
        ("marian-en-zh-tiny", "en", "zh_Hans", ENGLISH[:10], 2),
        ("marian-en-zh-tiny", "en", "zh_Hant", ENGLISH[:10], 1),
    ],
    ids=["madlad-en-greedy", "madlad-hant-beam2", "opus-hans-beam2", "opus-hant-greedy"],
)
def test_ctranslate2_float32_translates_the_new_families_like_transformers(tiny_models, name, src, tgt, texts, beam):
    hf = loaded(spec_of(tiny_models, name, backend="transformers", beam_size=beam))
    fast = loaded(spec_of(tiny_models, name, backend="ctranslate2", quantization="float32", beam_size=beam))
    assert isinstance(fast, CT2Translator)
    expected = hf.translate(texts, src, tgt)
    assert all(s.strip() for s in expected)
    assert fast.translate(texts, src, tgt) == expected


def test_a_madlad_config_without_tied_output_scaling_converts_faithfully(tiny_models, tmp_path):
    """MADLAD-400's config sets tie_word_embeddings: false, which transformers 5 reads as "do not
    scale the decoder output"; the CTranslate2 conversion must not scale it either."""
    import json
    import shutil

    folder = tmp_path / "madlad-unscaled"
    shutil.copytree(load_config(tiny_models.parent / "models-madlad.yaml").models["madlad-tiny"].local_path, folder)
    config = json.loads((folder / "config.json").read_text())
    config.pop("scale_decoder_outputs")
    config["tie_word_embeddings"] = False
    (folder / "config.json").write_text(json.dumps(config))
    base = spec_of(tiny_models, "madlad-tiny", beam_size=4)  # a uniform logit scale changes beams, not greedy
    spec = dataclasses.replace(base, source=str(folder), local_path=folder)
    hf = load_translator(dataclasses.replace(spec, backend="transformers"), device="cpu")
    assert hf.model.config.scale_decoder_outputs is False
    fast = load_translator(dataclasses.replace(spec, backend="ctranslate2", quantization="float32"), device="cpu")
    expected = hf.translate(GUJARATI[:6], "gu", "en")
    assert all(s.strip() for s in expected) and fast.translate(GUJARATI[:6], "gu", "en") == expected


def test_madlad_runs_in_bfloat16_on_a_gpu(tiny_models):
    import torch

    from pipeline.mt.ct2 import weight_type
    from pipeline.mt.hf import accelerator_dtype

    madlad, nllb = spec_of(tiny_models, "madlad-tiny"), load_config(tiny_models).models["nllb-tiny"]
    assert accelerator_dtype(madlad) == torch.bfloat16 and accelerator_dtype(nllb) == torch.float16
    assert weight_type(madlad, "cuda") == "int8_bfloat16" and weight_type(nllb, "cuda") == "int8_float16"
    assert weight_type(madlad, "cpu") == "int8"


# --- routes ----------------------------------------------------------------------------------


def test_a_pivot_route_chains_its_models_and_names_them_all(tiny_models):
    config = load_config(tiny_models.parent / "models-pivot.yaml")
    route = config.route_for("zh_Hant")
    assert [(leg.spec.name, leg.src, leg.tgt) for leg in route.legs] == [
        ("madlad-tiny", "gu", "en"),
        ("marian-en-zh-tiny", "en", "zh_Hant"),
    ]
    madlad, opus = (loaded(leg.spec) for leg in route.legs)
    tr = route_translator(route, loaded)
    assert isinstance(tr, RouteTranslator)
    assert tr.model_id == f"{madlad.model_id} → {opus.model_id}"
    seen: list[int] = []
    texts = GUJARATI[:5] + [GUJARATI[0]]
    out = tr.translate(texts, "gu", "zh_Hant", progress=seen.append)
    assert out == opus.translate(madlad.translate(texts, "gu", "en"), "en", "zh_Hant")
    assert sum(seen) == len(texts)
    # the memory key names the chain and the script; a single-model route keeps its model's key
    keys = {config.route_for(loc).settings_key() for loc in ("zh_Hans", "zh_Hant", "en")}
    assert len(keys) == 3 and config.route_for("en").settings_key() == route.legs[0].spec.settings_key()


def test_each_model_is_loaded_once_for_every_route_that_uses_it(tiny_models):
    config = load_config(tiny_models.parent / "models-pivot.yaml")
    loads: list[str] = []

    def load(spec):
        loads.append(spec.name)
        return loaded(spec)

    cache: dict = {}
    for locale in ("en", "zh_Hans", "zh_Hant"):
        route_translator(config.route_for(locale), load, cache)
    assert loads == ["madlad-tiny", "marian-en-zh-tiny"]


def test_a_single_model_route_is_the_model_itself(tiny_models):
    spec = load_config(tiny_models).models["nllb-tiny"]
    tr = loaded(spec)
    assert route_translator(Route("gu-en", (Leg(spec, "gu", "en"),)), lambda s: tr) is tr
