"""A project with one catalogue per document (or folder): `status`, `check` and `export` find the
catalogues on disk and need no option; status sums them per locale, check takes their folder,
export ships each catalogue (or one merged .mo) and rebuilds each document from its own."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import polib
import pytest

from pipeline.catalog import pofile
from pipeline.catalog.entry import machine_note

STATE = "ગુજરાત ભારતનું એક રાજ્ય છે."
NEW = "આ એક નવું વાક્ય છે."
CHECKPOINTS = "કુલ 5026 ચોકીઓ બનાવવામાં આવી છે."


def reviewed(msgid: str, msgstr: str) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr)


def machine(msgid: str, msgstr: str, comment: str = "machine translation: m") -> polib.POEntry:
    """A fuzzy entry as the pipeline writes it: the digest of its text in the translator comment."""
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"], comment=comment, tcomment=machine_note(msgstr))


def write_catalog(locales: Path, locale: str, domain: str, entries: list[polib.POEntry]) -> Path:
    path = locales / locale / "LC_MESSAGES" / f"{domain}.po"
    po = polib.POFile()
    po.extend(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    pofile.save_catalog(path, po, locale)
    return path


@pytest.fixture
def archive(tmp_path) -> Path:
    """Two articles' catalogues (politics/budget, sport) in en, one in zh_Hans; no work directory."""
    locales = tmp_path / "locales"
    write_catalog(
        locales,
        "en",
        "politics/budget",
        [
            reviewed(STATE, "Gujarat is a state of India."),
            machine(NEW, "A new sentence?", "machine translation: m\nconfidence: 0.30"),
        ],
    )
    write_catalog(
        locales,
        "en",
        "sport",
        [
            machine(CHECKPOINTS, "5026 posts.", "machine translation: m\nqa: numbers: x\nconfidence: 0.90"),
            polib.POEntry(msgid=NEW, msgstr=""),
        ],
    )
    write_catalog(locales, "zh_Hans", "sport", [reviewed(CHECKPOINTS, "共建成5026个检查站。")])
    return tmp_path


# --- status ----------------------------------------------------------------------------------


def test_status_prints_each_catalogue_and_a_sum_per_locale(archive, pipeline):
    out = pipeline("status", cwd=archive).out
    assert out.splitlines() == [
        "en: 4 entries, 1 reviewed (25.0%), 2 fuzzy (50.0%), 1 untranslated (25.0%), 0 obsolete, 1 QA findings, "
        "lowest confidence 0.30, in 2 catalogue(s)",
        "  politics/budget: 2 entries, 1 reviewed (50.0%), 1 fuzzy (50.0%), 0 untranslated (0.0%), 0 obsolete, "
        "0 QA findings, lowest confidence 0.30",
        "  sport: 2 entries, 0 reviewed (0.0%), 1 fuzzy (50.0%), 1 untranslated (50.0%), 0 obsolete, 1 QA findings, "
        "lowest confidence 0.90",
        "zh_Hans: 1 entries, 1 reviewed (100.0%), 0 fuzzy (0.0%), 0 untranslated (0.0%), 0 obsolete, 0 QA findings, "
        "in 1 catalogue(s)",
        "  sport: 1 entries, 1 reviewed (100.0%), 0 fuzzy (0.0%), 0 untranslated (0.0%), 0 obsolete, 0 QA findings",
    ]
    assert pipeline("status", "--to", "zh_Hans", cwd=archive).out.splitlines() == out.splitlines()[3:]


def test_status_json_is_keyed_by_catalogue_with_the_sums_per_locale(archive, pipeline):
    data = json.loads(pipeline("status", "--json", cwd=archive).out)
    assert sorted(data) == ["catalogues", "locales"]
    assert sorted(data["catalogues"]) == ["politics/budget", "sport"]
    assert sorted(data["catalogues"]["sport"]) == ["en", "zh_Hans"]
    assert data["catalogues"]["politics/budget"]["en"]["reviewed"] == 1
    assert data["catalogues"]["sport"]["en"]["qa_findings"] == 1
    assert data["locales"]["en"]["total"] == 4 and data["locales"]["en"]["percent"]["reviewed"] == 25.0
    assert data["locales"]["en"]["confidence"] == {"mean": 0.6, "lowest": 0.3, "scored": 2}
    only = json.loads(pipeline("status", "--json", "--to", "en", cwd=archive).out)
    assert list(only["locales"]) == ["en"] and list(only["catalogues"]["sport"]) == ["en"]


def test_status_worst_ranks_across_catalogues_naming_each_file_and_line(archive, pipeline):
    ran = pipeline("status", "--worst", "5", cwd=archive)
    sport, budget = (
        Path("locales/en/LC_MESSAGES/sport.po"),
        Path("locales/en/LC_MESSAGES/politics/budget.po"),
    )
    lines = ran.out.splitlines()
    assert len(lines) == 2 and "2 of 2 machine translation(s) awaiting review" in ran.err
    # QA findings first (in sport.po), then the lowest confidence (in politics/budget.po)
    assert lines[0].startswith(f"{sport}:") and lines[0].endswith("en: confidence 0.90: numbers: x")
    assert lines[1].startswith(f"{budget}:") and lines[1].endswith("en: confidence 0.30: no QA findings")
    line = int(lines[1].split(":")[1])
    assert polib.pofile(str(archive / budget)).find(NEW).linenum == line
    items = json.loads(pipeline("status", "--worst", "1", "--json", cwd=archive).out)
    assert [(i["file"], i["msgid"]) for i in items] == [(str(sport), CHECKPOINTS)]


def test_status_of_a_locale_without_catalogues_names_its_folder(archive, pipeline):
    err = pipeline("status", "--to", "fr", cwd=archive, code=2).err
    assert "LC_MESSAGES: no catalogue for fr: run `pipeline run SOURCES --to fr` first" in err
    assert "Traceback" not in err


# --- check -----------------------------------------------------------------------------------


def test_check_takes_a_folder_and_names_each_nested_file_and_line(archive, pipeline):
    locales = archive / "locales"
    write_catalog(locales, "en", "politics/tax", [reviewed(CHECKPOINTS, "A total of 5025 checkpoints.")])
    write_catalog(locales, "en", "politics/budget", [reviewed(STATE, "Gujarat is a state of India.")])
    write_catalog(locales, "en", "sport", [reviewed(STATE, "Gujarat is an Indian state.")])
    ran = pipeline("check", "--json", "locales/en/LC_MESSAGES", cwd=archive, code=1)
    findings = json.loads(ran.out)
    tax = str(Path("locales/en/LC_MESSAGES/politics/tax.po"))
    number = next(f for f in findings if f["file"] == tax)
    assert number["check"] == "numbers" and number["line"] == polib.pofile(str(archive / tax)).find(CHECKPOINTS).linenum
    (clash,) = [f for f in findings if f["check"] == "consistency"]
    budget = str(Path("locales/en/LC_MESSAGES/politics/budget.po"))
    assert clash["file"] == str(Path("locales/en/LC_MESSAGES/sport.po")) and budget in clash["message"]
    text = pipeline("check", "locales", cwd=archive, code=1).out
    assert f"{tax}:{number['line']}: numbers:" in text


def test_check_of_a_folder_without_catalogues_exits_2_naming_it(tmp_path, pipeline):
    (tmp_path / "empty").mkdir()
    err = pipeline("check", "empty", cwd=tmp_path, code=2).err
    assert "empty: is a folder without .po files" in err and "Traceback" not in err


# --- export ----------------------------------------------------------------------------------


def test_export_writes_a_mo_and_a_json_per_catalogue(archive, pipeline):
    ran = pipeline("export", "--format", "mo", "--to", "en,zh_Hans", "--out", "dist", cwd=archive)
    dist = archive / "dist"
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.mo")) == [
        "en/LC_MESSAGES/politics/budget.mo",
        "en/LC_MESSAGES/sport.mo",
        "zh_Hans/LC_MESSAGES/sport.mo",
    ]
    assert "en (mo): 2 file(s), 1 translated, 3 left in Gujarati" in ran.out
    budget = gettext.translation("politics/budget", localedir=dist, languages=["en"])
    assert budget.gettext(STATE) == "Gujarat is a state of India." and budget.gettext(NEW) == NEW  # fuzzy: not shipped
    assert (
        gettext.translation("sport", localedir=dist, languages=["zh_Hans"]).gettext(CHECKPOINTS)
        == "共建成5026个检查站。"
    )

    pipeline("export", "--format", "json", "--include-fuzzy", "--to", "en", "--out", "web", cwd=archive)
    web = archive / "web" / "en"
    assert json.loads((web / "politics" / "budget.json").read_text(encoding="utf-8")) == {
        STATE: "Gujarat is a state of India.",
        NEW: "A new sentence?",
    }
    assert json.loads((web / "sport.json").read_text(encoding="utf-8")) == {CHECKPOINTS: "5026 posts."}


def test_export_merge_writes_one_mo_per_locale_and_the_first_catalogue_wins(archive, pipeline):
    locales = archive / "locales"
    write_catalog(locales, "en", "sport", [reviewed(STATE, "Gujarat is an Indian state."), reviewed(NEW, "New.")])
    ran = pipeline("export", "--format", "mo", "--merge", "--to", "en,zh_Hans", "--out", "dist", cwd=archive)
    dist = archive / "dist"
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.mo")) == [
        "en/LC_MESSAGES/messages.mo",
        "zh_Hans/LC_MESSAGES/messages.mo",
    ]
    merged = gettext.translation("messages", localedir=dist, languages=["en"])
    # politics/budget sorts before sport: its reviewed text wins; NEW, fuzzy there, ships from sport
    assert merged.gettext(STATE) == "Gujarat is a state of India." and merged.gettext(NEW) == "New."
    budget = Path("locales/en/LC_MESSAGES/politics/budget.po")
    sport = Path("locales/en/LC_MESSAGES/sport.po")
    (warning,) = [line for line in ran.err.splitlines() if "translated differently" in line]
    assert warning.startswith(f"pipeline: warning: {sport}:") and f"{budget}:" in warning
    assert "en (mo): 1 file(s), 2 translated, 0 left in Gujarati" in ran.out
    err = pipeline("export", "--format", "json", "--merge", "--to", "en", "--out", "web", cwd=archive, code=2).err
    assert "--merge makes one .mo per locale" in err and not (archive / "web").exists()


def test_export_with_a_broken_catalogue_changes_nothing(archive, pipeline):
    broken = archive / "locales" / "zh_Hans" / "LC_MESSAGES" / "politics" / "budget.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "a"\nmsgstr "b"\nthis is not po\n', encoding="utf-8")
    (archive / "dist").mkdir()
    err = pipeline("export", "--format", "mo", "--to", "en,zh_Hans", "--out", "dist", cwd=archive, code=2).err
    assert f"{Path('locales/zh_Hans/LC_MESSAGES/politics/budget.po')}:3:" in err and "Traceback" not in err
    assert list((archive / "dist").rglob("*")) == []  # en was made first, and not written either


def test_export_rebuilds_each_document_from_its_own_catalogue(archive, pipeline):
    articles = archive / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "budget.md").write_text(f"# {STATE}\n\n{NEW}\n", encoding="utf-8")
    (articles / "sport.txt").write_text(f"{STATE}\n", encoding="utf-8")
    (articles / "weather.txt").write_text(f"{STATE}\n", encoding="utf-8")  # added since the last run
    locales = archive / "locales"
    write_catalog(locales, "en", "sport", [reviewed(STATE, "Gujarat is an Indian state.")])
    ran = pipeline("export", "--format", "txt", "--to", "en", "--out", "dist", "articles", cwd=archive)
    out = archive / "dist" / "en"
    assert (out / "politics" / "budget.md.txt").read_text(
        encoding="utf-8"
    ) == f"Gujarat is a state of India.\n\n{NEW}\n"
    assert (out / "sport.txt").read_text(encoding="utf-8") == "Gujarat is an Indian state.\n"
    assert (out / "weather.txt").read_text(encoding="utf-8") == f"{STATE}\n"
    assert "weather.txt: no catalogue of en holds this document" in ran.err


def test_export_leaves_out_a_catalogue_whose_sources_are_gone(archive, pipeline):
    gone = polib.POEntry(msgid=STATE, msgstr="Gujarat is a state of India.")
    gone.obsolete = True
    old = write_catalog(archive / "locales", "en", "politics/old", [gone])
    ran = pipeline("export", "--format", "mo", "--to", "en", "--out", "dist", cwd=archive)
    assert not (archive / "dist" / "en" / "LC_MESSAGES" / "politics" / "old.mo").exists()
    assert (archive / "dist" / "en" / "LC_MESSAGES" / "politics" / "budget.mo").exists()
    assert f"{old.relative_to(archive)}: only obsolete entries (its sources are gone): not exported" in ran.err


def test_export_after_a_layout_switch_rebuilds_from_the_live_catalogue_on_a_fresh_clone(tmp_path, pipeline):
    """Switched from per-document to per-folder without --purge-obsolete: the article's old
    catalogue holds obsolete entries only, and its folder's catalogue is the live one."""
    (tmp_path / "articles" / "politics").mkdir(parents=True)
    (tmp_path / "articles" / "politics" / "budget.txt").write_text(f"{STATE}\n", encoding="utf-8")
    old = reviewed(STATE, "Gujarat, a state of India.")
    old.obsolete = True
    write_catalog(tmp_path / "locales", "en", "politics/budget", [old])
    write_catalog(tmp_path / "locales", "en", "politics", [reviewed(STATE, "Gujarat is a state of India.")])
    pipeline("export", "--format", "txt", "--to", "en", "--out", "dist", "articles", cwd=tmp_path)
    rebuilt = tmp_path / "dist" / "en" / "politics" / "budget.txt"
    assert rebuilt.read_text(encoding="utf-8") == "Gujarat is a state of India.\n"


# --- a user's story, through `run --catalogs per-document` ---------------------------------------

CHECKPOINTS_EN = "A total of 5,026 checkpoints have been built."
PATROL = "દરરોજ 740000 પોલીસ કર્મચારીઓ પેટ્રોલિંગ કરે છે."


def test_review_one_articles_catalogue_and_ship_its_mo(tmp_path, trained_model, pipeline):
    """Run on a folder of articles, review one article's .po as Poedit saves it (fuzzy cleared),
    and ship that article's .mo and page; the other article's stays unreviewed."""
    (tmp_path / "articles" / "politics").mkdir(parents=True)
    (tmp_path / "articles" / "politics" / "budget.txt").write_text(f"{CHECKPOINTS}\n", encoding="utf-8")
    (tmp_path / "articles" / "police.txt").write_text(f"{PATROL}\n", encoding="utf-8")
    run = ["run", "articles", "--to", "en", "--models", trained_model, "--catalogs", "per-document"]
    pipeline(*run, cwd=tmp_path)
    catalogues = tmp_path / "locales" / "en" / "LC_MESSAGES"
    assert pipeline("status", cwd=tmp_path).out.splitlines()[0].startswith("en: 2 entries, 0 reviewed (0.0%)")

    budget = polib.pofile(str(catalogues / "politics" / "budget.po"))
    (entry,) = [e for e in budget if e.msgid]
    assert entry.msgstr == CHECKPOINTS_EN and entry.fuzzy
    entry.flags.remove("fuzzy")  # approved in Poedit
    budget.save()

    pipeline(*run, cwd=tmp_path)  # the next run keeps the review
    status = pipeline("status", cwd=tmp_path).out.splitlines()
    assert status[0].startswith("en: 2 entries, 1 reviewed (50.0%)")
    assert "  politics/budget: 1 entries, 1 reviewed (100.0%)" in "\n".join(status)
    assert "politics/budget.po" not in pipeline("status", "--worst", "5", cwd=tmp_path).out  # reviewed: done

    pipeline("export", "--format", "mo", "--to", "en", "--out", "dist", cwd=tmp_path)
    shipped = gettext.translation("politics/budget", localedir=tmp_path / "dist", languages=["en"])
    assert shipped.gettext(CHECKPOINTS) == CHECKPOINTS_EN
    police = gettext.translation("police", localedir=tmp_path / "dist", languages=["en"])
    assert police.gettext(PATROL) == PATROL  # not reviewed: not shipped
    # the run's own .mo beside the article's .po says the same
    beside = gettext.translation("politics/budget", localedir=tmp_path / "locales", languages=["en"])
    assert beside.gettext(CHECKPOINTS) == CHECKPOINTS_EN

    # the page, rebuilt from the work directory's copy of the sources and its own catalogue
    pipeline("export", "--format", "txt", "--to", "en", "--out", "site", cwd=tmp_path)
    assert (tmp_path / "site" / "en" / "politics" / "budget.txt").read_text(encoding="utf-8") == f"{CHECKPOINTS_EN}\n"
    assert (tmp_path / "site" / "en" / "police.txt").read_text(encoding="utf-8") == f"{PATROL}\n"
