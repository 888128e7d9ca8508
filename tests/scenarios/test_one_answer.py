"""Every command gives the same answer about an entry: `status`, its review order, the run summary,
QA as `run` writes it and as `check` finds it, `.mo` and export, and `evaluate`'s numbers.

The model is the tiny random one: its text is gibberish that loops, which is what makes the QA
notes to test; nothing here asserts what it wrote, only what every command says about it."""

from __future__ import annotations

import gettext
import json
import shutil
from pathlib import Path

import polib
import pytest

from pipeline.qa.checks import check_numbers

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"
GLOSSARY = ROOT / "examples" / "glossary.csv"
HEADLINE = "જાહેર સુરક્ષા મંત્રાલય: દેશભરમાં લગભગ 300000 બુદ્ધિશાળી સુરક્ષા સમુદાયો બનાવવામાં આવ્યા છે"
# Notes on how the pipeline made its machine text (not findings about a text as it reads): a
# model's loop cut off, markup put back by position. Only machine entries carry them.
MADE = ("model output looped", "placed by position")


@pytest.fixture
def project(tmp_path, new_project):
    shutil.copy(GLOSSARY, tmp_path / "glossary.csv")
    return new_project([EXAMPLE])


def po_path(project: Path, locale: str = "en") -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / "messages.po"


def notes(entry: polib.POEntry, key: str) -> list[str]:
    return [line[len(key) + 2 :] for line in entry.comment.split("\n") if line.startswith(key + ": ")]


def qa_notes(entry: polib.POEntry) -> set[tuple[str, str]]:
    return {tuple(note.split(": ", 1)) for note in notes(entry, "qa")}


def checked(pipeline, project: Path, *glossary) -> dict[str, set[tuple[str, str]]]:
    """msgid → what `pipeline check` finds in its entry (the checks of one entry, not consistency)."""
    ran = pipeline("check", "--json", po_path(project), *glossary, cwd=project, code=None)
    found: dict[str, set[tuple[str, str]]] = {}
    for f in json.loads(ran.out):
        if f["check"] != "consistency":
            found.setdefault(f["msgid"], set()).add((f["check"], f["message"]))
    return found


def assert_run_and_check_agree(pipeline, project: Path, touched: set[str], *glossary) -> None:
    """Every entry's `qa:` notes are what `check` finds in it; a machine entry may also say how it
    was made, an entry a person `touched` never. That is all the catalogue says QA found."""
    found = checked(pipeline, project, *glossary)
    for e in polib.pofile(str(po_path(project))):
        if not e.msgstr or e.obsolete:
            continue
        made = {n for n in qa_notes(e) if any(m in n[1] for m in MADE)}
        assert qa_notes(e) - made == found.get(e.msgid, set()), e.msgid
        assert not made or e.msgid not in touched, e.msgid


def summary_line(out: str, locale: str = "en") -> str:
    return next(line for line in out.splitlines() if line.startswith(f"{locale}: "))


def test_a_persons_fuzzy_edit_and_approval_are_theirs_for_status_review_order_and_qa(project, pipeline):
    run = ("run", "articles", "--to", "en", "--models", "models.yaml")
    pipeline(*run, cwd=project)
    po = polib.pofile(str(po_path(project)))
    edited = next(e for e in po if e.msgid == HEADLINE)
    assert notes(edited, "confidence") and qa_notes(edited)  # the machine text's score and findings
    edited.msgstr = "Ministry of Public Security: about 300,000 smart safe communities built nationwide"
    approved = next(e for e in po if e.msgid != HEADLINE and notes(e, "confidence"))
    approved.flags.remove("fuzzy")
    po.save()

    out = pipeline(*run, cwd=project).out
    po = {e.msgid: e for e in polib.pofile(str(po_path(project)))}
    worst = json.loads(pipeline("status", "--worst", "1000", "--json", cwd=project).out)
    machine = {e.msgid for e in po.values() if e.fuzzy and e.msgid != HEADLINE}  # the rest, untouched
    assert {w["msgid"] for w in worst} == machine  # review starts with the machine's text, not a person's

    status = json.loads(pipeline("status", "--json", cwd=project).out)["en"]
    assert (status["reviewed"], status.get("edited"), status["fuzzy"]) == (1, 1, len(machine) + 1)
    line = summary_line(out)
    assert (
        f" {status['reviewed']} reviewed kept, {status['edited']} edited kept, "
        f"{status['qa_findings']} QA findings" in line
    ), line

    edited, approved = po[HEADLINE], po[approved.msgid]
    assert edited.fuzzy and edited.msgstr.startswith("Ministry of Public Security: about 300,000")
    assert not approved.fuzzy
    # nothing said of the machine text they replaced is left on them
    assert not notes(edited, "confidence") and not notes(approved, "confidence")
    assert_run_and_check_agree(pipeline, project, {edited.msgid, approved.msgid})


def test_run_and_check_give_the_same_findings_with_the_glossary_and_follow_its_changes(project, pipeline):
    run = ("run", "articles", "--to", "en", "--models", "models.yaml", "--glossary", "glossary.csv")
    pipeline(*run, cwd=project)
    po = polib.pofile(str(po_path(project)))
    headline = next(e for e in po if e.msgid == HEADLINE)
    headline.msgstr = "Public security ministry: about 300,000 smart safe communities built nationwide"
    headline.flags.remove("fuzzy")  # approved, without the glossary's term
    po.save()

    pipeline(*run, cwd=project)
    headline = next(e for e in polib.pofile(str(po_path(project))) if e.msgid == HEADLINE)
    assert [n for n in qa_notes(headline) if n[0] == "terminology"] == [
        (
            "terminology",
            "glossary term જાહેર સુરક્ષા મંત્રાલય is 'Ministry of Public Security' in en "
            "(ministry of the People's Republic of China); not in the translation",
        )
    ]
    assert_run_and_check_agree(pipeline, project, {HEADLINE}, "--glossary", "glossary.csv")

    # The glossary changes: the note written for the old one goes, on the next run alone.
    glossary = project / "glossary.csv"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("Ministry of Public Security", "Public Security Ministry"),
        encoding="utf-8",
    )
    pipeline(*run, cwd=project)
    headline = next(e for e in polib.pofile(str(po_path(project))) if e.msgid == HEADLINE)
    assert not [n for n in qa_notes(headline) if n[0] == "terminology"]
    assert_run_and_check_agree(pipeline, project, {HEADLINE}, "--glossary", "glossary.csv")


def test_export_rebuilds_documents_on_a_fresh_clone_from_the_catalogue_and_the_sources(tmp_path, pipeline, tiny_models):
    site = ROOT / "tests" / "data" / "site"
    (tmp_path / "articles").mkdir()
    for name in ("news.html", "guide.md", "notice.txt"):
        shutil.copy(site / name, tmp_path / "articles" / name)
    pipeline("run", "articles", "--to", "en", "--models", tiny_models, cwd=tmp_path)
    clone = tmp_path / "clone"  # what a repository holds: the sources and the catalogues
    shutil.copytree(tmp_path / "articles", clone / "articles")
    shutil.copytree(tmp_path / "locales", clone / "locales")
    for fmt, name in (("html", "news.html"), ("md", "guide.md"), ("txt", "notice.txt")):
        ran = pipeline(
            "export", "--format", fmt, "--to", "en", "--include-fuzzy", "--out", "dist", "articles", cwd=clone
        )
        rebuilt = (clone / "dist" / "en" / name).read_text(encoding="utf-8")
        made_here = pipeline(
            "export", "--format", fmt, "--to", "en", "--include-fuzzy", "--out", "dist", cwd=tmp_path
        )  # from the work directory's copy, where there is one
        assert rebuilt == (tmp_path / "dist" / "en" / name).read_text(encoding="utf-8")
        assert ran.out == made_here.out and "0 left in Gujarati" in ran.out
    assert not (clone / ".pipeline").exists()
    ran = pipeline("export", "--format", "html", "--to", "en", cwd=clone, code=2)
    assert "name them" in ran.err and "SOURCE" in ran.err and "Traceback" not in ran.err


def test_mo_export_ships_plural_and_context_entries_as_gettext_reads_them(project, pipeline):
    """A catalogue merged from another tool holds plural entries and contexts; .mo keeps them."""
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    ran = pipeline("export", "--format", "mo", "--to", "en", "--out", "dist", cwd=project)
    exported = project / "dist" / "en" / "LC_MESSAGES" / "messages.mo"
    assert exported.read_bytes() == po_path(project).with_suffix(".mo").read_bytes()  # what msgfmt would ship
    po = polib.pofile(str(po_path(project)))
    po[0].flags.remove("fuzzy")
    po.append(polib.POEntry(msgid="એક ફાઇલ", msgid_plural="%d ફાઇલો", msgstr_plural={0: "one file", 1: "%d files"}))
    po.append(polib.POEntry(msgid="બે", msgstr="two (of a pair)", msgctxt="pair"))
    po.save()
    ran = pipeline("export", "--format", "mo", "--to", "en", "--out", "dist", cwd=project)
    shipped = gettext.GNUTranslations(exported.open("rb"))
    assert shipped.ngettext("એક ફાઇલ", "%d ફાઇલો", 3) == "%d files"
    assert shipped.pgettext("pair", "બે") == "two (of a pair)"
    assert shipped.gettext(po[0].msgid) == po[0].msgstr
    assert "3 translated" in ran.out  # the plural and the context entry count as shipped


def test_evaluate_counts_numbers_as_the_qa_numbers_check_does(tmp_path, pipeline, tiny_models):
    lines = [
        "આ એક નવું વાક્ય છે.",  # "one" in words: QA does not require it, so neither does evaluate
        "કુલ 5026 ચોકીઓ બનાવવામાં આવી છે.",
        "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે.",
    ]
    (tmp_path / "src.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text(
        "This is a new sentence.\nA total of 5026 checkpoints have been built.\n"
        "Every day 740000 police officers patrol.\n",
        encoding="utf-8",
    )
    ran = pipeline(
        "evaluate",
        "--src",
        "src.txt",
        "--ref",
        "ref.txt",
        "--to",
        "en",
        "--models",
        tiny_models,
        "--output",
        "out.txt",
        "--json",
        cwd=tmp_path,
    )
    score = json.loads(ran.out)[0]
    outputs = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    missing = [
        number
        for src, out in zip(lines, outputs)
        for f in check_numbers(src, out)
        if f.message.startswith("number missing")
        for number in f.message.split(": ", 1)[1].split(", ")
    ]
    assert score["numbers_total"] == 2 and score["numbers_right"] == 2 - len(missing)
