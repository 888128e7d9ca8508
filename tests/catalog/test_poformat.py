"""The .po writer produces exactly what GNU msgcat writes, so gettext round trips leave no diff."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog import linebreak, poformat

FLORES = Path(__file__).parent.parent / "data" / "flores-sample"
needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="msgcat (Debian gettext) not installed")


def flores(lang: str, n: int = 120) -> list[str]:
    return (FLORES / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[:n]


def sample_catalog() -> polib.POFile:
    """Gujarati, English and Chinese strings of every length, escapes, comments, `#|`, obsolete."""
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "test",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    po.header = "Test catalogue.\nSecond header line."
    gu, en, zh = flores("guj_Gujr"), flores("eng_Latn"), flores("zho_Hans")
    live, dead = [], []
    for i, (g, e, z) in enumerate(zip(gu, en, zh)):
        live.append(
            polib.POEntry(
                msgid=g,
                msgstr=z if i % 2 else e,
                tcomment="reviewer note" if i % 4 == 0 else "",
                comment="machine translation: tiny@1\nqa: numbers: missing 3",
                flags=["fuzzy"] if i % 3 else [],
                occurrences=[(f"articles/doc-{j}.gu.txt", "") for j in range(i % 12)],
                previous_msgid=(g[: len(g) // 2] + ' "quoted"\t\\') if i % 5 == 0 else None,
            )
        )
        live.append(polib.POEntry(msgid=f"{g} {g}\n{z}\n", msgstr=f'{z}{z} "{e[: i % 50]}"'))
        entry = polib.POEntry(msgid=e + " " + e[: i % 40], msgstr=z[: i % 60] + " " + z)
        (dead if i % 7 == 0 else live).append(entry)
    for entry in dead:
        entry.obsolete = True
        entry.flags = ["fuzzy"]
        entry.previous_msgid = entry.msgid[:30]
    live.append(polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural={0: "ફાઇલ", 1: "ફાઇલો"}))
    po.extend(live + dead)
    return po


def msgcat(path: Path, *options: str) -> str:
    return subprocess.run(["msgcat", *options, str(path)], capture_output=True, text=True, check=True).stdout


@needs_msgcat
@pytest.mark.parametrize("wrap", [True, False])
def test_output_is_byte_identical_to_msgcat(tmp_path, wrap):
    assert linebreak.have_gettext_linebreaking()  # msgcat installed means libunistring is too
    path = tmp_path / "messages.po"
    text = poformat.format_catalog(sample_catalog(), wrap=wrap)
    path.write_text(text, encoding="utf-8")
    assert msgcat(path, *([] if wrap else ["--no-wrap"])) == text
    if wrap:
        assert max(len(line) for line in text.splitlines() if line.isascii()) <= 79
    else:
        assert any(len(line) > 200 for line in text.splitlines())


def test_polib_own_writer_would_not_match(tmp_path):
    """Why this module exists: polib wraps Gujarati at other points than gettext."""
    po = sample_catalog()
    assert str(po) + "\n" != poformat.format_catalog(po)


@pytest.mark.parametrize(
    "locale_plurals, forms", [(1, ["ફાઇલ", "ફાઇલો"]), (2, ["ફાઇલ", "ફાઇલો"]), (3, ["ફાઇલ", "ફાઇલો", ""])]
)
def test_plural_entries_get_nplurals_forms_and_keep_a_persons_extra_one(tmp_path, locale_plurals, forms):
    """Missing forms are added empty; a form beyond nplurals is a person's text, kept as msgcat keeps it."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": {
            1: "nplurals=1; plural=0;",
            2: "nplurals=2; plural=(n != 1);",
            3: "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
        }[locale_plurals],
    }
    po.append(polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural={0: "ફાઇલ", 1: "ફાઇલો"}))
    path = tmp_path / "messages.po"
    path.write_text(poformat.format_catalog(po, nplurals=locale_plurals), encoding="utf-8")
    back = polib.pofile(str(path))[0]
    assert [back.msgstr_plural[i] for i in range(len(back.msgstr_plural))] == forms
    if shutil.which("msgcat"):
        assert subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout.decode() == path.read_text(
            encoding="utf-8"
        )
    if shutil.which("msgfmt") and len(forms) == locale_plurals:
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True, capture_output=True)


def test_fuzzy_flag_on_an_empty_translation_is_dropped_like_gettext():
    entry = polib.POEntry(msgid="એક બે ત્રણ", msgstr="", flags=["fuzzy"])
    assert "#, fuzzy" not in poformat.entry_lines(entry)


def test_fallback_without_libunistring_still_writes_valid_wrapped_po(tmp_path, monkeypatch):
    monkeypatch.setattr(linebreak, "_libunistring", lambda: None)
    po = sample_catalog()
    text = poformat.format_catalog(po)
    path = tmp_path / "messages.po"
    path.write_text(text, encoding="utf-8")
    back = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr, e.obsolete) for e in back] == [(e.msgid, e.msgstr, e.obsolete) for e in po]
    assert max(len(line) for line in text.splitlines() if line.isascii()) <= 79


def test_an_empty_previous_context_is_written_back_as_msgcat_writes_it(tmp_path):
    """`#| msgctxt ""` says the old source had the empty context; the writer dropped it."""
    from pipeline.catalog.poreader import parse_po

    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\n#| msgctxt ""\n#| msgid "old"\nmsgid "new"\nmsgstr "x"\n'
    )
    po = parse_po(text).po
    assert po[0].previous_msgctxt == ""
    assert poformat.format_entries(po) == '\n\n#, fuzzy\n#| msgctxt ""\n#| msgid "old"\nmsgid "new"\nmsgstr "x"\n'
    if shutil.which("msgcat"):
        path = tmp_path / "previous.po"
        path.write_text(text, encoding="utf-8")
        assert msgcat(path).endswith(poformat.format_entries(po))
