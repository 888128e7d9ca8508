"""Every family's language token reaches the model as its id: a MADLAD-400 tokenizer that cannot
give `<2en>` as one token is refused with a message naming the tokenizer and the transformers
version, and never translates into whatever language its pieces happen to steer to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import load_builder
from test_ct2 import loaded
from test_ct2 import spec_of as spec_in
from test_mt import record_generate

GUJARATI = "ગુજરાત ભારતનું એક રાજ્ય છે."


def madlad_without_language_tokens(tiny_models: Path, folder: Path) -> Path:
    """The tiny MADLAD model with a tokenizer whose vocabulary lacks the `<2xx>` pieces, so that
    `<2en>` can only be spelt in smaller pieces (as a changed tokenizer could do)."""
    from transformers import T5Tokenizer

    builder = load_builder()
    shutil.copytree(tiny_models.parent / builder.MADLAD_DIR, folder)
    for name in ("spiece.model", "tokenizer.json", "tokenizer_config.json"):
        (folder / name).unlink(missing_ok=True)
    spm = builder._train_spm(
        folder / "plain",
        [builder.TEXT["gu"], builder.TEXT["en"]],
        1000,
        ids=dict(unk_id=2, bos_id=-1, eos_id=1, pad_id=0),
    )
    spm.rename(folder / "spiece.model")
    tok = T5Tokenizer.from_pretrained(str(folder), extra_ids=0)
    assert tok.convert_tokens_to_ids("<2en>") == tok.unk_token_id  # the premise: no such token
    assert len(tok("<2en>").input_ids) > 2  # spelt in pieces
    tok.save_pretrained(str(folder))
    return folder


def test_a_madlad_tokenizer_without_the_target_token_refuses_to_run(tiny_models, tmp_path, pipeline):
    model = madlad_without_language_tokens(tiny_models, tmp_path / "madlad-split")
    (tmp_path / "models.yaml").write_text(
        f"models:\n  madlad:\n    family: madlad\n    source: {model}\n    licence: Apache-2.0\n"
        "pairs:\n  gu-en: madlad\n",
        encoding="utf-8",
    )
    (tmp_path / "article.txt").write_text(GUJARATI + "\n", encoding="utf-8")
    proc = pipeline(
        "run", "article.txt", "--to", "en", "--models", "models.yaml", cwd=tmp_path, separate=True, timeout=600, code=2
    )
    import transformers

    assert "Traceback" not in proc.stderr
    assert "'<2en>'" in proc.stderr and "T5Tokenizer" in proc.stderr
    assert f"transformers {transformers.__version__}" in proc.stderr
    assert not (tmp_path / "locales" / "en").exists()  # nothing translated, nothing written


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_madlad_input_is_the_target_id_then_the_sentence_as_the_tokenizer_encodes_it(tiny_models, monkeypatch, backend):
    spec = spec_in(tiny_models, "models-pivot.yaml", "madlad-tiny", backend=backend)
    tr = loaded(spec)
    tok = tr.tokenizer
    if backend == "transformers":
        calls = record_generate(monkeypatch, tr)
        tr.translate([GUJARATI], "gu", "en")
        rows = [row for ids in calls for row in ids.tolist()]
    else:
        seen = []

        class Recording:  # the CTranslate2 model, recording the tokens each batch gets
            def __init__(self, model):
                self.model = model

            def translate_batch(self, tokens, **kwargs):
                seen.extend(tokens)
                return self.model.translate_batch(tokens, **kwargs)

            def __getattr__(self, name):
                return getattr(self.model, name)

        monkeypatch.setattr(tr, "model", Recording(tr.model))
        tr.translate([GUJARATI], "gu", "en")
        rows = [tok.convert_tokens_to_ids(t) for t in seen]
    assert rows == [[tok.convert_tokens_to_ids("<2en>"), *tok(GUJARATI).input_ids]]
