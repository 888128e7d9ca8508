"""`qa.shipping.shipping`: an approved entry ships unless a finding on it blocks, and only
findings made from its text block (its `qa:` notes are advice)."""

import polib

from pipeline.catalog.entry import noted_findings
from pipeline.model import Finding, Severity
from pipeline.qa.shipping import Shipping, shipping

SOURCE = "નવી શાળા ગામમાં ખુલી છે."


def test_a_placeholder_the_source_lacks_blocks_an_approved_entry():
    entry = polib.POEntry(msgid=SOURCE, msgstr="A new %s school has opened.")
    found = Finding("shipping", "placeholders in translation but not in source: %s", Severity.BLOCKING)
    assert shipping(entry) == Shipping(False, (found,))


def test_a_note_is_advice_and_an_entry_not_approved_is_not_held_back():
    noted = polib.POEntry(
        msgid=SOURCE,
        msgstr="A new school has opened.",
        comment="qa: placeholders: in translation but not in source: %s",
    )
    assert noted_findings(noted) == (Finding("placeholders", "in translation but not in source: %s"),)
    assert shipping(noted) == Shipping(True)
    fuzzy = polib.POEntry(msgid=SOURCE, msgstr="A new %s school has opened.", flags=["fuzzy"])
    assert shipping(fuzzy) == Shipping(False) and not shipping(fuzzy, include_fuzzy=True).ships
