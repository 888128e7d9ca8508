"""Model routes through the CLI: a trained MADLAD → OPUS-MT pivot giving exact catalogue text in
Simplified and Traditional Chinese, licences in the run summary, scripts kept apart in the memory,
refusals and `pipeline models` (the shipped models.yaml: test_default_routes.py)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import polib
import pytest
from test_cli import snapshot

from pipeline.config import load_config
from pipeline.memory import TranslationMemory

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

URL = "https://gujarat.gov.in"
ARTICLE = (
    "દેશભરમાં લગભગ ૩,૦૦,૦૦૦ સમુદાયો બનાવવામાં આવ્યા છે. કુલ 5026 ચોકીઓ બનાવવામાં આવી છે.\n"
    "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે.\n"
    f"વિગતો {URL} પર છે.\n"
)
FIRST, SECOND = "દેશભરમાં લગભગ ૩,૦૦,૦૦૦ સમુદાયો બનાવવામાં આવ્યા છે.", "કુલ 5026 ચોકીઓ બનાવવામાં આવી છે."
THIRD, FOURTH = "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે.", f"વિગતો {URL} પર છે."


def catalogue(folder: Path, locale: str) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(folder / "locales" / locale / "LC_MESSAGES" / "messages.po"))
    return {e.msgid: e for e in po}


@pytest.fixture(scope="module")
def pivot_models(trained_model) -> Path:
    return trained_model.parent / "models-trained-pivot.yaml"


def test_a_pivot_route_gives_exact_text_in_both_chinese_scripts(tmp_path, pivot_models, pipeline):
    (tmp_path / "news.txt").write_text(ARTICLE, encoding="utf-8")
    proc = pipeline("run", "news.txt", "--to", "en,zh_Hans,zh_Hant", "--models", pivot_models, cwd=tmp_path)
    en, hans, hant = (catalogue(tmp_path, loc) for loc in ("en", "zh_Hans", "zh_Hant"))
    # numbers re-rendered once, for each locale, from the digits both legs passed through
    assert en[FIRST].msgstr == "About 300,000 communities have been built nationwide."
    assert hans[FIRST].msgstr == "全国已建成约30万个社区。"
    assert hant[FIRST].msgstr == "全國已建成約30萬個社區。"
    assert hans[SECOND].msgstr == "共建成5026个检查站。" and hant[SECOND].msgstr == "共建成5026個檢查站。"
    assert hant[THIRD].msgstr == "每天有74萬名警察執勤。"
    # the URL never reached either model and is put back once, against the Gujarati
    assert en[FOURTH].msgstr == f"Details are at {URL}."
    assert hans[FOURTH].msgstr == f"详情见{URL}。" and hant[FOURTH].msgstr == f"詳情見{URL}。"
    for entries in (en, hans, hant):
        assert all(e.fuzzy and "qa:" not in e.comment for e in entries.values())
    # the catalogue names the whole chain; each model was loaded once for the three locales
    config = load_config(pivot_models)
    madlad, opus = config.models["madlad-trained"].model_id, config.models["opus-en-zh-trained"].model_id
    assert f"machine translation: {madlad} → {opus}" in hant[FIRST].comment
    assert f"machine translation: {madlad}" in en[FIRST].comment and "→" not in en[FIRST].comment
    loads = [line for line in proc.stderr.splitlines() if line.startswith("loading ")]
    assert len(loads) == 2 and sum("madlad-trained" in line for line in loads) == 1
    # licences named once per route, none non-commercial
    summary = proc.stdout  # a line per licence, after the sources and the locales
    assert summary.count(f"licence of {madlad}: Apache-2.0\n") == 1
    assert summary.count(f"licence of {madlad} → {opus}: Apache-2.0 + CC-BY-4.0") == 1
    assert "NON-COMMERCIAL" not in summary
    # Simplified and Traditional never share a memory row
    with sqlite3.connect(tmp_path / ".pipeline" / "memory.sqlite") as db:
        rows = dict(db.execute("SELECT tgt, COUNT(*) FROM translations GROUP BY tgt").fetchall())
    assert rows == {"en": 4, "zh_Hans": 4, "zh_Hant": 4}
    # a second run loads nothing and changes nothing
    before = snapshot(tmp_path / "locales")
    again = pipeline("run", "news.txt", "--to", "en,zh_Hans,zh_Hant", "--models", pivot_models, cwd=tmp_path)
    assert "loading " not in again.stderr and snapshot(tmp_path / "locales") == before


def test_traditional_chinese_is_not_served_from_simplified_memory(tmp_path, tiny_models, project_article, pipeline):
    pipeline("run", project_article, "--to", "zh_Hans", "--models", tiny_models, cwd=tmp_path)
    proc = pipeline("run", project_article, "--to", "zh_TW", "--models", tiny_models, cwd=tmp_path)
    assert "loading " in proc.stderr  # nothing reused from the zh_Hans rows
    hans, tw = catalogue(tmp_path, "zh_Hans"), catalogue(tmp_path, "zh_Hant_TW")  # Babel names it so
    assert hans.keys() == tw.keys() and all(tw[k].msgstr != hans[k].msgstr for k in hans)
    with sqlite3.connect(tmp_path / ".pipeline" / "memory.sqlite") as db:
        tags = {t for (t,) in db.execute("SELECT DISTINCT tgt FROM translations")}
    assert tags == {"zh_Hans", "zh_Hant"}


@pytest.fixture
def project_article(tmp_path) -> str:
    (tmp_path / "news.txt").write_text("ગુજરાત ભારતનું એક રાજ્ય છે. અમદાવાદ મોટું શહેર છે.\n", encoding="utf-8")
    return "news.txt"


def test_the_summary_says_plainly_when_a_route_is_non_commercial(tmp_path, tiny_models, project_article, pipeline):
    proc = pipeline("run", project_article, "--to", "en,zh_Hans", "--models", tiny_models, cwd=tmp_path)
    summary = proc.stdout
    model_id = load_config(tiny_models).models["nllb-tiny"].model_id
    assert summary.count("NON-COMMERCIAL") == 1  # one route serves both locales: named once
    assert f"licence of {model_id}: CC-BY-NC-4.0, NON-COMMERCIAL" in summary


def test_a_route_that_cannot_write_traditional_chinese_stops_before_any_work(
    tmp_path, tiny_models, project_article, pipeline
):
    proc = pipeline(
        "run",
        project_article,
        "--to",
        "en,zh_Hant",
        "--models",
        tiny_models.parent / "models-m2m100.yaml",
        cwd=tmp_path,
        code=None,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "pair gu-zh (model 'm2m100-tiny'): m2m100 models cannot write Traditional Chinese (zh_Hant)" in proc.stderr
    assert not (tmp_path / "locales").exists()


# --- pipeline models -------------------------------------------------------------------------


def test_models_lists_each_route_with_licence_cache_and_backend(tiny_models, tmp_path, pipeline):
    proc = pipeline("models", "--models", tiny_models.parent / "models-pivot.yaml", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0].split() == [
        "pair",
        "writes",
        "step",
        "model",
        "family",
        "licence",
        "parameters",
        "cached",
        "backend",
    ]
    rows = [line.split() for line in lines[1:4]]
    assert [r[:4] for r in rows] == [
        ["gu-en", "en", "gu→en", "madlad-tiny"],
        ["gu-zh", "zh_Hans,zh_Hant", "gu→en", "madlad-tiny"],
        ["gu-zh", "zh_Hans,zh_Hant", "en→zh", "marian-en-zh-tiny"],
    ]
    assert [r[5:] for r in rows] == [["madlad", "Apache-2.0", "88.8K", "yes", "transformers"]] * 2 + [
        ["marian", "CC-BY-4.0", "103K", "yes", "transformers"]
    ]
    assert "NON-COMMERCIAL" not in proc.stdout
    data = json.loads(
        pipeline("models", "--json", "--models", tiny_models.parent / "models-pivot.yaml", cwd=tmp_path).stdout
    )
    assert [(d["pair"], d["model"], d["licence"], d["cached"]) for d in data] == [
        ("gu-en", "madlad-tiny", "Apache-2.0", True),
        ("gu-zh", "madlad-tiny", "Apache-2.0", True),
        ("gu-zh", "marian-en-zh-tiny", "CC-BY-4.0", True),
    ]


# --- models.yaml errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "models,pairs,message",
    [
        (
            "    licence: Apache 2\n",
            "  gu-en: m\n",
            r"models.yaml:5: models.m.licence is 'Apache 2', not an SPDX licence id",
        ),
        ("", "  gu-zh: [m, m, m]\n", r"models.yaml:6: pairs.gu-zh must name one model, or two to chain through en"),
        ("", "  gu-zh: [m, other]\n", r"models.yaml:6: pairs.gu-zh names model 'other', which models: does not define"),
        (
            "",
            "  gu-zh_TW: m\n",
            r"models.yaml:6: pair 'gu-zh_TW': a pair names a language \(gu-zh\) or a language and script \(gu-zh_Hant\)",
        ),
    ],
)
def test_bad_routes_and_licences_are_clear_errors(tmp_path, project_article, models, pairs, message, pipeline):
    path = tmp_path / "models.yaml"
    path.write_text(
        f"models:\n  m:\n    family: nllb\n    source: facebook/nllb-200-distilled-600M\n{models}pairs:\n{pairs}",
        encoding="utf-8",
    )
    proc = pipeline("run", project_article, "--to", "en", "--models", path, cwd=tmp_path, code=None)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert re.search(message, proc.stderr), proc.stderr


def test_licences_are_spelt_canonically_and_a_script_pair_wins(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  a:\n    family: nllb\n    source: x/a\n    licence: cc-by-nc-4.0\n"
        "  b:\n    family: madlad\n    source: x/b\n    licence: apache-2.0\n"
        "pairs:\n  gu-zh: a\n  gu-zh_Hant: b\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.models["a"].licence == "CC-BY-NC-4.0" and config.models["b"].licence == "Apache-2.0"
    assert config.route_for("zh_Hans").legs[0].spec.name == "a"
    assert [config.route_for(loc).legs[0].spec.name for loc in ("zh_Hant", "zh_TW", "zh_HK")] == ["b"] * 3
    assert config.route_for("zh_TW").tgt == "zh_Hant" and config.route_for("zh").tgt == "zh_Hans"
    assert config.locale_options("zh_Hant").number_style == "compact"


def test_memory_rows_from_before_scripts_were_keyed_count_as_simplified(tmp_path):
    path = tmp_path / "memory.sqlite"
    with TranslationMemory(path) as memory:
        memory.store({"ભારત.": "印度。"}, "gu", "zh", "key", "model")
    with TranslationMemory(path) as memory:
        assert memory.lookup(["ભારત."], "gu", "zh_Hans", "key") == {"ભારત.": "印度。"}
        assert memory.lookup(["ભારત."], "gu", "zh_Hant", "key") == {}
