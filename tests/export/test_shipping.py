"""What ships, through the `pipeline` command: every reviewed entry a gettext or i18next site can
use (context and plural entries included, none overwriting another), nothing a site would break on
or run (a format placeholder, i18next syntax or raw HTML the source does not have: left out with a
warning naming file and line, as `msgfmt -c` does), and nothing written where it was not asked."""

from __future__ import annotations

import json
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
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def write_po(folder: Path, body: str) -> Path:
    path = folder / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The first line of the entry holding `text` (where `check` points too)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if text in line)
    return max(i for i in range(at + 1) if i == 0 or not lines[i - 1].strip()) + 1


CONTEXT_AND_PLURAL = f"""
msgid "{S1}"
msgstr "The government started a scheme."

msgctxt "menu"
msgid "{S1}"
msgstr "New scheme"

msgid "એક ફાઇલ"
msgid_plural "%d ફાઇલો"
msgstr[0] "one file"
msgstr[1] "%d files"
"""


def test_mo_export_keeps_context_and_plural_entries_apart_as_msgfmt_does(tmp_path, pipeline):
    write_po(tmp_path, CONTEXT_AND_PLURAL)
    pipeline("export", "--format", "mo", "--to", "en", cwd=tmp_path)
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(tmp_path / "dist/en/LC_MESSAGES/messages.mo"))}
    assert mo[(None, S1)].msgstr == "The government started a scheme."
    assert mo[("menu", S1)].msgstr == "New scheme"
    assert mo[(None, "એક ફાઇલ")].msgstr_plural == {0: "one file", 1: "%d files"}
    if shutil.which("msgfmt"):  # the entries msgfmt ships
        subprocess.run(
            ["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(tmp_path / "locales/en/LC_MESSAGES/messages.po")], check=True
        )
        gnu = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(tmp_path / "gnu.mo"))}
        assert gnu == {key: (e.msgstr, e.msgstr_plural) for key, e in mo.items()}


def test_json_export_keys_a_context_entry_as_i18next_does_and_names_the_plural_it_leaves_out(tmp_path, pipeline):
    path = write_po(tmp_path, CONTEXT_AND_PLURAL)
    proc = pipeline("export", "--format", "json", "--to", "en", cwd=tmp_path)
    shipped = json.loads((tmp_path / "dist/en/messages.json").read_text(encoding="utf-8"))
    assert shipped == {S1: "The government started a scheme.", f"{S1}_menu": "New scheme"}
    assert f"messages.po:{line_of(path, 'એક ફાઇલ')}: plural entry left out of the JSON" in proc.stderr


def test_an_empty_context_entry_is_kept_apart_and_left_out_of_the_json_by_name(tmp_path, pipeline):
    """`msgctxt ""` is a context of its own: it used to overwrite the plain entry's JSON key and to
    stand in for it in rebuilt documents. i18next reads `context: ""` as none, so it cannot be
    keyed apart: it is left out with a warning, and the plain entry ships."""
    path = write_po(tmp_path, f'\nmsgid "{S1}"\nmsgstr "Plain."\n\nmsgctxt ""\nmsgid "{S1}"\nmsgstr "Empty context."\n')
    (tmp_path / "a.txt").write_text(S1 + "\n", encoding="utf-8")
    ran = pipeline("export", "--format", "json", "--to", "en", cwd=tmp_path)
    shipped = json.loads((tmp_path / "dist/en/messages.json").read_text(encoding="utf-8"))
    assert shipped == {S1: "Plain."}
    assert f"messages.po:{line_of(path, 'msgctxt')}: entry with an empty context" in ran.err
    pipeline("export", "--format", "txt", "--to", "en", "a.txt", cwd=tmp_path)
    assert (tmp_path / "dist/en/a.txt").read_text(encoding="utf-8") == "Plain.\n"


UNSAFE = {
    "python-format": ('#, python-format\nmsgid "ગામમાં %s શાળા."\nmsgstr "A %s school in %s."\n', "%s"),
    "i18next nesting": ('msgid "ગામમાં શાળા."\nmsgstr "A $t(school) in the village."\n', "$t(school)"),
    "i18next interpolation": ('msgid "નવું ગામ."\nmsgstr "A new {{- village}}."\n', "{{- village}}"),
    "raw HTML": (
        'msgid "જૂનું ગામ."\nmsgstr "An old <img src=x onerror=alert(1)> village."\n',
        "<img src=x onerror=alert(1)>",
    ),
    "placeholder dropped": ('#, python-format\nmsgid "કુલ %(count)d શાળા."\nmsgstr "All schools."\n', "%(count)d"),
}


@pytest.mark.parametrize("case", list(UNSAFE))
@pytest.mark.parametrize("fmt", ["mo", "json"])
def test_an_entry_whose_placeholders_or_markup_differ_from_the_source_is_left_out_with_its_line(
    tmp_path, case, fmt, pipeline
):
    body, span = UNSAFE[case]
    path = write_po(tmp_path, f'\nmsgid "{S1}"\nmsgstr "The government started a scheme."\n\n' + body)
    proc = pipeline("export", "--format", fmt, "--to", "en", cwd=tmp_path)
    line = line_of(path, span.split("(")[0] if case == "placeholder dropped" else span)
    assert f"messages.po:{line}: left out: " in proc.stderr and span in proc.stderr, proc.stderr
    out = tmp_path / "dist" / "en"
    if fmt == "mo":
        shipped = {e.msgid: e.msgstr for e in polib.mofile(str(out / "LC_MESSAGES/messages.mo"))}
    else:
        shipped = json.loads((out / "messages.json").read_text(encoding="utf-8"))
    assert shipped[S1] == "The government started a scheme." and len([k for k in shipped if k]) == 1
    assert "1 translated" in proc.stdout

    checked = pipeline("check", path, cwd=tmp_path, code=1)  # the same entry is a finding of `check`, on that line
    assert f"messages.po:{line}: placeholders:" in checked.stdout, checked.stdout


def test_run_flags_an_approved_entry_with_unsafe_markup_and_leaves_it_out_of_its_mo(tmp_path, new_project, pipeline):
    new_project({"a.txt": f"{S1} {S2}\n"})
    path = write_po(
        tmp_path,
        f'\nmsgid "{S1}"\nmsgstr "The government started a $t(scheme)."\n'
        f'\nmsgid "{S2}"\nmsgstr "A new school opened."\n',
    )
    proc = pipeline("run", "articles", "--to", "en", cwd=tmp_path)
    entry = next(e for e in polib.pofile(str(path)) if e.msgid == S1)
    assert entry.msgstr == "The government started a $t(scheme)." and not entry.fuzzy  # the reviewer's, kept
    assert "qa: placeholders: in translation but not in source: $t(scheme)" in entry.comment
    assert f"messages.po:{line_of(path, '$t(scheme)')}: left out of messages.mo: " in proc.stderr
    shipped = {e.msgid: e.msgstr for e in polib.mofile(str(path.with_suffix(".mo")))}
    assert S1 not in shipped and shipped[S2] == "A new school opened."


@pytest.fixture
def exported(tmp_path, new_project, pipeline) -> Path:
    """A project run from its root (`pipeline run .`), reviewed, and exported as text."""
    new_project({"a.txt": f"{S1} {S2}\n"})
    pipeline("run", ".", "--to", "en", cwd=tmp_path)
    po = polib.pofile(str(tmp_path / "locales/en/LC_MESSAGES/messages.po"))
    for entry in po:
        entry.msgstr, entry.flags = "Reviewed: " + entry.msgid, []
    po.save()
    for fmt in ("txt", "json"):
        pipeline("export", "--format", fmt, "--to", "en", cwd=tmp_path)
    (tmp_path / "locales" / "notes.txt").write_text("ગામ નોંધ.\n", encoding="utf-8")  # a reviewer's file
    (tmp_path / ".pipeline" / "scratch.txt").write_text("ગામ કામ.\n", encoding="utf-8")
    return tmp_path


def test_run_of_the_project_root_never_reads_its_exports_work_directory_or_catalogues(exported, pipeline):
    assert (exported / "dist" / "en" / "articles" / "a.txt").exists()
    proc = pipeline("run", ".", "--to", "en", cwd=exported)
    pot = polib.pofile(str(exported / "locales" / "messages.pot"))
    assert [(e.msgid, e.occurrences) for e in pot] == [(S1, [("articles/a.txt", "")]), (S2, [("articles/a.txt", "")])]
    assert "1 document(s)" in proc.stdout


def test_run_never_writes_through_a_locale_folder_linked_outside_the_catalogues(tmp_path, new_project, pipeline):
    """export refuses to follow such a link; run wrote the .po and .mo into the linked folder."""
    project = new_project({"a.txt": f"{S1}\n"}, tmp_path / "project")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "locales").mkdir()
    (project / "locales" / "en").symlink_to(outside)
    proc = pipeline("run", "articles", "--to", "en", cwd=project, code=2)
    assert "Traceback" not in proc.stderr
    assert "locales/en" in proc.stderr and "outside" in proc.stderr, proc.stderr
    assert list(outside.rglob("*")) == [] and not (project / "locales" / "messages.pot").exists()
