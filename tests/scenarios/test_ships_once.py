"""The run's .mo and export's .mo ship the same entries: one answer to "does this entry ship?"
(`qa.shipping.shipping`), whatever else the catalogue holds."""

from __future__ import annotations

import polib

CLEAN = "ગુજરાત સરકારે નવી યોજના શરૂ કરી છે."
BLOCKING = "નવી શાળા ગામમાં ખુલી છે."
ADVISORY = "ગામમાં 25 ઘર બન્યાં."
MACHINE = "આજે વરસાદ પડ્યો."
GONE = "આ વાક્ય હવે લેખમાં નથી."
CATALOGUE = f"""\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

msgid "{CLEAN}"
msgstr "The Gujarat government has started a new scheme."

msgid "{BLOCKING}"
msgstr "A new %s school has opened in the village."

msgid "{ADVISORY}"
msgstr "26 houses were built in the village."

msgid "{GONE}"
msgstr "This sentence is no longer in the article."
"""


def shipped(path) -> dict:
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(path)) if e.msgid}


def test_run_and_export_ship_the_same_entries(tmp_path, tiny_models, pipeline):
    models = tmp_path / "models.yaml"
    text = tiny_models.read_text(encoding="utf-8").replace("beam_size: 2", "beam_size: 1")
    models.write_text(text.replace("source: ./", f"source: {tiny_models.parent}/"), encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "news.txt").write_text(
        "\n\n".join([CLEAN, BLOCKING, ADVISORY, MACHINE]) + "\n", encoding="utf-8"
    )
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(CATALOGUE, encoding="utf-8")

    run = pipeline("run", "articles", "--to", "en", "--models", models, cwd=tmp_path)
    po = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert po[MACHINE].fuzzy and po[GONE].obsolete  # the catalogue holds every kind
    assert "qa: numbers:" in po[ADVISORY].comment and "qa: placeholders:" in po[BLOCKING].comment
    assert "left out of messages.mo: placeholders in translation but not in source: %s" in run.err

    pipeline("export", "--format", "mo", "--to", "en", cwd=tmp_path)
    by_run = shipped(po_path.with_suffix(".mo"))
    by_export = shipped(tmp_path / "dist" / "en" / "LC_MESSAGES" / "messages.mo")
    assert by_run == by_export
    assert sorted(msgid for _, msgid in by_run) == sorted([CLEAN, ADVISORY])
