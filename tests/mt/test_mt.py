"""pipeline.mt on tiny random models of each family, loaded through models.yaml like a user's."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ModelUnavailable, PipelineError
from pipeline.mt import Translator, load_translator
from pipeline.mt.hf import HFTranslator, split_sentence, token_batches

# MarianTokenizer asks for sacremoses on every load; the tiny Marian model does not need it.
pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

REPO = Path(__file__).parent.resolve().parent.parent
SAMPLE = Path(__file__).parent.resolve().parent / "data" / "flores-sample"
GUJARATI = SAMPLE.joinpath("guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
SHORT = ["ગુજરાત એક રાજ્ય છે.", "ભારત એક દેશ છે.", "અમદાવાદ મોટું શહેર છે."]
NLLB_REVISION = "f8d333a098d19b4fd9a8b18f94170487ad3f821d"

# (models file, model name, target language)
FAMILIES = [
    ("models.yaml", "nllb-tiny", "en"),
    ("models.yaml", "nllb-tiny", "zh"),
    ("models-m2m100.yaml", "m2m100-tiny", "en"),
    ("models-m2m100.yaml", "m2m100-tiny", "zh"),
    ("models-marian.yaml", "marian-gu-en-tiny", "en"),
    ("models-madlad.yaml", "madlad-tiny", "en"),
    ("models-madlad.yaml", "madlad-tiny", "zh"),
]

_loaded: dict[tuple[Path, str], HFTranslator] = {}


def translator(tiny_models: Path, filename: str, name: str) -> HFTranslator:
    key = (tiny_models.parent / filename, name)
    if key not in _loaded:
        _loaded[key] = load_translator(load_config(key[0]).models[name], device="cpu")
    return _loaded[key]


def with_generation(tr: HFTranslator, **changes) -> HFTranslator:
    """The same loaded model under other generation settings."""
    spec = dataclasses.replace(tr.spec, generation=dataclasses.replace(tr.spec.generation, **changes))
    return HFTranslator(spec, device="cpu", tokenizer=tr.tokenizer, model=tr.model)


def record_generate(monkeypatch, tr: HFTranslator) -> list:
    """Replace tr.model.generate by a wrapper that records each call's input_ids."""
    calls: list = []
    real = tr.model.generate

    def generate(*args, **kwargs):
        calls.append(kwargs["input_ids"].clone())
        return real(*args, **kwargs)

    monkeypatch.setattr(tr.model, "generate", generate)
    return calls


# --- tokenizers ------------------------------------------------------------------------------


def test_nllb_tokenizer_has_the_sentencepiece_pieces_and_the_language_codes(tiny_models):
    import sentencepiece as spm

    tok = translator(tiny_models, "models.yaml", "nllb-tiny").tokenizer
    folder = load_config(tiny_models).models["nllb-tiny"].local_path
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.bpe.model"))
    assert sp.get_piece_size() == 2000
    # <s> <pad> </s> <unk>, the 1997 learned pieces, <mask>, guj_Gujr eng_Latn zho_Hans zho_Hant
    assert len(tok) == 2006
    codes = tok.convert_tokens_to_ids(["guj_Gujr", "eng_Latn", "zho_Hans", "zho_Hant"])
    assert len(set(codes)) == 4 and tok.unk_token_id not in codes
    tok.src_lang = "guj_Gujr"
    for line in GUJARATI[:50]:
        ids = tok(line).input_ids
        assert ids[0] == codes[0] and ids[-1] == tok.eos_token_id
        assert ids[1:-1] == [i + 1 for i in sp.encode(line)]  # the fairseq offset of one
    unknown = sum(tok(line).input_ids.count(tok.unk_token_id) for line in GUJARATI[:50])
    assert unknown == 0


def test_m2m100_tokenizer_has_language_tokens(tiny_models):
    tok = translator(tiny_models, "models-m2m100.yaml", "m2m100-tiny").tokenizer
    ids = [tok.get_lang_id(lang) for lang in ("gu", "en", "zh")]
    assert len(set(ids)) == 3 and min(ids) >= tok.vocab_size == 2001
    tok.src_lang = "gu"
    enc = tok(GUJARATI[0]).input_ids
    assert enc[0] == ids[0] and enc[-1] == tok.eos_token_id and tok.unk_token_id not in enc


def test_marian_tokenizer_uses_its_source_pieces(tiny_models):
    tok = translator(tiny_models, "models-marian.yaml", "marian-gu-en-tiny").tokenizer
    enc = tok(GUJARATI[0]).input_ids
    assert len(enc) > 10 and enc[-1] == tok.eos_token_id and tok.unk_token_id not in enc


# --- translating -----------------------------------------------------------------------------


@pytest.mark.parametrize("filename,name,tgt", FAMILIES)
def test_each_family_translates_one_sentence_per_input_in_order(tiny_models, filename, name, tgt):
    config = load_config(tiny_models.parent / filename)
    assert config.model_for(tgt).name == name  # routed as a user's models.yaml would
    tr = translator(tiny_models, filename, name)
    assert isinstance(tr, Translator) and tr.model_id == config.models[name].model_id
    texts = GUJARATI[:12]
    out = tr.translate(texts, "gu", tgt)
    assert len(out) == len(texts) and all(isinstance(s, str) and s.strip() for s in out)
    assert len(set(out)) == len(texts)  # the random model still depends on its input ...
    assert out == [tr.translate([t], "gu", tgt)[0] for t in texts]  # ... so this checks the order
    assert not any(code in s for s in out for code in ("__en__", "__zh__", "eng_Latn", "zho_Hans", "<unk>"))


def test_identical_inputs_are_translated_once(tiny_models, monkeypatch):
    tr = translator(tiny_models, "models.yaml", "nllb-tiny")
    calls = record_generate(monkeypatch, tr)
    a, b, c = SHORT
    out = tr.translate([a, b, a, a, c, b], "gu", "en")
    assert sum(len(ids) for ids in calls) == 3
    assert out[0] == out[2] == out[3] and out[1] == out[5] and len({out[0], out[1], out[4]}) == 3


def test_blank_inputs_give_blank_outputs_without_the_model(tiny_models, monkeypatch):
    tr = translator(tiny_models, "models.yaml", "nllb-tiny")
    calls = record_generate(monkeypatch, tr)
    seen: list[int] = []
    assert tr.translate(["", "  "], "gu", "en", progress=seen.append) == ["", ""]
    assert tr.translate([], "gu", "en") == []
    assert calls == [] and sum(seen) == 2


def test_batches_keep_the_token_budget_and_the_order(tiny_models, monkeypatch):
    tr = with_generation(translator(tiny_models, "models.yaml", "nllb-tiny"), batch_tokens=120, max_input_tokens=512)
    texts = [GUJARATI[i] for i in (5, 40, 7, 3, 90, 12, 61, 2, 33, 8)]
    texts += ["ભારત.", "ગુજરાત એક રાજ્ય છે.", GUJARATI[5][:40]]
    expected = [tr.translate([t], "gu", "zh")[0] for t in texts]
    calls = record_generate(monkeypatch, tr)
    progress: list[int] = []
    assert tr.translate(texts, "gu", "zh", progress=progress.append) == expected
    assert len(calls) > 2 and sum(len(ids) for ids in calls) == len(texts)
    for ids in calls:
        assert ids.shape[0] == 1 or ids.numel() <= 120  # padded tokens per batch
    lengths = [ids.shape[1] for ids in calls]
    assert lengths == sorted(lengths, reverse=True)  # longest first
    assert sum(progress) == len(texts) and len(progress) <= len(calls) + 1


def test_an_over_long_sentence_is_split_at_clauses_not_truncated(tiny_models, monkeypatch):
    tr = with_generation(translator(tiny_models, "models.yaml", "nllb-tiny"), max_input_tokens=20)
    clauses = ["ગુજરાત ભારતનું એક રાજ્ય છે", "તેની રાજધાની ગાંધીનગર છે", "અમદાવાદ સૌથી મોટું શહેર છે", "અને સુરત હીરા માટે જાણીતું છે"]
    sentence = ", ".join(clauses) + "."
    assert tr._count([sentence])[0] > 60 and max(tr._count(clauses)) <= 18
    calls = record_generate(monkeypatch, tr)
    (out,) = tr.translate([sentence], "gu", "en")
    tok = tr.tokenizer
    pieces = [tok.decode(row, skip_special_tokens=True) for ids in calls for row in ids.tolist()]
    assert len(pieces) > 1 and all(tr._count([p])[0] <= 20 for p in pieces)
    assert all(p.rstrip(",.") in clauses for p in pieces)  # cut at the commas, nothing lost:
    assert sorted(p.rstrip(",.") for p in pieces) == sorted(clauses)
    in_order = split_sentence(sentence, tr._count, 20)
    assert [p.rstrip(",.") for p in in_order] == clauses
    assert out == " ".join(tr.translate(in_order, "gu", "en"))


def test_split_sentence_picks_the_clause_boundary_nearest_the_middle():
    def words(texts):
        return [len(t.split()) for t in texts]

    assert split_sentence("a b c", words, 3) == ["a b c"]
    assert split_sentence("a b c d, e f; g h", words, 4) == ["a b c d,", "e f; g h"]
    assert split_sentence("a b, c d; e f, g h", words, 4) == ["a b, c d;", "e f, g h"]
    assert split_sentence("a b, c d; e f, g h", words, 2) == ["a b,", "c d;", "e f,", "g h"]
    # no clause boundary: the space nearest the middle; "10:30" and "1,00,000" are not boundaries
    assert split_sentence("at 10:30 paid 1,00,000 rupees", words, 3) == ["at 10:30 paid", "1,00,000 rupees"]
    long_word = "ગુજરાતગુજરાત"
    pieces = split_sentence(long_word, lambda ts: [len(t) for t in ts], 5)
    assert "".join(pieces) == long_word and all(len(p) <= 5 for p in pieces)
    assert all(p[0] not in "ુ્ા" for p in pieces)  # no piece starts with a combining sign


def test_token_batches():
    lengths = {"a": 9, "b": 8, "c": 8, "d": 3, "e": 2, "f": 30}
    assert list(token_batches(["f", "a", "b", "c", "d", "e"], lengths, 20)) == [["f"], ["a", "b"], ["c", "d"], ["e"]]
    keyed = token_batches(["a", "b", "c", "d", "e"], lengths, 100, key=lambda x: lengths[x] > 4)
    assert list(keyed) == [["a", "b", "c"], ["d", "e"]]


def test_unknown_language_is_a_clear_error(tiny_models):
    tr = translator(tiny_models, "models.yaml", "nllb-tiny")
    with pytest.raises(PipelineError, match="'fr'"):
        tr.translate(["ભારત."], "gu", "fr")


# --- missing models --------------------------------------------------------------------------


def _hub_spec(tmp_path: Path, source: str, revision: str):
    path = tmp_path / "models.yaml"
    path.write_text(
        f"models:\n  nllb:\n    family: nllb\n    source: {source}\n    revision: {revision}\npairs:\n  gu-en: nllb\n",
        encoding="utf-8",
    )
    return load_config(path).models["nllb"]


def test_missing_hub_model_offline_is_one_clear_error(tmp_path):
    spec = _hub_spec(tmp_path, "pipeline-tests/no-such-model", "0" * 40)
    start = time.perf_counter()
    with pytest.raises(ModelUnavailable) as info:
        load_translator(spec, device="cpu")
    assert time.perf_counter() - start < 5
    message = str(info.value)
    assert "pipeline-tests/no-such-model" in message and "0" * 40 in message
    assert f"hf download pipeline-tests/no-such-model --revision {'0' * 40}" in message
    assert "HF_HUB_OFFLINE" in message and "source:" in message


def test_missing_nllb_with_an_empty_cache_fails_fast_in_a_fresh_process(tmp_path):
    """The real hub id, a fresh interpreter (huggingface_hub reads its environment at import)."""
    spec_file = tmp_path / "models.yaml"
    spec_file.write_text(
        "models:\n  nllb:\n    family: nllb\n    source: facebook/nllb-200-distilled-600M\n"
        f"    revision: {NLLB_REVISION}\npairs:\n  gu-en: nllb\n",
        encoding="utf-8",
    )
    script = textwrap.dedent(f"""
        import json, sys
        from pipeline.config import load_config
        from pipeline.errors import ModelUnavailable
        from pipeline.mt import load_translator
        try:
            load_translator(load_config({str(spec_file)!r}).models["nllb"], device="cpu")
        except ModelUnavailable as exc:
            print(json.dumps(str(exc)))
            sys.exit(0)
        sys.exit("loaded?!")
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "empty-hf-home"), PYTHONPATH=str(REPO))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.perf_counter() - start < 60
    message = json.loads(done.stdout.strip().splitlines()[-1])
    assert "facebook/nllb-200-distilled-600M" in message and NLLB_REVISION in message
    assert f"hf download facebook/nllb-200-distilled-600M --revision {NLLB_REVISION}" in message


def test_unreachable_hub_is_probed_once_not_retried(tmp_path, monkeypatch):
    """Online mode without a network: one probe, then the clear error (the hub client alone would
    retry each file for ~25 s)."""
    import huggingface_hub
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    probes = []

    def model_info(repo_id, **kwargs):
        probes.append((repo_id, kwargs))
        raise ConnectionError("Name or service not known")

    monkeypatch.setattr(huggingface_hub, "model_info", model_info)
    spec = _hub_spec(tmp_path, "pipeline-tests/no-such-model", "1" * 40)
    with pytest.raises(ModelUnavailable, match="cannot be fetched from the hub.*Name or service not known"):
        load_translator(spec, device="cpu")
    assert probes == [("pipeline-tests/no-such-model", {"revision": "1" * 40, "timeout": 10})]


def test_a_local_folder_without_a_model_is_a_clear_error(tmp_path):
    (tmp_path / "empty-model").mkdir()
    path = tmp_path / "models.yaml"
    path.write_text("models:\n  m:\n    family: nllb\n    source: ./empty-model\npairs:\n  gu-en: m\n")
    with pytest.raises(ModelUnavailable, match="empty-model does not hold a loadable model"):
        load_translator(load_config(path).models["m"], device="cpu")
