"""A glossary through the whole pipeline: fixed terms never reach the model and come back in the
locale's form, and every entry missing a term names the expected one for the reviewer; the same
from `--glossary` and from models.yaml, on both backends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import polib
import pytest
from test_spans_run import CopyingTranslator

from pipeline import jobs
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.glossary import load_glossary
from pipeline.glossary.matching import find_terms

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"
GLOSSARY = ROOT / "examples" / "glossary.csv"
FIXED = [t.source for t in load_glossary(GLOSSARY).terms if t.fixed]


def entries(root: Path, locale: str) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(root / "locales" / locale / "LC_MESSAGES" / "messages.po"))
    return {e.msgid: e for e in po if not e.obsolete}


def models_for(models_file, folder: Path, backend: str, glossary: Path | None = None) -> Path:
    """The tiny models on `backend`, greedy, with `glossary` named in the file when given."""
    path = models_file(folder, out=f"models-{backend}.yaml", beam_size=1, backend=backend)
    if glossary is not None:
        path.write_text(path.read_text(encoding="utf-8") + f"glossary: {glossary}\n", encoding="utf-8")
    return path


def test_fixed_terms_come_back_in_each_locale_form(tmp_path, tiny_models):
    """A model that copies its input shows what it was given and what comes back."""
    (tmp_path / "a.txt").write_text("જાહેર સુરક્ષા મંત્રાલયે ચીનના શહેરોની મુલાકાત લીધી.\n", encoding="utf-8")
    seen = []
    config = load_config(tiny_models).with_glossary(GLOSSARY)
    paths = jobs.Paths(tmp_path / ".pipeline", tmp_path / "locales", "messages")
    jobs.run_all([tmp_path / "a.txt"], ["en", "zh_Hans"], config, paths, lambda spec: CopyingTranslator(seen))
    assert seen == ["[1] [2]ના શહેરોની મુલાકાત લીધી."] * 2  # the model never saw the names
    (en,) = entries(tmp_path, "en").values()
    (zh,) = entries(tmp_path, "zh_Hans").values()
    assert en.msgstr == "Ministry of Public Security Chinaના શહેરોની મુલાકાત લીધી."
    assert zh.msgstr == "公安部 中国ના શહેરોની મુલાકાત લીધી."  # the copying model kept the space
    assert "terminology" not in en.comment and "qa: untranslated" in en.comment


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_the_sample_article_with_its_glossary(tmp_path, monkeypatch, capsys, backend, models_file):
    monkeypatch.chdir(tmp_path)
    models = models_for(models_file, tmp_path, backend)
    argv = ["run", str(EXAMPLE), "--to", "en,zh_Hans", "--models", str(models), "--glossary", str(GLOSSARY)]
    assert main(argv) == 0
    with sqlite3.connect(tmp_path / ".pipeline" / "memory.sqlite") as db:
        model_inputs = [row[0] for row in db.execute("SELECT source FROM translations")]
    assert model_inputs and not any(term in text for text in model_inputs for term in FIXED)
    assert any("[1]" in text for text in model_inputs)

    glossary = load_glossary(GLOSSARY)
    checked = 0
    for locale in ("en", "zh_Hans"):
        for msgid, entry in entries(tmp_path, locale).items():
            for match in find_terms(msgid, glossary):
                target = match.term.target(locale)
                expected = f"qa: terminology: glossary term {match.term.source} is {target!r} in {locale}"
                if target.casefold() in entry.msgstr.casefold():
                    assert expected not in entry.comment
                else:
                    assert expected in entry.comment
                    checked += 1
    assert checked > 5  # the random model drops most markers: each loss is named for the reviewer

    before = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()}
    assert main(argv) == 0
    assert {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()} == before
    # the same glossary set in models.yaml gives the same catalogues
    (tmp_path / "yaml").mkdir()
    in_yaml = models_for(models_file, tmp_path / "yaml", backend, GLOSSARY)
    assert main(["run", str(EXAMPLE), "--to", "en,zh_Hans", "--models", str(in_yaml)]) == 0
    assert {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()} == before
    # without it, the terms go back to the model and the terminology notes disappear
    assert main(["run", str(EXAMPLE), "--to", "en", "--models", str(models)]) == 0
    assert not any("terminology" in e.comment for e in entries(tmp_path, "en").values())


def test_translate_and_localize_take_the_glossary_too(tmp_path, monkeypatch, models_file):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("જાહેર સુરક્ષા મંત્રાલયે ચીનના શહેરોની મુલાકાત લીધી.\n", encoding="utf-8")
    models = models_for(models_file, tmp_path, "transformers")
    assert main(["segment", "a.txt"]) == 0
    assert main(["translate", "--to", "en", "--models", str(models), "--glossary", str(GLOSSARY)]) == 0
    assert main(["localize", "--to", "en", "--models", str(models), "--glossary", str(GLOSSARY)]) == 0
    assert main(["catalog", "--to", "en", "--models", str(models)]) == 0
    (entry,) = entries(tmp_path, "en").values()
    with sqlite3.connect(tmp_path / ".pipeline" / "memory.sqlite") as db:
        assert [row[0] for row in db.execute("SELECT source FROM translations")] == ["[1] [2]ના શહેરોની મુલાકાત લીધી."]
    assert "Ministry of Public Security" in entry.msgstr or "terminology: glossary term" in entry.comment


def test_a_bad_glossary_stops_the_run_before_anything_is_written(tmp_path, monkeypatch, capsys, models_file):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "glossary.csv"
    bad.write_text("gu,en\nચીન,China,extra\n", encoding="utf-8")
    models = models_for(models_file, tmp_path, "transformers")
    assert main(["run", str(EXAMPLE), "--to", "en", "--models", str(models), "--glossary", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f"pipeline: error: {bad}:2: 3 fields where the header has 2"
    assert not (tmp_path / "locales").exists() and not (tmp_path / ".pipeline").exists()
    in_yaml = models_for(models_file, tmp_path, "ctranslate2", bad)
    assert main(["run", str(EXAMPLE), "--to", "en", "--models", str(in_yaml)]) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
