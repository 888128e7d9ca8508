"""IndicTrans2's text processing (pipeline/mt/indic.py) on Gujarati sentences of our own.

Each expectation says where it comes from: AI4Bharat's IndicTransToolkit (IndicTransToolkit/
processor.py, `IndicProcessor`), which runs indic_nlp_library (indicnlp/normalize/
indic_normalize.py, indicnlp/tokenize/indic_tokenize.py and indic_detokenize.py, indicnlp/
transliterate/unicode_transliterate.py) and sacremoses (sacremoses/tokenize.py, `MosesDetokenizer`).
The last tests hold our functions to indic_nlp_library itself on generated text.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import localise
from pipeline.localise.spans import MARKER
from pipeline.mt.indic import (
    detokenise_indic,
    normalise_gujarati,
    normalise_punctuation,
    postprocess,
    preprocess,
    to_script,
    tokenise,
)

DIGITS = str.maketrans("૦૧૨૩૪૫૬૭૮૯", "0123456789")


def test_gujarati_letters_reach_the_model_in_devanagari():
    # processor.py `_preprocess`: UnicodeIndicTransliterator.transliterate(text, "gu", "hi"), one
    # offset from the Gujarati block (U+0A80) to the Devanagari one (U+0900).
    assert preprocess("અમદાવાદમાં વરસાદ", "gu") == "अमदावादमां वरसाद"


def test_gujarati_digits_become_ascii_and_punctuation_its_own_token():
    # processor.py `_normalize_indic_numerals`: ૨૦૨૩ → 2023; indic_tokenize.py `trivial_tokenize`:
    # "%" and "." split off as tokens, and its number-sequence rule keeps 55.3 whole.
    assert preprocess("૨૦૨૩માં 55.3% મતદાન થયું.", "gu") == "2023मां 55.3 % मतदान थयुं ."


def test_a_number_opening_the_sentence_is_split_as_the_model_was_trained():
    # indic_tokenize.py `trivial_tokenize_indic` rejoins a number sequence only where it starts
    # after position 0 (`if start>prev`), so a sentence that opens with 3.5 reaches the model as 3 . 5.
    assert preprocess("3.5 ઇંચ વરસાદ પડ્યો.", "gu") == "3 . 5 इंच वरसाद पड्यो ."


def test_curly_quotes_become_straight_quotes_split_off_as_tokens():
    # processor.py `_punc_norm` (normalize-punctuation.perl): “ ” → " and ‘ ’ → '; trivial_tokenize
    # splits every ASCII punctuation mark off, the comma inside the quote too.
    assert preprocess("“આ નિર્ણય ખોટો છે,” એમ તેમણે ‘ગઈકાલે’ કહ્યું.", "gu") == "\" आ निर्णय खोटो छे , \" एम तेमणे ' गईकाले ' कह्युं ."


def test_a_nukta_is_kept_as_a_separate_sign():
    # IndicNormalizerFactory().get_normalizer("gu") as processor.py calls it: GujaratiNormalizer
    # with remove_nuktas=False; the nukta U+0ABC moves to U+093C like every other sign.
    out = preprocess("ઝ઼ ફ઼ોન", "gu")
    assert out == "झ़ फ़ोन"
    assert out == "\u091d\u093c \u092b\u093c\u094b\u0928"  # letter + nukta, not precomposed ज़ (U+095B)


def test_zero_width_joiners_are_dropped():
    # indic_normalize.py BaseNormalizer.normalize: ZERO_WIDTH_NON_JOINER and ZERO_WIDTH_JOINER removed.
    assert preprocess("ક્\u200cષ અને ર\u200d્", "gu") == "क्ष अने र्"


def test_a_latin_name_is_left_as_written():
    # Latin letters lie outside the Gujarati block: the transliterator leaves them; nothing splits words.
    assert preprocess("Google અને Narendra Modi", "gu") == "Google अने Narendra Modi"


def test_a_number_with_a_unit_and_brackets():
    # `_punc_norm`: " (" before an opening bracket; trivial_tokenize splits the brackets and the stop,
    # and keeps 12.5 whole; the unit is a Gujarati word like any other.
    assert preprocess("રસ્તો 12.5 કિમી લાંબો છે (અંદાજે).", "gu") == "रस्तो 12.5 किमी लांबो छे ( अंदाजे ) ."


def test_times_dates_and_currency():
    # trivial_tokenize's number-sequence rule keeps 10:30 and 12/05/2023 whole; ₹ is no ASCII
    # punctuation, so it stays where it is.
    assert preprocess("₹ 500 કરોડ, 10:30 વાગ્યે, 12/05/2023ના રોજ", "gu") == "₹ 500 करोड , 10:30 वाग्ये , 12/05/2023ना रोज"


def test_punctuation_is_normalised_as_moses_does():
    # processor.py `_punc_norm` (IndicTrans2's port of normalize-punctuation.perl): a space before
    # "(" and none inside the brackets, ")" glued to the stop after it, no space before "%" ";" ":",
    # a stop or comma after a closing quote moved inside it, carriage returns and double spaces gone.
    assert normalise_punctuation("ભાવ(અંદાજે ). વધારો 5 % ; સમય : હવે") == "ભાવ (અંદાજે). વધારો 5%; સમય: હવે"
    assert normalise_punctuation('"હા", "ના".') == '"હા," "ના."'
    assert normalise_punctuation("એ  બે\r") == "એ બે"
    # Digits around a no-break space become a decimal number, as in Moses (10 000 → 10.000).
    assert normalise_punctuation("10\u00a0000 લોકો") == "10.000 લોકો"


def test_a_colon_after_a_gujarati_letter_is_read_as_visarga():
    # `_punc_norm` first drops the space before ":"; GujaratiNormalizer.normalize then replaces a
    # colon after a Gujarati character with the visarga ઃ ("correct visarge"), so the model reads ः.
    assert preprocess("પ્રશ્ન : શું?", "gu") == "प्रश्नः शुं ?"


def test_dashes_ellipses_and_no_break_spaces():
    # `_punc_norm`: — → " - ", … → "..."; trivial_tokenize splits each dot; BaseNormalizer turns a
    # no-break space into a space.
    assert preprocess("હા — ના…", "gu") == "हा - ना . . ."
    assert preprocess("એક\u00a0બે", "gu") == "एक बे"


def test_our_masks_come_through_and_back():
    """What `localise.prepare` gives a model ([1]… for a URL, a format placeholder and inline markup,
    ASCII digits) reaches the model with each marker whole and as tightly bound to its neighbours
    as it came; English output comes back through Moses detokenisation with the markers as the
    model wrote them, and `restore` puts every span back."""
    msgid = "વધુ માહિતી https://example.gov.in/a?b=1 પર, %(count)s લોકો માટે <b>અહીં</b> <1>જુઓ</1> ૧૨ વાર."
    prepared = localise.prepare(msgid)
    assert prepared.model_input == "વધુ માહિતી [1] પર, [2] લોકો માટે [3]અહીં[4] જુઓ 12 વાર."
    # trivial_tokenize would split "[3]અહીં[4]" into "[ 3 ] अहीं [ 4 ]" (it splits every ASCII
    # punctuation mark, the toolkit's own <ID1> into < ID1 >); our markers are kept whole, and the
    # comma and stop after them are split off as after any word.
    assert preprocess(prepared.model_input, "gu") == "वधु माहिती [1] पर , [2] लोको माटे [3]अहीं[4] जुओ 12 वार ."
    # sacremoses MosesDetokenizer: "[" attaches to the right, "]" "," "." to the left, so a marker the
    # model wrote in its training's tokenisation ([ 1 ]) is whole again; [3]here[4] is left alone.
    output = postprocess("More information at [ 1 ] , for [ 2 ] people [3]here[4] see 12 times .", "en")
    assert output == "More information at [1], for [2] people [3]here[4] see 12 times."
    restored = localise.restore(prepared, output, "en", "decimal")
    assert restored.text.startswith(
        "More information at https://example.gov.in/a?b=1, for %(count)s people <b>here</b>"
    )


def test_a_marker_with_a_gujarati_ending_keeps_its_number_and_its_ending():
    # terms.py writes a fixed term's marker with the Gujarati ending after it ([3]માં); the marker
    # stays whole and bound to the ending, which is written in Devanagari like the rest.
    assert preprocess("[3]માં અને [12]નો, [ 7 ]", "gu") == "[3]मां अने [12]नो , [ 7 ]"
    assert preprocess("[૧૨]", "gu") == "[12]"  # digits become ASCII inside a marker too (`_normalize`)


_PLAIN = st.text(alphabet=st.sampled_from(list("અકમાં઼્ .,:;!?()\"'“”…%0123456789૧૨-/\u00a0\u200d")), max_size=6)
_MARKER = st.builds(
    lambda n, gujarati: f"[{n}]".translate(str.maketrans("0123456789", "૦૧૨૩૪૫૬૭૮૯")) if gujarati else f"[{n}]",
    st.integers(1, 999),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PLAIN, _MARKER), max_size=8))
def test_every_marker_comes_through_in_order(pieces):
    text = "".join(pieces)
    assert MARKER.findall(preprocess(text, "gu")) == [m.translate(DIGITS) for m in MARKER.findall(text)]


def test_english_output_is_detokenised_as_moses_does():
    # processor.py `_postprocess` for eng_Latn: MosesDetokenizer(lang="en").detokenize(sent.split(" ")).
    assert (
        postprocess('He said , " the road is 12.5 km long ( approx . ) . "', "en")
        == 'He said, "the road is 12.5 km long (approx.)."'
    )
    assert postprocess("[ 1 ] costs 10 % more .", "en") == "[1] costs 10% more."


def test_gujarati_output_comes_back_in_gujarati_script():
    # processor.py `_postprocess` for an Indic target: transliterate(sent, "hi", "gu"), then
    # indic_detokenize.py `trivial_detokenize` (numbers rejoined, "." "," "]" attach left, "[" right,
    # straight quotes alternate opening and closing).
    assert postprocess("अमदावादमां 3.5 इंच वरसाद [ 1 ] .", "gu") == "અમદાવાદમાં 3.5 ઇંચ વરસાદ [1]."
    assert postprocess('तेमणे कह्युं , " हा " .', "gu") == 'તેમણે કહ્યું, "હા".'


def test_a_tokenised_gujarati_sentence_makes_the_round_trip():
    sentence = "અમદાવાદમાં 3.5 ઇંચ વરસાદ [1], 12/05/2023ના રોજ [2]અહીં[3]."
    assert postprocess(preprocess(sentence, "gu"), "gu") == sentence


def test_every_gujarati_letter_and_sign_makes_the_round_trip_through_devanagari():
    assigned = [chr(c) for c in range(0x0A80, 0x0AF0) if unicodedata.name(chr(c), "")]
    text = "".join(assigned)
    assert all("\u0900" <= c <= "\u097f" for c in to_script(text, "gu", "hi"))
    assert to_script(to_script(text, "gu", "hi"), "hi", "gu") == text


def test_devanagari_the_target_script_lacks_is_not_turned_into_unassigned_code_points():
    # Where indic_nlp_library would write an unassigned code point (ज़ U+095B → U+0ADB; ऎ U+090E →
    # U+0A8E), the precomposed nukta letter is read as letter + nukta and a letter Gujarati lacks is kept.
    assert to_script("ज़ ऎ", "hi", "gu") == "જ઼ ऎ"


def test_languages_it_does_not_handle_are_refused():
    with pytest.raises(ValueError, match="Gujarati sources"):
        preprocess("Hello", "en")
    with pytest.raises(ValueError, match="zh_Hans"):
        postprocess("你好", "zh_Hans")


def test_importing_the_module_loads_neither_transformers_nor_sacremoses():
    code = (
        "import sys, pipeline.mt.indic; "
        "print(sorted(m for m in ('transformers', 'torch', 'sacremoses', 'indicnlp') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- held to indic_nlp_library, which IndicTransToolkit runs ------------------------------------

_GUJARATI = [chr(c) for c in range(0x0A80, 0x0B00) if unicodedata.name(chr(c), "")]
_DEVANAGARI = [
    chr(c)
    for c in range(0x0900, 0x0970)
    if unicodedata.name(chr(c + 0x180), "") and not unicodedata.decomposition(chr(c))
]
_MARKS = list(" .,:;!?()[]{}<>#$@\"'`“”‘’„‚´–—…%0123456789-/\\\t\u00a0\u200c\u200d\u200b\u00ad\ufeff\u2060")
_MARKS += list("abcXYZ૦૧૨૯")
gujarati_text = st.text(alphabet=st.sampled_from(_GUJARATI + _MARKS), max_size=40)
devanagari_text = st.text(
    alphabet=st.sampled_from(_DEVANAGARI + list(" .,:;!?()[]{}<>#$@\"'`%0123456789-/\\")), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(gujarati_text)
def test_normalising_and_tokenising_match_indic_nlp_library(text):
    normalize = pytest.importorskip("indicnlp.normalize.indic_normalize")
    indic_tokenize = pytest.importorskip("indicnlp.tokenize.indic_tokenize")
    normalised = normalize.IndicNormalizerFactory().get_normalizer("gu").normalize(text)
    assert normalise_gujarati(text) == normalised
    assert tokenise(normalised) == indic_tokenize.trivial_tokenize(normalised, "gu")


@settings(max_examples=300, deadline=None)
@given(gujarati_text)
def test_gujarati_to_devanagari_matches_indic_nlp_library(text):
    transliterate = pytest.importorskip("indicnlp.transliterate.unicode_transliterate")
    assert to_script(text, "gu", "hi") == transliterate.UnicodeIndicTransliterator.transliterate(text, "gu", "hi")


@settings(max_examples=300, deadline=None)
@given(devanagari_text)
def test_gujarati_output_matches_indic_nlp_library(text):
    # Devanagari letters that have a Gujarati counterpart, as the model writes them.
    transliterate = pytest.importorskip("indicnlp.transliterate.unicode_transliterate")
    indic_detokenize = pytest.importorskip("indicnlp.tokenize.indic_detokenize")
    expected = indic_detokenize.trivial_detokenize(
        transliterate.UnicodeIndicTransliterator.transliterate(text, "hi", "gu"), "gu"
    )
    assert detokenise_indic(to_script(text, "hi", "gu")) == expected
    assert postprocess(text, "gu") == expected
