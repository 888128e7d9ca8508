"""A model folder or a converted model damaged on disk, through the `pipeline` command: a message
naming the folder and the file with exit status 2 (never a traceback, never "translated" with
empty msgstrs), and a CTranslate2 conversion that no longer loads is converted again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SENTENCES = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે. નવી શાળા ગામમાં ખુલી છે.\n"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "sentencepiece.bpe.model")


def project(tmp_path: Path, tiny_models: Path, backend: str = "transformers") -> Path:
    """A project whose gu-en model is a copy of the tiny NLLB in ./model, to be damaged."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(SENTENCES, encoding="utf-8")
    shutil.copytree(tiny_models.parent / "nllb-tiny", tmp_path / "model")
    (tmp_path / "models.yaml").write_text(
        "models:\n  nllb:\n    family: nllb\n    source: ./model\n    licence: CC-BY-NC-4.0\n"
        f"    backend: {backend}\n    generation:\n      beam_size: 1\n      max_length_extra: 4\n"
        "pairs:\n  gu-en: nllb\n",
        encoding="utf-8",
    )
    return tmp_path


def refused(proc, *words: str) -> None:
    """`proc` ran with `code=2`: the message names each of `words`, and no traceback."""
    assert "Traceback" not in proc.stderr and all(w in proc.stderr for w in words), proc.stderr


@pytest.mark.parametrize("kept", [("tokenizer_config.json",), ()], ids=["config only", "none"])
def test_a_model_folder_without_tokenizer_files_is_named_not_translated_empty(tmp_path, tiny_models, kept, pipeline):
    folder = project(tmp_path, tiny_models)
    for name in TOKENIZER_FILES:
        if name not in kept:
            (folder / "model" / name).unlink()
    proc = pipeline("run", "articles", "--to", "en", cwd=folder, separate=True, code=2)
    refused(proc, "model", "no tokenizer files", "tokenizer.json or sentencepiece.bpe.model")
    assert not (folder / "locales" / "en").exists()


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_a_cut_off_safetensors_file_is_named(tmp_path, tiny_models, backend, pipeline):
    folder = project(tmp_path, tiny_models, backend)
    weights = folder / "model" / "model.safetensors"
    os.truncate(weights, weights.stat().st_size // 3)
    env = {**os.environ, "PIPELINE_CT2_CACHE": str(tmp_path / "ct2")}
    proc = pipeline("run", "articles", "--to", "en", cwd=folder, separate=True, env=env, code=2)
    refused(proc, "model.safetensors is cut short")
    assert not (folder / "locales" / "en").exists() and not list((tmp_path / "ct2").glob("*/model.bin"))


@pytest.mark.parametrize("damage", ["model.bin", "shared_vocabulary.json", "config.json"])
def test_a_damaged_ctranslate2_conversion_in_the_cache_is_converted_again(tmp_path, tiny_models, damage, pipeline):
    folder = project(tmp_path, tiny_models, "ctranslate2")
    env = {**os.environ, "PIPELINE_CT2_CACHE": str(tmp_path / "ct2")}
    pipeline("run", "articles", "--to", "en", cwd=folder, separate=True, env=env)
    (converted,) = (tmp_path / "ct2").glob("*/model.bin")
    target = converted.parent / damage
    if damage == "model.bin":
        os.truncate(target, 5000)
    else:
        target.write_text("{", encoding="utf-8")
    shutil.rmtree(folder / ".pipeline")  # no translation memory: the model must be loaded again
    proc = pipeline("run", "articles", "--to", "en", cwd=folder, separate=True, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "does not load" in proc.stderr and "converting it again" in proc.stderr
    assert "2 translated by" in proc.stdout
    pipeline("run", "articles", "--to", "en", cwd=folder, separate=True, env=env)
