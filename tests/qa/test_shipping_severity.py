"""`qa.shipping.shipping`: an approved entry ships unless a finding on it blocks, and only
findings made from its text block (its `qa:` notes are advice)."""

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog.entry import noted_findings
from pipeline.localise.markup import find_tags
from pipeline.localise.spans import find_spans
from pipeline.model import Finding, Severity
from pipeline.qa.shipping import SITE_RUN_KINDS, SITE_RUN_MARKS, Shipping, may_hold_site_run, shipping

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


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters=SITE_RUN_MARKS), max_size=60))
def test_text_without_the_marks_holds_nothing_a_site_runs(text):
    """The premise of the quick answer: no site-run span or markup tag without one of the marks."""
    assert not may_hold_site_run(text)
    assert [s for s in find_spans(text) if s.kind in SITE_RUN_KINDS] == [] and find_tags(text) == []


def test_the_quick_answer_agrees_with_the_search():
    for source, translation in [("ગામ 5", "village 5"), ("ગામ %s", "village"), ("ગામ", "<b>village</b>")]:
        entry = polib.POEntry(msgid=source, msgstr=translation)
        assert bool(shipping(entry).blocking) == bool(source != "ગામ 5")
