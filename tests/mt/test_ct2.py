"""The CTranslate2 backend on the tiny models: same tokens as transformers in float32, converted
once into the cache, chosen by `backend: auto`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from test_mt import FAMILIES  # (models file, model name, target language)

from pipeline.config import load_config
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import Translator, ct2, load_translator, resolve_backend
from pipeline.mt.ct2 import CT2Translator
from pipeline.mt.hf import HFTranslator

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

SAMPLE = Path(__file__).parent.resolve().parent / "data" / "flores-sample"
GUJARATI = SAMPLE.joinpath("guj_Gujr.txt").read_text(encoding="utf-8").splitlines()

_loaded: dict = {}


def spec_of(tiny_models: Path, filename: str, name: str, **changes):
    spec = load_config(tiny_models.parent / filename).models[name]
    generation = {k: changes.pop(k) for k in list(changes) if hasattr(spec.generation, k)}
    return dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, **generation), **changes)


def loaded(spec):
    if spec not in _loaded:
        _loaded[spec] = load_translator(spec, device="cpu")
    return _loaded[spec]


GREEDY, BEAM2 = {"beam_size": 1}, {"beam_size": 2}
GUARD = {"beam_size": 1, "no_repeat_ngram_size": 3, "repetition_penalty": 1.3, "max_length_ratio": 0.5}


@pytest.mark.parametrize(
    "filename,name,tgt,settings",
    [
        ("models.yaml", "nllb-tiny", "en", GREEDY),
        ("models.yaml", "nllb-tiny", "en", BEAM2),
        ("models.yaml", "nllb-tiny", "zh", GUARD),
        ("models-m2m100.yaml", "m2m100-tiny", "en", GUARD),
        ("models-m2m100.yaml", "m2m100-tiny", "zh", BEAM2),
        ("models-marian.yaml", "marian-gu-en-tiny", "en", BEAM2),
        ("models-marian.yaml", "marian-gu-en-tiny", "en", GUARD),
    ],
    ids=[
        "nllb-en-greedy",
        "nllb-en-beam2",
        "nllb-zh-guard",
        "m2m100-en-guard",
        "m2m100-zh-beam2",
        "marian-beam2",
        "marian-guard",
    ],
)
def test_ctranslate2_float32_translates_exactly_like_transformers(tiny_models, filename, name, tgt, settings):
    """Faithfulness: same language handling, same length limits, same decoding settings. (With beam
    search the repetition guards differ by design: transformers applies them to log-probabilities,
    CTranslate2 to logits before normalising, so beams can rank differently.)"""
    texts = GUJARATI[:10] + ["ભારત.", GUJARATI[3]]  # a duplicate, a short one; some long ones are split
    hf = loaded(spec_of(tiny_models, filename, name, backend="transformers", **settings))
    fast = loaded(spec_of(tiny_models, filename, name, backend="ctranslate2", quantization="float32", **settings))
    assert isinstance(fast, CT2Translator) and isinstance(hf, HFTranslator)
    expected = hf.translate(texts, "gu", tgt)
    assert all(s.strip() for s in expected)
    assert fast.translate(texts, "gu", tgt) == expected
    # and the same confidence: the model's own score of the output, whatever the backend
    slow_scores = [s.confidence for s in hf.translate_scored(texts, "gu", tgt)]
    fast_scores = [s.confidence for s in fast.translate_scored(texts, "gu", tgt)]
    assert all(0 < c < 1 for c in slow_scores) and len(set(slow_scores)) > 3
    assert fast_scores == pytest.approx(slow_scores, rel=1e-4, abs=1e-6)


def test_int8_is_the_cpu_default_and_keeps_one_output_per_input_in_order(tiny_models):
    spec = spec_of(tiny_models, "models.yaml", "nllb-tiny", backend="auto")
    tr = loaded(spec)
    assert isinstance(tr, Translator) and isinstance(tr, CT2Translator) and tr.quantization == "int8"
    assert tr.model_id == spec.model_id
    texts = GUJARATI[:10]
    out = tr.translate(texts, "gu", "en")
    assert len(out) == 10 and all(s.strip() for s in out) and len(set(out)) == 10
    assert out == [tr.translate([t], "gu", "en")[0] for t in texts]
    assert not any(code in s for s in out for code in ("eng_Latn", "zho_Hans", "<unk>"))
    int8 = ct2.converted_folder(spec, "int8") / "model.bin"
    float32 = ct2.converted_folder(spec, "float32") / "model.bin"
    loaded(dataclasses.replace(spec, quantization="float32"))
    assert int8.stat().st_size < 0.5 * float32.stat().st_size  # really stored as 8-bit weights


def test_auto_takes_ctranslate2_when_it_can_convert_the_model(tiny_models):
    for filename, name, _ in FAMILIES:
        spec = spec_of(tiny_models, filename, name, backend="auto")
        assert resolve_backend(spec) == "ctranslate2"
        assert resolve_backend(dataclasses.replace(spec, backend="transformers")) == "transformers"
    it2 = dataclasses.replace(spec, family="indictrans2")
    assert resolve_backend(it2) == "ctranslate2"  # converted by our own code, never the hub's
    with pytest.raises(PipelineError, match=r"CTranslate2 backend only.*never runs\); set backend: ctranslate2"):
        resolve_backend(dataclasses.replace(it2, backend="transformers"))


def test_conversion_happens_once_and_is_cached_per_model_and_quantization(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CT2_CACHE", str(tmp_path / "ct2"))
    spec = spec_of(tiny_models, "models-m2m100.yaml", "m2m100-tiny", backend="ctranslate2")
    conversions = []
    real = ct2._convert
    monkeypatch.setattr(ct2, "_convert", lambda *a: (conversions.append(a[3]), real(*a))[1])
    first = CT2Translator(spec, device="cpu").translate(GUJARATI[:4], "gu", "zh")
    second = CT2Translator(spec, device="cpu").translate(GUJARATI[:4], "gu", "zh")
    assert first == second and conversions == ["int8"]
    folder = ct2.converted_folder(spec, "int8")
    assert folder.parent == tmp_path / "ct2" and folder.name.startswith("m2m100-tiny--int8--")
    assert json.loads((folder / "pipeline-source.json").read_text())["model_id"] == spec.model_id
    CT2Translator(dataclasses.replace(spec, quantization="float32"), device="cpu")
    assert conversions == ["int8", "float32"]
    assert sorted(p.name for p in (tmp_path / "ct2").iterdir() if not p.name.endswith(".lock")) == sorted(
        [folder.name, ct2.converted_folder(dataclasses.replace(spec, quantization="float32"), "float32").name]
    )


def test_an_interrupted_conversion_leaves_nothing_behind(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CT2_CACHE", str(tmp_path / "ct2"))
    spec = spec_of(tiny_models, "models.yaml", "nllb-tiny", backend="ctranslate2")

    def interrupted(spec, checkpoint, out, quantization):
        (out / "model.bin").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(ct2, "_convert", interrupted)
    with pytest.raises(KeyboardInterrupt):
        CT2Translator(spec, device="cpu")
    assert [p.name for p in (tmp_path / "ct2").iterdir() if not p.name.endswith(".lock")] == []
    monkeypatch.undo()
    monkeypatch.setenv("PIPELINE_CT2_CACHE", str(tmp_path / "ct2"))
    assert CT2Translator(spec, device="cpu").translate(["ભારત."], "gu", "en")[0].strip()


def test_batches_are_spread_over_the_workers_and_duplicates_translated_once(tiny_models, monkeypatch):
    tr = loaded(spec_of(tiny_models, "models.yaml", "nllb-tiny", backend="ctranslate2"))
    assert tr.inter_threads == ct2.thread_split(ct2_cores())[0]
    calls = []
    real = tr.model.translate_batch

    class Recorder:
        def translate_batch(self, tokens, **kwargs):
            calls.append((tokens, kwargs))
            return real(tokens, **kwargs)

        def __getattr__(self, name):  # score_batch and the rest: the real model's
            return getattr(real.__self__, name)

    monkeypatch.setattr(tr, "model", Recorder())
    a, b, c = "ગુજરાત એક રાજ્ય છે.", "ભારત એક દેશ છે.", "અમદાવાદ મોટું શહેર છે."
    out = tr.translate([a, b, a, c, b, a], "gu", "zh")
    # one budget-sized batch would do; it is split so that every worker gets one
    assert sum(len(tokens) for tokens, _ in calls) == 3 and len(calls) >= min(3, tr.inter_threads)
    assert out[0] == out[2] == out[5] and out[1] == out[4]
    for tokens, kwargs in calls:
        assert all(t[0] == "guj_Gujr" and t[-1] == "</s>" for t in tokens)
        assert kwargs["target_prefix"] == [["zho_Hans"]] * len(tokens) and kwargs["beam_size"] == 2


def ct2_cores():
    from pipeline.mt.batching import cpu_count

    return cpu_count()


def test_thread_split():
    assert ct2.thread_split(1) == (1, 1)
    assert ct2.thread_split(2) == (1, 2)  # measured best on 2 cores (bench/mt_speed.py)
    assert ct2.thread_split(8) == (2, 4)
    assert ct2.thread_split(16) == (4, 4)


def test_a_vocabulary_that_disagrees_with_the_tokenizer_is_refused(tiny_models, tmp_path):
    tr = loaded(spec_of(tiny_models, "models-m2m100.yaml", "m2m100-tiny", backend="ctranslate2"))
    folder = ct2.converted_folder(tr.spec, "int8")
    vocab = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert "__en__" in vocab and vocab.index("__en__") == tr.tokenizer.get_lang_id("en")
    ct2.check_vocabulary(folder, tr.tokenizer, tr.spec)  # the real one passes
    shifted = tmp_path / "shifted"
    shifted.mkdir()
    (shifted / "shared_vocabulary.json").write_text(json.dumps(vocab[:5] + vocab[6:]), encoding="utf-8")
    with pytest.raises(PipelineError, match="disagrees with the tokenizer"):
        ct2.check_vocabulary(shifted, tr.tokenizer, tr.spec)


def test_a_folder_without_a_model_is_a_clear_error_on_ctranslate2(tmp_path):
    (tmp_path / "empty-model").mkdir()
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  m:\n    family: nllb\n    source: ./empty-model\n    backend: ctranslate2\npairs:\n  gu-en: m\n"
    )
    with pytest.raises(ModelUnavailable, match="empty-model does not hold a loadable model"):
        load_translator(load_config(path).models["m"], device="cpu")


def test_spread_splits_the_largest_batches_until_every_worker_has_one():
    from pipeline.mt.batching import spread

    assert spread([["a", "b", "c", "d"], ["e"]], 4) == [["a"], ["b"], ["c", "d"], ["e"]]
    assert spread([["a", "b"]], 1) == [["a", "b"]]
    assert spread([["a"], ["b"]], 4) == [["a"], ["b"]]  # nothing left to split
    assert spread([], 2) == []
