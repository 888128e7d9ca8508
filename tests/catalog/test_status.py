"""`pipeline status`: review progress per locale, read from the catalogues."""

from __future__ import annotations

import json

import polib

from pipeline.catalog import catalogue as catalog
from pipeline.cli import main


def write_catalog(path, entries):
    po = polib.POFile()
    po.extend(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save_catalog(path, po, "en")


def test_status_counts_each_kind_of_entry(tmp_path, capsys):
    locales = tmp_path / "locales"
    dead = polib.POEntry(msgid="જૂનું", msgstr="Old.")
    dead.obsolete = True
    write_catalog(locales / "en" / "LC_MESSAGES" / "messages.po", [
        polib.POEntry(msgid="એક", msgstr="One."),
        polib.POEntry(msgid="બે", msgstr="2?", flags=["fuzzy"], comment="machine translation: m\nqa: numbers: x\nqa: empty: y"),
        polib.POEntry(msgid="ત્રણ", msgstr="Three?", flags=["fuzzy"], comment="machine translation: m"),
        polib.POEntry(msgid="ચાર", msgstr=""),
        dead,
    ])
    write_catalog(locales / "zh_Hans" / "LC_MESSAGES" / "messages.po", [polib.POEntry(msgid="એક", msgstr="一。")])
    assert main(["status", "--json", "--locales", str(locales)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["en"] == {"total": 4, "reviewed": 1, "fuzzy": 2, "untranslated": 1, "obsolete": 1, "qa_findings": 2,
                          "percent": {"reviewed": 25.0, "fuzzy": 50.0, "untranslated": 25.0}}
    assert data["zh_Hans"]["reviewed"] == 1 and data["zh_Hans"]["percent"]["reviewed"] == 100.0
    assert main(["status", "--to", "zh_Hans", "--locales", str(locales)]) == 0
    assert capsys.readouterr().out.strip() == (
        "zh_Hans: 1 entries, 1 reviewed (100.0%), 0 fuzzy (0.0%), 0 untranslated (0.0%), 0 obsolete, 0 QA findings")


def test_status_without_catalogues_says_what_to_run(tmp_path, capsys):
    assert main(["status", "--locales", str(tmp_path / "locales")]) == 2
    assert "run `pipeline run` first" in capsys.readouterr().err
    assert main(["status", "--to", "en", "--locales", str(tmp_path / "locales")]) == 2
    assert "no catalogue for en" in capsys.readouterr().err
