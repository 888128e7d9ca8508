"""Property tests: catalogues carry any text unchanged; numbers keep their values through the
model-input and localisation steps; loop cutting only ever shortens."""

from __future__ import annotations

import gettext
import re

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import merge, pofile
from pipeline.localise.loops import cut_loop, find_loop
from pipeline.localise.numbers import find_source_numbers, find_target_numbers
from pipeline.localise.numformat import localise_numbers, prepare_for_model
from pipeline.model import Translation

# Any text but NUL (gettext's .mo uses it to separate plural forms; sources holding one are refused
# as binary) and lone surrogates (not encodable as UTF-8). Quotes, backslashes, tabs, newlines,
# carriage returns, other C0/C1 controls, line and paragraph separators are all in.
TRICKY = st.sampled_from(
    list('"\\\t\n\r\x0b\x0c\x08\x07\x1b\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029 #~|%{}')
    + ["msgid", 'msgstr "', "#, fuzzy", "\\n", "\r\n"]
)
# EOT (\x04) is the .mo format's separator between msgctxt and msgid: a msgid holding one reads
# back from any .mo as context plus id, so, like NUL, it is outside what .mo can carry.
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04")
TEXT = st.lists(st.one_of(TRICKY, ANY_CHAR, st.sampled_from(["ગુજરાત", "中文", "word"])), min_size=1, max_size=30).map(
    "".join
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.dictionaries(TEXT, TEXT, min_size=1, max_size=4))
def test_any_text_round_trips_through_po_and_mo(tmp_path, pairs):
    po_path, mo_path = tmp_path / "messages.po", tmp_path / "messages.mo"
    messages = [pofile.Message(msgid, ("doc.txt",)) for msgid in pairs]
    translations = {k: Translation(k, v, "tiny@1") for k, v in pairs.items()}
    po = merge.merge_catalog(None, messages, translations)
    for entry in po:
        entry.flags = []  # as a reviewer approved them, so the .mo holds them too
    po_path.unlink(missing_ok=True)
    pofile.save_catalog(po_path, po, "en")
    pofile.save_mo(mo_path, po)

    back = pofile.read_po(po_path)
    assert {e.msgid: e.msgstr for e in back if not e.obsolete} == pairs
    assert {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))} == pairs
    with open(mo_path, "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert all(translations.gettext(k) == v for k, v in pairs.items())


# --- numbers: the protected spans keep their values through model input and localisation -----

GU_DIGITS = str.maketrans("0123456789", "૦૧૨૩૪૫૬૭૮૯")


@st.composite
def numerals(draw) -> str:
    """A number as Gujarati news writes it: ASCII or Gujarati digits, Indian or Western grouping,
    decimals, a scale word."""
    value = draw(st.integers(min_value=0, max_value=10**9))
    style = draw(st.sampled_from(["plain", "western", "indian"]))
    text = {
        "plain": str(value),
        "western": f"{value:,}",
        "indian": re.sub(r"(\d)(?=(\d\d)+\d(?!\d))", r"\1,", str(value)),
    }[style]
    if draw(st.booleans()):
        text += "." + str(draw(st.integers(min_value=1, max_value=99)))
    if draw(st.booleans()):
        text = text.translate(GU_DIGITS)
    if draw(st.booleans()):
        text += " " + draw(st.sampled_from(["લાખ", "કરોડ", "હજાર"]))
    return text


WORDS = st.sampled_from(["આ", "રૂ.", "વર્ષ", "લોકો", "છે", ":", "(", ")", "%", "—", "ગામ", "કુલ"])
SENTENCE = st.lists(st.one_of(numerals(), WORDS), min_size=1, max_size=12).map(" ".join)


def values(numbers) -> list:
    return sorted(n.value for n in numbers)


@settings(max_examples=300, deadline=None)
@given(SENTENCE)
def test_model_input_keeps_every_number_value(text):
    prepared = prepare_for_model(text)
    assert values(find_source_numbers(prepared)) == values(find_source_numbers(text))
    assert re.sub(r"[0-9૦-૯,.]", "", prepared) == re.sub(r"[0-9૦-૯,.]", "", text)  # only digits touched


TARGET = st.lists(
    st.one_of(
        numerals().map(lambda n: n.split()[0].translate(str.maketrans("૦૧૨૩૪૫૬૭૮૯", "0123456789"))),
        st.sampled_from(["people", "in", "the", "year", "人", "元", ",", "."]),
    ),
    min_size=1,
    max_size=10,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    source=SENTENCE,
    translation=TARGET,
    target=st.sampled_from([("en", "decimal"), ("en_IN", "indian"), ("zh_Hans", "compact")]),
)
def test_localised_numbers_keep_their_values(source, translation, target):
    locale, style = target
    out = localise_numbers(translation, source, locale, style)
    assert values(find_target_numbers(out)) == values(find_target_numbers(translation))


# --- loops -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["the", "market", "go", "to", ",", "我们", "市场", "10", "a"]), max_size=30).map(" ".join)
)
def test_loop_cutting_only_shortens_and_leaves_loop_free_text_alone(text):
    cut, finding = cut_loop(text, "આ એક વાક્ય છે.")
    assert text.startswith(cut)
    if find_loop(text) is None:
        assert cut == text and finding is None
    else:
        assert finding is not None and finding.check == "loop" and len(cut) < len(text)
