"""What a new user meets first: --version and --help, the same --to on every command, a header
`msgfmt -c` accepts, no lock file beside the catalogues, and what a msgmerge round trip keeps."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline import __version__
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"
PO = Path("locales/en/LC_MESSAGES/messages.po")
POT = Path("locales/messages.pot")


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (Debian package gettext) not installed")
    return path


@pytest.fixture
def project(tmp_path, new_project, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return new_project([EXAMPLE])


def project_id(path: Path) -> str:
    return polib.pofile(str(path)).metadata["Project-Id-Version"]


def msgfmt_warnings(path: Path) -> str:
    proc = subprocess.run([needs("msgfmt"), "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_version_and_help_say_what_the_command_is_and_takes(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"pipeline {__version__}"
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "UTF-8 .txt, .md or .html files, or folders of them" in capsys.readouterr().out


def test_export_takes_to_like_every_other_command_and_still_accepts_locale(project, capsys):
    assert main(["run", "articles", "--to", "en"]) == 0
    assert main(["export", "--format", "json", "--to", "en", "--include-fuzzy", "--out", "a"]) == 0
    assert main(["export", "--format", "json", "--locale", "en", "--include-fuzzy", "--out", "b"]) == 0
    assert (project / "a" / "en" / "messages.json").read_bytes() == (
        project / "b" / "en" / "messages.json"
    ).read_bytes()
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "json"])
    assert exit_.value.code == 2 and "required: --to" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = capsys.readouterr().out
    assert "--to LOCALES" in help_text and "--locale " not in help_text


def test_project_id_version_defaults_to_the_domain_and_msgfmt_c_is_quiet(project):
    assert main(["run", "articles", "--to", "en,zh_Hans"]) == 0
    assert project_id(project / POT) == project_id(project / PO) == "messages"
    for locale in ("en", "zh_Hans"):
        assert msgfmt_warnings(project / "locales" / locale / "LC_MESSAGES" / "messages.po") == ""
    assert "Project-Id-Version" not in msgfmt_warnings(project / POT)  # a template keeps its other blanks


def test_project_id_version_from_the_flag_or_the_models_file(project):
    assert main(["run", "articles", "--to", "en", "--project", "news-site 2.1"]) == 0
    assert project_id(project / POT) == project_id(project / PO) == "news-site 2.1"
    assert main(["run", "articles", "--to", "en"]) == 0  # not given again: the catalogue's own is kept
    assert project_id(project / PO) == "news-site 2.1"
    with open(project / "models.yaml", "a", encoding="utf-8") as handle:
        handle.write("project: gujarat-portal 3.0\n")
    assert main(["catalog", "--to", "en"]) == 0
    assert project_id(project / POT) == project_id(project / PO) == "gujarat-portal 3.0"
    assert main(["catalog", "--to", "en", "--project", "override 1"]) == 0
    assert project_id(project / PO) == "override 1"


def test_the_old_placeholder_is_replaced_and_a_name_set_in_an_editor_is_kept(project):
    assert main(["run", "articles", "--to", "en"]) == 0
    po = project / PO
    po.write_text(
        po.read_text(encoding="utf-8").replace("Project-Id-Version: messages", "Project-Id-Version: PACKAGE VERSION"),
        encoding="utf-8",
    )
    assert main(["catalog", "--to", "en"]) == 0
    assert project_id(po) == "messages"
    po.write_text(
        po.read_text(encoding="utf-8").replace("Project-Id-Version: messages", "Project-Id-Version: Set in Poedit 1.0"),
        encoding="utf-8",
    )
    before = po.read_bytes()
    assert main(["catalog", "--to", "en"]) == 0
    assert po.read_bytes() == before  # kept, and nothing else moved


def test_no_lock_file_is_left_beside_the_catalogues(project):
    assert main(["run", "articles", "--to", "en"]) == 0
    assert sorted(p.name for p in (project / "locales").iterdir()) == ["en", "messages.pot"]
    assert not [p for p in (project / "locales").rglob("*") if "lock" in p.name]


def test_a_failed_first_run_leaves_no_catalogue_folder_behind(project, capsys):
    (project / "offline.yaml").write_text(
        "models:\n  nllb:\n    family: nllb\n    source: nobody/no-such-model\n    revision: abc\n"
        "pairs:\n  gu-en: nllb\n",
        encoding="utf-8",
    )
    assert main(["run", "articles", "--to", "en", "--models", "offline.yaml"]) == 2
    assert "nobody/no-such-model" in capsys.readouterr().err
    assert not (project / "locales").exists()


def test_msgmerge_drops_the_notes_and_the_next_run_puts_them_back_on_entries_awaiting_review(project):
    """GNU msgmerge takes extracted comments (#.) from the template, which has none: every
    `machine translation:` and `qa:` note goes; msgstr, fuzzy flags and translator comments stay,
    the pipeline's ownership note among them, so its next run writes the notes of its entries again."""
    msgmerge = needs("msgmerge")
    assert main(["run", "articles", "--to", "en"]) == 0
    po = project / PO
    ours = polib.pofile(str(po))
    ours[0].tcomment += "\na translator's own note"  # below the pipeline's, as an editor adds it
    ours.save(str(po))  # polib's layout: the run below rewrites the file in msgcat's
    assert main(["catalog", "--to", "en"]) == 0
    before = po.read_bytes()
    subprocess.run([msgmerge, "-q", "-U", "--backup=none", str(po), str(project / POT)], check=True)
    merged = polib.pofile(str(po))
    assert all(not e.comment for e in merged)
    assert [(e.msgid, e.msgstr, e.flags, e.tcomment) for e in merged] == [
        (e.msgid, e.msgstr, e.flags, e.tcomment) for e in polib.pofile(before.decode())
    ]
    assert main(["catalog", "--to", "en"]) == 0
    restored = po.read_bytes()

    def undated(data: bytes) -> list[bytes]:
        return [
            line for line in data.split(b"\n") if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
        ]

    assert undated(restored) == undated(before)  # all but the header dates
    assert b"#. machine translation: " in restored and b"#. qa: " in restored


def test_a_project_name_that_would_break_the_header_is_refused(project, capsys):
    assert main(["run", "articles", "--to", "en", "--project", "a\nb"]) == 2
    assert "--project 'a\\nb' holds a control character" in capsys.readouterr().err
    assert not (project / "locales").exists()
    with open(project / "models.yaml", "a", encoding="utf-8") as handle:
        handle.write('project: "site\\t1.0"\n')
    line = len((project / "models.yaml").read_text(encoding="utf-8").splitlines())
    assert main(["run", "articles", "--to", "en"]) == 2
    assert f"models.yaml:{line}: project 'site\\t1.0' holds a control character" in capsys.readouterr().err
