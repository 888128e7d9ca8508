"""`pipeline check PO... [--json]` over catalogues with Gujarati msgids, from this project or not."""

from __future__ import annotations

import json

import polib

PO = r"""msgid ""
msgstr ""
"Language: en\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgctxt "home"
msgid "કુલ ૩,૦૦,૦૦૦ લોકોએ %(place)s ની મુલાકાત લીધી."
msgstr "A total of 30,000 people visited %(place)s."

msgid "તા. 20-05-2023 ના રોજ સવારે 9:30 વાગ્યે."
msgstr "On May 20, 2023 at 9:30 a.m."

#, fuzzy
msgid "આ વાક્ય છે."
msgstr "This is વાક્ય"

msgid "એક ફાઇલ"
msgid_plural "%d ફાઇલો"
msgstr[0] "one file"
msgstr[1] "%s files"

msgid "અનુવાદ બાકી છે."
msgstr ""

#~ msgid "જૂનું 5"
#~ msgstr "old 6"
"""


def test_json_findings_name_file_context_msgid_and_check(tmp_path, pipeline):
    (tmp_path / "a.po").write_text(PO, encoding="utf-8")
    proc = pipeline("check", "a.po", "--json", cwd=tmp_path, code=1)
    findings = json.loads(proc.stdout)
    got = {(f["msgctxt"], f["msgid"][:8], f["check"]) for f in findings}
    assert got == {
        ("home", "કુલ ૩,૦૦", "numbers"),
        (None, "આ વાક્ય ", "untranslated"),
        (None, "આ વાક્ય ", "punctuation"),
        (None, "એક ફાઇલ", "placeholders"),  # msgstr[1] has %s where msgid_plural has %d
    }
    assert all(f["file"] == "a.po" and isinstance(f["message"], str) and f["message"] for f in findings)
    assert any("300000" in f["message"] for f in findings)


def test_clean_catalogue_exits_0_and_text_output_names_file_and_line(tmp_path, pipeline):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="2023માં 5 લાખ લોકો.", msgstr="In 2023, 500,000 people."))
    po.append(polib.POEntry(msgid="2023માં 5 લાખ લોકો.", msgctxt="zh", msgstr="2023年，50万人。"))
    po.save(str(tmp_path / "ok.po"))
    pipeline("check", "ok.po", cwd=tmp_path)
    proc = pipeline("check", "ok.po", "--json", cwd=tmp_path, code=0)
    assert json.loads(proc.stdout) == []
    (tmp_path / "bad.po").write_text(PO, encoding="utf-8")
    proc = pipeline("check", "ok.po", "bad.po", cwd=tmp_path, code=1)
    assert "bad.po:6: numbers:" in proc.stdout


def test_unreadable_input_exits_2_naming_the_file(tmp_path, pipeline):
    (tmp_path / "broken.po").write_text('msgid "a"\nmsgstr "b"\nthis is not po\n', encoding="utf-8")
    proc = pipeline("check", "broken.po", cwd=tmp_path, code=2)
    assert "broken.po:3: syntax error in catalogue" in proc.stderr
    proc = pipeline("check", "missing.po", cwd=tmp_path, code=2)
    assert "missing.po" in proc.stderr
    (tmp_path / "folder.po").mkdir()
    proc = pipeline("check", "folder.po", cwd=tmp_path, code=2)
    assert "folder.po: is a folder without .po files" in proc.stderr


def test_unterminated_string_is_the_same_error_as_run_and_status(tmp_path, pipeline):
    """polib reads an unclosed quote as an empty string; check, run and status share one reader."""
    broken = PO.replace(
        'msgstr "A total of 30,000 people visited %(place)s."', 'msgstr "A total of 30,000 people visited %(place)s.'
    )
    folder = tmp_path / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(broken, encoding="utf-8")
    expected = "messages.po:8: syntax error in catalogue: 'msgstr \"A total of 30,000"
    proc = pipeline("check", folder / "messages.po", "--json", cwd=tmp_path, code=2)
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    status = pipeline("status", cwd=tmp_path, code=2)
    assert expected in status.stderr
