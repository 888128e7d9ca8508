"""Locale names through the `pipeline` command: a name Babel would read as another language or
region, or one naming no language, is refused before anything is written; a name Babel completes
(zh_TW is zh_Hant_TW) is written under Babel's name, and the command says so."""

from __future__ import annotations

from pathlib import Path

import pytest

SENTENCE = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."


@pytest.fixture
def project(new_project) -> Path:
    return new_project({"a.txt": SENTENCE + "\n"}, beam_size=1)


@pytest.mark.parametrize(
    "name,message",
    [
        ("iw", "locale 'iw' is an old or alias code that Babel reads as 'he_IL': write 'he'"),
        ("in", "Babel reads as 'id_ID'"),
        ("en_UK", "locale 'en_UK' is read by Babel as 'en_GB'"),
        ("C", "locale 'C' names no language"),
        ("und", "locale 'und' names no language"),
        ("en_US.UTF-8", "carries an encoding or modifier: write the locale alone (en_US)"),
    ],
)
@pytest.mark.parametrize("command", ["run", "export", "status"])
def test_a_locale_babel_reads_as_another_is_refused(project, name, message, command, pipeline):
    args = {
        "run": ["run", "articles", "--to", name],
        "export": ["export", "--format", "mo", "--to", name],
        "status": ["status", "--to", name],
    }[command]
    proc = pipeline(*args, cwd=project, code=2)
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (project / "locales").exists() and not (project / "dist").exists()


def test_a_locale_babel_completes_is_written_under_babels_name_and_said(project, pipeline):
    proc = pipeline("run", "articles", "--to", "zh_TW,en-IN", cwd=project)
    assert "locale zh_TW is written zh_Hant_TW" in proc.stderr and "en-IN" not in proc.stderr  # spelling alone
    assert sorted(p.name for p in (project / "locales").iterdir() if p.is_dir()) == ["en_IN", "zh_Hant_TW"]
