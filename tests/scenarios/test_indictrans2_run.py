"""IndicTrans2 through the commands users run: `run` (gu→en, and gu→zh through OPUS-MT in both
scripts), a re-run after review, `evaluate`, and model folders refused with exit 2 (`serve`:
tests/serve/test_indictrans2.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from pipeline.config import load_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "flores-sample"
ARTICLE = "ગુજરાત ભારતનું એક રાજ્ય છે.\n\nઅમદાવાદ સૌથી મોટું શહેર છે.\n\nવિગતો https://gujarat.gov.in પર છે.\n"


@pytest.fixture(scope="module")
def it2_models(models_file, tmp_path_factory) -> Path:
    """models-indictrans2.yaml with absolute model folders (gu-en: IndicTrans2; gu-zh: through OPUS-MT)."""
    return models_file(tmp_path_factory.mktemp("it2"), "models-indictrans2.yaml")


def catalogue(folder: Path, locale: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(folder / "locales" / locale / "LC_MESSAGES" / "messages.po"))}


def test_run_pivots_to_both_chinese_scripts_and_keeps_a_review(tmp_path, it2_models, pipeline):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    pipeline("run", "a.txt", "--to", "en,zh_Hans,zh_Hant", "--models", it2_models, cwd=tmp_path)
    config = load_config(it2_models)
    it2, opus = config.models["indictrans2-tiny"].model_id, config.models["marian-en-zh-tiny"].model_id
    en, hans, hant = (catalogue(tmp_path, loc) for loc in ("en", "zh_Hans", "zh_Hant"))
    assert len(en) == len(hans) == len(hant) == 3
    for entry in en.values():
        assert entry.fuzzy and entry.msgstr and f"machine translation: {it2}\n" in entry.comment + "\n"
        assert not any(t in entry.msgstr for t in ("<unk>", "<s>", "</s>", "<pad>", "eng_Latn", "guj_Gujr"))
    for entries in (hans, hant):
        assert all(e.msgstr and f"machine translation: {it2} → {opus}" in e.comment for e in entries.values())
    assert {e.msgstr for e in hans.values()} != {e.msgstr for e in hant.values()}  # two targets, two outputs
    # a person approves an edited entry; the next run keeps it verbatim and translates nothing
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr, po[0].flags = "Gujarat is a state of India.", []
    po.save()
    again = pipeline("run", "a.txt", "--to", "en,zh_Hans,zh_Hant", "--models", it2_models, cwd=tmp_path)
    after = catalogue(tmp_path, "en")
    assert after[po[0].msgid].msgstr == "Gujarat is a state of India." and not after[po[0].msgid].fuzzy
    assert "en: 0 translated" in again.stdout


def test_evaluate_scores_the_route(tmp_path, it2_models, pipeline):
    proc = pipeline(
        "evaluate",
        "--src",
        SAMPLE / "guj_Gujr.txt",
        "--ref",
        SAMPLE / "eng_Latn.txt",
        "--to",
        "en",
        "--models",
        it2_models,
        "--limit",
        "6",
        "--json",
        cwd=tmp_path,
    )
    (row,) = json.loads(proc.stdout)
    assert row["label"] == "models.yaml: indictrans2-tiny (ctranslate2, auto, beam 1)"
    assert row["lines"] == 6 and 0 <= row["bleu"] < 5
    zh = pipeline(
        "evaluate",
        "--src",
        SAMPLE / "guj_Gujr.txt",
        "--ref",
        SAMPLE / "zho_Hans.txt",
        "--to",
        "zh_Hant",
        "--models",
        it2_models,
        "--limit",
        "3",
        "--json",
        cwd=tmp_path,
    )
    assert json.loads(zh.stdout)[0]["lines"] == 3


@pytest.mark.parametrize(
    "damage", ["dict.SRC.json", "model.TGT", "config.json", "model.safetensors", "a dictionary of another model"]
)
def test_a_damaged_model_folder_is_refused_naming_the_file(tmp_path, it2_models, tiny_models, damage, pipeline):
    folder = tmp_path / "it2"
    shutil.copytree(tiny_models.parent / "indictrans2-tiny", folder)
    if damage.endswith("another model"):
        mapping = json.loads((folder / "dict.SRC.json").read_text(encoding="utf-8"))
        del mapping[max(mapping, key=mapping.__getitem__)]
        (folder / "dict.SRC.json").write_text(json.dumps(mapping), encoding="utf-8")
        named = f"{folder / 'dict.SRC.json'} has"
    else:
        (folder / damage).unlink()
        named = damage if damage != "model.safetensors" else "no weights"
    models = tmp_path / "models.yaml"
    models.write_text(
        f"models:\n  it2:\n    family: indictrans2\n    source: {folder}\npairs:\n  gu-en: it2\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ran = pipeline("run", "a.txt", "--to", "en", "--models", models, cwd=tmp_path, code=2)
    assert named in ran.err and str(folder) in ran.err and "Traceback" not in ran.err
    assert not (tmp_path / "locales" / "en").exists()


def test_the_transformers_backend_is_refused_naming_ctranslate2(tmp_path, tiny_models, pipeline):
    models = tmp_path / "models.yaml"
    models.write_text(
        f"models:\n  it2:\n    family: indictrans2\n    source: {tiny_models.parent}/indictrans2-tiny\n"
        "    backend: transformers\npairs:\n  gu-en: it2\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ran = pipeline("run", "a.txt", "--to", "en", "--models", models, cwd=tmp_path, code=2)
    assert "IndicTrans2 models run on the CTranslate2 backend only" in ran.err and "Traceback" not in ran.err
