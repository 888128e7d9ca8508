"""The shipped models.yaml: its default routes are ones a business may publish (IndicTrans2 for
gu→en, through OPUS-MT for gu→zh), `pipeline run` and `pipeline models` say so and give the credit
OPUS-MT's CC-BY licence asks for, every revision it pins is the one the docs fetch, and the
alternatives it carries switch on by routing a pair to them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import polib

from pipeline.config import load_config

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "models.yaml"
ARTICLE = "ગુજરાત ભારતનું એક રાજ્ય છે. અમદાવાદ મોટું શહેર છે.\n"
OPUS_CREDIT = (
    "credit for opus-mt-en-zh (CC-BY-4.0 requires it wherever its translations are published): "
    "OPUS-MT by the Helsinki-NLP group, University of Helsinki (https://github.com/Helsinki-NLP/Opus-MT), "
    "CC BY 4.0"
)


def shipped_with_tiny_models(tiny_models: Path, folder: Path) -> Path:
    """The shipped models.yaml as it is (routes, licences, credits, settings), each hub model of
    its default routes replaced by the tiny model of its family."""
    text = SHIPPED.read_text(encoding="utf-8")
    for hub_id, tiny in (
        ("ai4bharat/indictrans2-indic-en-dist-200M", "indictrans2-tiny"),
        ("Helsinki-NLP/opus-mt-en-zh", "marian-en-zh-tiny"),
    ):
        text, found = re.subn(
            rf"source: {re.escape(hub_id)}\n    revision: [0-9a-f]+\n", f"source: {tiny_models.parent / tiny}\n", text
        )
        assert found == 1, hub_id
    path = folder / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_default_routes_are_business_routes_and_credit_opus_mt(tmp_path, tiny_models, pipeline):
    config = load_config(SHIPPED)
    en, hans, hant = (config.route_for(loc) for loc in ("en", "zh_Hans", "zh_Hant"))
    assert [leg.spec.source for leg in en.legs] == ["ai4bharat/indictrans2-indic-en-dist-200M"]
    assert (
        [leg.spec.source for leg in hans.legs]
        == [leg.spec.source for leg in hant.legs]
        == ["ai4bharat/indictrans2-indic-en-dist-200M", "Helsinki-NLP/opus-mt-en-zh"]
    )
    assert (en.licence, hans.licence) == ("MIT", "MIT + CC-BY-4.0")
    # `pipeline run`, with the tiny models in the hub models' places, on the sample's longest
    # sentence too: the shipped output limit lets a looping model run to the decoder's last position
    models = shipped_with_tiny_models(tiny_models, tmp_path)
    segments = pipeline("segment", ROOT / "examples" / "smart-communities.gu.txt", "--jsonl", cwd=tmp_path).stdout
    longest = max((json.loads(line)["text"] for line in segments.splitlines()), key=len)
    (tmp_path / "news.txt").write_text(ARTICLE + longest + "\n", encoding="utf-8")
    out = pipeline("run", "news.txt", "--to", "en,zh_Hans,zh_Hant", "--models", models, cwd=tmp_path).stdout
    assert "NON-COMMERCIAL" not in out and out.count(OPUS_CREDIT) == 1
    assert re.search(r"^licence of \S+indictrans2-tiny@\w+: MIT$", out, re.MULTILINE)
    assert re.search(
        r"^licence of \S+indictrans2-tiny@\w+ → \S+marian-en-zh-tiny@\w+: MIT \+ CC-BY-4.0$", out, re.MULTILINE
    )
    for locale in ("en", "zh_Hans", "zh_Hant"):
        po = polib.pofile(str(tmp_path / "locales" / locale / "LC_MESSAGES" / "messages.po"))
        assert po and all(e.msgstr and "indictrans2-tiny" in e.comment for e in po)


def test_models_on_the_shipped_file_names_no_non_commercial_route_and_says_how_to_fetch(tmp_path, pipeline):
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf")}  # nothing cached
    out = pipeline("models", "--models", SHIPPED, cwd=tmp_path, env=env, separate=True).stdout
    rows = [line.split() for line in out.splitlines()[1:4]]
    assert [r[:4] for r in rows] == [
        ["gu-en", "en", "gu→en", "indictrans2-200m"],
        ["gu-zh", "zh_Hans,zh_Hant", "gu→en", "indictrans2-200m"],
        ["gu-zh", "zh_Hans,zh_Hant", "en→zh", "opus-mt-en-zh"],
    ]
    assert [r[5:9] for r in rows] == [["indictrans2", "MIT", "200M", "no"]] * 2 + [["marian", "CC-BY-4.0", "77M", "no"]]
    assert "NON-COMMERCIAL" not in out and "nllb" not in out
    assert out.count(OPUS_CREDIT) == 1
    assert "hf download" in out


def test_the_shipped_alternatives_are_pinned_and_switch_on_by_routing_a_pair(tmp_path):
    """Each commented-out route of the shipped file loads as it stands once uncommented, through
    models that are defined, pinned and licensed; only NLLB's is non-commercial."""
    text = SHIPPED.read_text(encoding="utf-8")
    config = load_config(SHIPPED)
    for spec in config.models.values():
        assert re.fullmatch(r"[0-9a-f]{40}", spec.revision) and spec.licence and spec.parameters, spec.name
        assert f"hf download {spec.source} --revision {spec.revision}" in text, spec.name
    assert {n: s.family for n, s in config.models.items()} == {
        "indictrans2-200m": "indictrans2",
        "opus-mt-en-zh": "marian",
        "indictrans2-1b": "indictrans2",
        "madlad-3b": "madlad",
        "nllb-600m": "nllb",
    }
    routes = re.findall(r"^  # (gu-(?:en|zh): .+?)(?:[ \t]+#.*)?$", text, re.MULTILINE)
    assert routes == [
        "gu-en: indictrans2-1b",
        "gu-zh: [indictrans2-1b, opus-mt-en-zh]",
        "gu-en: madlad-3b",
        "gu-zh: madlad-3b",
        "gu-en: nllb-600m",
        "gu-zh: nllb-600m",
    ]
    head = text.split("\npairs:\n")[0]
    for en, zh in zip(routes[::2], routes[1::2]):
        path = tmp_path / "alternative.yaml"
        path.write_text(f"{head}\npairs:\n  {en}\n  {zh}\n", encoding="utf-8")
        routed = load_config(path)
        for locale in ("en", "zh_Hans", "zh_Hant"):
            route = routed.route_for(locale)
            assert route.non_commercial == ("nllb" in en), en
            assert "not stated" not in route.licence


def test_every_download_the_docs_show_fetches_a_revision_models_yaml_pins():
    pinned = {spec.source: spec.revision for spec in load_config(SHIPPED).models.values()}
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    shown = [
        (page.name, m[0], m[1])
        for page in pages
        for m in re.findall(r"hf download (\S+) --revision ([0-9a-f]{40})", page.read_text(encoding="utf-8"))
    ]
    assert len(shown) >= 10
    assert [(page, source, revision) for page, source, revision in shown if pinned.get(source) != revision] == []
