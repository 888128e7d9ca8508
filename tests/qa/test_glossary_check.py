"""`pipeline check` with a glossary (the `terminology` check) and across catalogues (the
`consistency` check: reviewers who translated the same sentence or term two ways)."""

from __future__ import annotations

import json
from pathlib import Path

import polib

from pipeline.cli import main

GLOSSARY = (
    "gu,en,zh_Hans,note,fixed\n"
    "જાહેર સુરક્ષા મંત્રાલય,Ministry of Public Security,公安部,a ministry,yes\n"
    "ચોકી,checkpoint,检查站,,\n"
)
S1 = "જાહેર સુરક્ષા મંત્રાલયે નવી ચોકીઓ બનાવી."
S2 = "જાહેર સુરક્ષા મંત્રાલયની વેબસાઈટ જુઓ."
S3 = "કુલ 5026 ચોકીઓ છે."


def catalogue(path: Path, locale: str, entries: list[tuple[str, str, bool]]) -> Path:
    po = polib.POFile()
    po.metadata = {"Language": locale, "Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr, fuzzy in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def findings(capsys, *args) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["check", "--json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


def test_terminology_names_the_expected_term(tmp_path, capsys):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    en = catalogue(
        tmp_path / "en.po",
        "en",
        [
            (S1, "The Ministry of Public Security built new checkpoints.", False),
            (S2, "See the ministry's website.", True),
        ],
    )
    zh = catalogue(tmp_path / "locales" / "zh_Hans" / "LC_MESSAGES" / "m.po", "", [(S2, "请看公安部的网站。", True)])
    code, found = findings(capsys, en, zh, "--glossary", glossary)
    assert code == 1
    assert [(f["file"], f["msgid"], f["check"], f["message"]) for f in found] == [
        (
            str(en),
            S2,
            "terminology",
            "glossary term જાહેર સુરક્ષા મંત્રાલય is 'Ministry of Public Security' in en (a ministry); not in the translation",
        )
    ]
    assert findings(capsys, en, zh) == (0, [])  # without a glossary nothing is expected
    capsys.readouterr()
    assert main(["check", str(en), "--glossary", str(glossary)]) == 1
    out = capsys.readouterr().out
    assert f"{en}:" in out and "terminology: glossary term જાહેર સુરક્ષા મંત્રાલય is 'Ministry of Public Security'" in out


def test_a_bad_glossary_row_stops_check_with_file_and_line(tmp_path, capsys):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY + "ચીન,China,中国,,perhaps\n", encoding="utf-8")
    en = catalogue(tmp_path / "en.po", "en", [(S1, "x", False)])
    assert main(["check", str(en), "--glossary", str(glossary)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"pipeline: error: {glossary}:4: fixed is 'perhaps'; write yes or no"


def test_the_same_sentence_translated_two_ways_by_reviewers_is_reported_with_both_places(tmp_path, capsys):
    a = catalogue(
        tmp_path / "a" / "en" / "LC_MESSAGES" / "messages.po",
        "en",
        [(S3, "There are 5,026 checkpoints in all.", False)],
    )
    b = catalogue(
        tmp_path / "b" / "en" / "LC_MESSAGES" / "messages.po",
        "en",
        [(S3, "In total there are 5,026 posts.", False), (S1, "Machine text.", True)],
    )
    zh = catalogue(
        tmp_path / "b" / "zh_Hans" / "LC_MESSAGES" / "messages.po", "zh_Hans", [(S3, "共有5026个检查站。", False)]
    )  # another locale: not compared
    code, found = findings(capsys, a, b, zh)
    assert code == 1
    line_a = next(e.linenum for e in polib.pofile(str(a)) if e.msgid == S3)
    assert [(f["file"], f["check"], f["message"]) for f in found] == [
        (
            str(b),
            "consistency",
            f"the same sentence is translated differently at {a}:{line_a}: 'There are 5,026 checkpoints in all.'",
        )
    ]
    same = catalogue(tmp_path / "c" / "en.po", "en", [(S3, "There are 5,026 checkpoints in all.", False)])
    assert findings(capsys, a, same) == (0, [])


def test_a_glossary_term_one_reviewer_followed_and_another_did_not_is_reported(tmp_path, capsys):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    a = catalogue(tmp_path / "a.po", "en", [(S3, "There are 5,026 checkpoints in all.", False)])
    b = catalogue(tmp_path / "b.po", "en", [(S1, "The Ministry of Public Security built new police posts.", False)])
    code, found = findings(capsys, a, b, "--glossary", glossary)
    line_a = next(e.linenum for e in polib.pofile(str(a)) if e.msgid == S3)
    assert code == 1 and [(f["file"], f["check"], f["message"]) for f in found if f["check"] == "consistency"] == [
        (str(b), "consistency", f"glossary term ચોકી is 'checkpoint' at {a}:{line_a}, translated otherwise here")
    ]
