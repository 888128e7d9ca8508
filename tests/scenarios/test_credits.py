"""Models whose licence asks for credit (CC-BY, as OPUS-MT's does): `pipeline run` and `pipeline models`
give the credit as models.yaml states it, or say what to add."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE = "ગુજરાત ભારતનું એક રાજ્ય છે. અમદાવાદ મોટું શહેર છે.\n"


def tiny_file(models_file, folder: Path, pairs: str, attribution: str | None = None) -> Path:
    """The tiny models' file with absolute sources, OPUS-MT's tiny stand-in credited as `attribution`
    says, and `pairs`."""
    text = models_file.text().split("pairs:")[0]
    if attribution is not None:
        marian = "source: " + str(models_file.cache / "marian-en-zh-tiny") + "\n"
        text = text.replace(marian, marian + f"    attribution: {attribution}\n")
    path = folder / "models.yaml"
    path.write_text(text + "pairs:\n" + pairs, encoding="utf-8")
    return path


def test_a_cc_by_model_is_credited_by_run_and_models_as_models_yaml_states_it(tmp_path, pipeline, models_file):
    credit = "Tiny OPUS-MT stand-in by the test suite, CC BY 4.0"
    models = tiny_file(
        models_file,
        tmp_path,
        "  gu-en: madlad-tiny\n  gu-zh: [madlad-tiny, marian-en-zh-tiny]\n",
        attribution=f'"{credit}"',
    )
    (tmp_path / "news.txt").write_text(ARTICLE, encoding="utf-8")
    line = f"credit for marian-en-zh-tiny (CC-BY-4.0 requires it wherever its translations are published): {credit}"
    out = pipeline("run", "news.txt", "--to", "en,zh_Hans,zh_Hant", "--models", models, cwd=tmp_path).stdout
    assert out.count(line) == 1 and "NON-COMMERCIAL" not in out  # two zh locales, one model: one credit
    assert out.splitlines()[-1] == line  # after the licences
    assert "credit for madlad-tiny" not in out  # Apache-2.0 asks for none
    out = pipeline("models", "--models", models, cwd=tmp_path).stdout
    assert out.count(line) == 1 and "NON-COMMERCIAL" not in out
    rows = json.loads(pipeline("models", "--json", "--models", models, cwd=tmp_path).stdout)
    assert [(r["model"], r["attribution"]) for r in rows] == [
        ("madlad-tiny", None),
        ("madlad-tiny", None),
        ("marian-en-zh-tiny", credit),
    ]


def test_a_cc_by_model_without_its_credit_is_named_with_what_to_add(tmp_path, pipeline, models_file):
    models = tiny_file(models_file, tmp_path, "  gu-zh: [madlad-tiny, marian-en-zh-tiny]\n")
    (tmp_path / "news.txt").write_text(ARTICLE, encoding="utf-8")
    out = pipeline("run", "news.txt", "--to", "zh_Hans", "--models", models, cwd=tmp_path).stdout
    assert (
        "credit for marian-en-zh-tiny: CC-BY-4.0 requires naming its authors wherever its translations are "
        "published; state who they are as `attribution:` in models.yaml"
    ) in out


def test_an_empty_attribution_is_refused_naming_its_line(tmp_path, pipeline, models_file):
    models = tiny_file(models_file, tmp_path, "  gu-zh: [madlad-tiny, marian-en-zh-tiny]\n", attribution='"  "')
    line = next(i for i, text in enumerate(models.read_text(encoding="utf-8").splitlines(), 1) if "attribution" in text)
    err = pipeline("models", "--models", models, cwd=tmp_path, code=2).stderr
    assert f"models.yaml:{line}: models.marian-en-zh-tiny.attribution must not be empty" in err
    assert "Traceback" not in err
