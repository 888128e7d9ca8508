"""A reviewer's text is never lost or changed by a run, whatever the catalogue holds: the cases a
hostile review of the catalogue handling found, each through the `pipeline` command. What GNU
gettext does with the same file decides what "as written" means (msgcat, msgfmt)."""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

S1 = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."
S2 = "નવી શાળા ગામમાં ખુલી છે."
HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {locale}\\n"
"""
PO = Path("locales/en/LC_MESSAGES/messages.po")


@pytest.fixture
def project(new_project) -> Path:
    return new_project({"a.txt": f"{S1} {S2}\n"}, beam_size=1)


def write_po(project: Path, body: str, locale: str = "en") -> Path:
    path = project / "locales" / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(locale=locale) + body, encoding="utf-8")
    return path


def entries(path: Path) -> dict[tuple[str | None, str, bool], polib.POEntry]:
    return {(e.msgctxt, e.msgid, e.obsolete): e for e in polib.pofile(str(path))}


def test_a_live_entry_and_an_obsolete_one_with_the_same_msgid_are_refused_as_msgfmt_does(project, pipeline):
    """msgfmt and msgcat call this a duplicate message definition; the run used to replace the
    live approved text with the obsolete one and exit 0."""
    path = write_po(
        project,
        f'\nmsgid "{S1}"\nmsgstr "Live approved."\n\nmsgid "{S2}"\nmsgstr "School."\n'
        f'\n#~ msgid "{S1}"\n#~ msgstr "Old obsolete."\n',
    )
    before = path.read_bytes()
    proc = pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, code=2)
    assert "Traceback" not in proc.stderr
    assert "messages.po:12: duplicate message definition (first defined at line 6)" in proc.stderr
    assert path.read_bytes() == before and not (path.parent / "messages.mo").exists()


def test_a_fuzzy_edit_whose_note_was_removed_survives_an_old_ownership_record(project, pipeline):
    """The record of versions before digests (owned-<locale>.json) proves an entry the pipeline's
    only where it lists the very text; an entry it does not list is a person's."""
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    path = project / PO
    text = path.read_text(encoding="utf-8")
    block = next(b for b in text.split("\n\n") if f'msgid "{S1}"' in b)
    edited = re.sub(r"(?m)^# machine translation, awaiting review.*\n", "", block)
    edited = re.sub(r'(?m)^msgstr ".*"$', 'msgstr "A person\'s edit, still fuzzy"', edited)
    path.write_text(text.replace(block, edited), encoding="utf-8")
    (project / ".pipeline" / "owned-en.json").write_text(json.dumps({"another sentence": "x"}), encoding="utf-8")
    models = project / "models.yaml"
    models.write_text(
        models.read_text(encoding="utf-8").replace("max_length_extra: 4", "max_length_extra: 5"), encoding="utf-8"
    )  # new settings: the pipeline's own entries are translated again
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    kept = entries(path)[(None, S1, False)]
    assert kept.msgstr == "A person's edit, still fuzzy" and kept.fuzzy


def test_hex_and_octal_escapes_are_read_as_gettext_reads_them(project, pipeline):
    r"""`\x41` and `\101` are the byte 0x41 for msgcat and msgfmt; the run wrote them back as `\\x41`
    and the .mo shipped the backslashes."""
    path = write_po(
        project, f'\nmsgid "{S1}"\nmsgstr "\\x41 and \\101 and \\xe0\\xaa\\x95"\n\nmsgid "{S2}"\nmsgstr "School."\n'
    )
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    assert f'msgid "{S1}"\nmsgstr "A and A and ક"\n' in path.read_text(encoding="utf-8")
    shipped = {e.msgid: e.msgstr for e in polib.mofile(str(path.with_suffix(".mo")))}
    assert shipped[S1] == "A and A and ક"


@pytest.mark.parametrize(
    "escape,reason", [("\\q", "invalid escape sequence"), ("\\x", "invalid escape sequence"), ("\\xff", "not UTF-8")]
)
def test_an_escape_gettext_refuses_is_refused_with_its_line(project, escape, reason, pipeline):
    path = write_po(project, f'\nmsgid "{S1}"\nmsgstr "bad {escape} here"\n')
    before = path.read_bytes()
    proc = pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project, code=2)
    assert "Traceback" not in proc.stderr
    assert "messages.po:7:" in proc.stderr and reason in proc.stderr, proc.stderr
    assert path.read_bytes() == before


def test_a_persons_context_entry_is_not_consumed_by_a_source_with_the_same_msgid(project, pipeline):
    """The sources make no msgctxt: an entry with one is a person's, for another use of the same
    words. A source sentence with the same msgid gets an entry of its own."""
    path = write_po(
        project,
        f'\nmsgctxt "headline"\nmsgid "{S1}"\nmsgstr "Gujarat launches a scheme"\n\nmsgid "{S2}"\nmsgstr "School."\n',
    )
    pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
    found = entries(path)
    context = [e for (ctx, msgid, _), e in found.items() if ctx == "headline" and msgid == S1]
    assert len(context) == 1 and context[0].msgstr == "Gujarat launches a scheme" and not context[0].fuzzy
    plain = found[(None, S1, False)]
    assert plain.msgstr != "Gujarat launches a scheme"  # its own machine translation, not the headline's


def test_a_persons_zh_entry_with_two_plural_forms_keeps_both(project, pipeline):
    """nplurals=1 for Chinese, yet msgcat keeps a second form a person wrote; so does the run."""
    path = write_po(
        project,
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        f'\nmsgid "{S1}"\nmsgstr "计划。"\n\nmsgid "{S2}"\nmsgstr "学校。"\n'
        '\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "一个文件"\nmsgstr[1] "%d个文件"\n',
        locale="zh_Hans",
    )
    pipeline("run", "articles", "--to", "zh_Hans", "--models", "models.yaml", cwd=project)
    (plural,) = [e for e in polib.pofile(str(path)) if e.msgid_plural]
    assert plural.msgstr_plural == {0: "一个文件", 1: "%d个文件"}


def mo_of(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


EMPTY_CONTEXT = (
    f'\nmsgid "{S1}"\nmsgstr "The reviewed plain text."\n'
    f'\nmsgctxt ""\nmsgid "{S1}"\nmsgstr "The empty context\'s text."\n'
    f'\nmsgid "{S2}"\nmsgstr "School."\n'
)


def test_an_empty_context_is_a_context_of_its_own_and_takes_no_reviewed_text(project, pipeline):
    """`msgctxt ""` is `pgettext("", ...)` for gettext and msgfmt, apart from no context; the merge
    read it as none, so a run gave the plain entry the context entry's text, approved, and the
    reviewed plain text was gone."""
    path = write_po(project, EMPTY_CONTEXT)
    pipeline("export", "--format", "mo", "--to", "en", cwd=project)
    shipped = mo_of(project / "dist/en/LC_MESSAGES/messages.mo")
    assert shipped.gettext(S1) == "The reviewed plain text."
    assert shipped.pgettext("", S1) == "The empty context's text."
    for _ in range(2):  # and a run after that changes nothing
        pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project)
        found = entries(path)
        plain = found[(None, S1, False)]
        assert plain.msgstr == "The reviewed plain text." and not plain.fuzzy
        # no source gives it, so it is obsolete, as msgmerge leaves it: its text kept, context and all
        assert found[("", S1, True)].msgstr == "The empty context's text."
        assert f'#~ msgctxt ""\n#~ msgid "{S1}"\n' in path.read_text(encoding="utf-8")
        assert mo_of(path.with_suffix(".mo")).gettext(S1) == "The reviewed plain text."
    if shutil.which("msgfmt"):  # msgfmt accepts the catalogue written, and compiles the reviewer's as we did
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True)
        reviewers = write_po(project, EMPTY_CONTEXT)
        subprocess.run(["msgfmt", "-o", str(project / "gnu.mo"), str(reviewers)], check=True)
        gnu = mo_of(project / "gnu.mo")._catalog
        assert {k: v for k, v in gnu.items() if k} == {k: v for k, v in shipped._catalog.items() if k}
