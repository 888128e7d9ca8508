"""`pipeline status`: review progress per locale, read from the catalogues."""

from __future__ import annotations

import json

import polib

from pipeline.catalog import pofile
from pipeline.catalog.entry import machine_note
from pipeline.cli import main


def machine(msgid, msgstr, comment):
    """A fuzzy entry as the pipeline writes it: the digest of its text in the translator comment."""
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"], comment=comment, tcomment=machine_note(msgstr))


def write_catalog(path, entries):
    po = polib.POFile()
    po.extend(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    pofile.save_catalog(path, po, "en")


def test_status_counts_each_kind_of_entry(tmp_path, capsys):
    locales = tmp_path / "locales"
    dead = polib.POEntry(msgid="જૂનું", msgstr="Old.")
    dead.obsolete = True
    write_catalog(
        locales / "en" / "LC_MESSAGES" / "messages.po",
        [
            polib.POEntry(msgid="એક", msgstr="One."),
            machine("બે", "2?", "machine translation: m\nqa: numbers: x\nqa: empty: y"),
            machine("ત્રણ", "Three?", "machine translation: m"),
            polib.POEntry(msgid="ચાર", msgstr=""),
            dead,
        ],
    )
    write_catalog(locales / "zh_Hans" / "LC_MESSAGES" / "messages.po", [polib.POEntry(msgid="એક", msgstr="一。")])
    assert main(["status", "--json", "--locales", str(locales)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["en"] == {
        "total": 4,
        "reviewed": 1,
        "fuzzy": 2,
        "edited": 0,
        "untranslated": 1,
        "obsolete": 1,
        "qa_findings": 2,
        "confidence": None,
        "percent": {"reviewed": 25.0, "fuzzy": 50.0, "untranslated": 25.0},
    }
    assert data["zh_Hans"]["reviewed"] == 1 and data["zh_Hans"]["percent"]["reviewed"] == 100.0
    assert main(["status", "--to", "zh_Hans", "--locales", str(locales)]) == 0
    assert capsys.readouterr().out.strip() == (
        "zh_Hans: 1 entries, 1 reviewed (100.0%), 0 fuzzy (0.0%), 0 untranslated (0.0%), 0 obsolete, 0 QA findings"
    )


def test_status_without_catalogues_says_what_to_run(tmp_path, capsys):
    assert main(["status", "--locales", str(tmp_path / "locales")]) == 2
    assert "run `pipeline run` first" in capsys.readouterr().err
    assert main(["status", "--to", "en", "--locales", str(tmp_path / "locales")]) == 2
    assert "no catalogue for en" in capsys.readouterr().err


def test_status_reports_the_confidence_of_what_awaits_review(tmp_path, capsys):
    locales = tmp_path / "locales"
    write_catalog(
        locales / "en" / "LC_MESSAGES" / "messages.po",
        [
            polib.POEntry(msgid="એક", msgstr="One.", comment="machine translation: m\nconfidence: 0.90"),  # reviewed
            machine("બે", "Two.", "machine translation: m\nconfidence: 0.40"),
            machine("ત્રણ", "Three.", "machine translation: m\nconfidence: 0.70"),
        ],
    )
    assert main(["status", "--json", "--locales", str(locales)]) == 0
    assert json.loads(capsys.readouterr().out)["en"]["confidence"] == {"mean": 0.55, "lowest": 0.4, "scored": 2}
    assert main(["status", "--locales", str(locales)]) == 0
    assert capsys.readouterr().out.strip().endswith("0 QA findings, lowest confidence 0.40")


def test_worst_lists_qa_findings_first_then_the_least_confident(tmp_path, capsys):
    locales = tmp_path / "locales"
    en = locales / "en" / "LC_MESSAGES" / "messages.po"
    write_catalog(
        en,
        [
            polib.POEntry(msgid="એક", msgstr="One.", comment="machine translation: m\nconfidence: 0.10"),  # reviewed
            machine("બે", "Two.", "machine translation: m\nconfidence: 0.40"),
            machine("ત્રણ", "3?", "machine translation: m\nconfidence: 0.95\nqa: numbers: number missing: 3"),
            machine("ચાર", "Four.", "machine translation: m"),  # unscored
            polib.POEntry(msgid="પાંચ", msgstr="A reviewer's edit.", flags=["fuzzy"], comment="source changed: x"),
        ],
    )
    write_catalog(
        locales / "zh_Hans" / "LC_MESSAGES" / "messages.po",
        [
            machine("છ", "六。", "machine translation: m\nconfidence: 0.22"),
        ],
    )
    assert main(["status", "--worst", "3", "--json", "--locales", str(locales)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["locale"], r["msgid"], r["confidence"]) for r in rows] == [
        ("en", "ત્રણ", 0.95),
        ("zh_Hans", "છ", 0.22),
        ("en", "બે", 0.4),
    ]
    assert rows[0]["findings"] == ["numbers: number missing: 3"] and rows[1]["findings"] == []
    lines = en.read_text(encoding="utf-8").split("\n")
    assert lines[rows[0]["line"] - 1].startswith("# machine translation, awaiting review")  # file:line: the entry
    assert rows[0]["file"] == str(en)
    assert main(["status", "--worst", "10", "--to", "en", "--locales", str(locales)]) == 0
    out = capsys.readouterr().out.strip().split("\n")
    assert out[:2] == [
        f"{en}:{rows[0]['line']}: en: confidence 0.95: numbers: number missing: 3",
        f"{en}:{rows[2]['line']}: en: confidence 0.40: no QA findings",
    ]
    place, _, rest = out[2].partition(": ")
    assert len(out) == 3 and rest == "en: confidence -: no QA findings"
    assert lines[int(place.rsplit(":", 1)[1]) :][:3] == ["#. machine translation: m", "#, fuzzy", 'msgid "ચાર"']
    assert main(["status", "--worst", "0", "--locales", str(locales)]) == 2
