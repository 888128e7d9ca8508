"""IndicTrans2's text processing: a sentence as the model was trained to read it, and its output
back as text.

IndicTrans2 learnt from preprocessed text, and a sentence that reaches it otherwise (curly quotes,
Gujarati script, a comma glued to a word) is a sentence unlike its training data. `preprocess`
does what AI4Bharat's IndicTransToolkit (`IndicProcessor.preprocess_batch`, processor.py) does to
a Gujarati sentence before SentencePiece, in its order:

1. punctuation normalised as Moses' normalize-punctuation.perl does (`_punc_norm`: curly quotes
   and dashes to ASCII, no space before `:` `;` `%` `?` `!`, spacing around brackets);
2. native digits to ASCII (`_normalize`);
3. the Gujarati script normalised (indic_nlp_library's `GujaratiNormalizer`: zero-width joiners,
   soft hyphens and byte-order marks dropped, no-break spaces to spaces, a colon after a Gujarati
   letter read as visarga);
4. punctuation split off as tokens (indic_nlp_library's `trivial_tokenize`), digit groups such as
   `3.5` or `10:30` kept whole unless they open the sentence;
5. Gujarati letters written in Devanagari (`UnicodeIndicTransliterator`): the Brahmic blocks of
   Unicode share one layout, so this is one offset per letter.

The toolkit's own placeholders (`<ID1>` for URLs, e-mails and some numerals) are not applied:
`pipeline.localise` has already masked what must come through as `[1]`, `[2]`…, and those markers
pass every step untouched, the spacing around them included: `[3]અહીં[4]` (markup around a word)
reaches the model as `[3]अहीं[4]`, so the model can copy the markers as tightly as they came and
`restore` puts `<b>here</b>` back, not `<b> here </b>`. Punctuation after a marker is split off as
after any word. `postprocess` joins a marker the model wrote in its training's tokenisation
(`[ 3 ]`) again. The language tags and SentencePiece are the model loader's part.

`postprocess` detokenises English output as Moses does (sacremoses, what the toolkit uses) and
writes Indic output back in its own script. Steps 3 to 5 are written out here rather than taken
from indic-nlp-library: they are a page of rules, and the library brings pandas and documentation
tools into every install and takes over a second to import its transliterator; the tests hold
these functions to the library's output where it is installed.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache, lru_cache

from pipeline.localise.spans import MARKER

_STAND_IN = "\ue000"  # a private-use character: no punctuation, outside every script block, unknown to the model

# First code point of each Unicode block laid out like Devanagari's (indic_nlp_library
# langinfo.SCRIPT_RANGES); only offsets 0x00-0x6F correspond (letters, signs, digits).
SCRIPT_BLOCKS = {
    "hi": 0x0900,
    "mr": 0x0900,
    "ne": 0x0900,
    "bn": 0x0980,
    "as": 0x0980,
    "pa": 0x0A00,
    "gu": 0x0A80,
    "te": 0x0C00,
    "kn": 0x0C80,
    "ml": 0x0D00,
}
_COORDINATED = range(0x70)
_DANDAS = {"\u0964", "\u0965"}  # shared by all these scripts: never moved

# IndicTransToolkit `_normalize`: native digits of the Indic scripts (and Arabic) to ASCII.
_DIGIT_ZEROS = (0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0C66, 0x0CE6, 0x0660, 0x06F0, 0x1C50, 0xABF0)
_DIGITS = {zero + d: str(d) for zero in _DIGIT_ZEROS for d in range(10)}

# normalize-punctuation.perl as IndicTransToolkit `_punc_norm` ports it; "\xa0" is a no-break space.
_PUNCT_REPLACEMENTS = (
    ("\r", ""),
    ("(", " ("),
    (")", ") "),
    ("( ", "("),
    (" )", ")"),
    (" :", ":"),
    (" ;", ";"),
    ("`", "'"),
    ("„", '"'),
    ("“", '"'),
    ("”", '"'),
    ("–", "-"),
    ("—", " - "),
    ("´", "'"),
    ("‘", "'"),
    ("‚", "'"),
    ("’", "'"),
    ("''", '"'),
    ("´´", '"'),
    ("…", "..."),
    ("\xa0«\xa0", ' "'),
    ("«\xa0", '"'),
    ("«", '"'),
    ("\xa0»\xa0", '" '),
    ("\xa0»", '"'),
    ("»", '"'),
    ("\xa0%", "%"),
    ("nº\xa0", "nº "),
    ("\xa0:", ":"),
    ("\xa0ºC", " ºC"),
    ("\xa0cm", " cm"),
    ("\xa0?", "?"),
    ("\xa0!", "!"),
    ("\xa0;", ";"),
    (",\xa0", ", "),
)
_PUNCT_PATTERNS = (
    (re.compile("[ ]{2,}"), " "),
    (re.compile(r"\) ([\.!:?;,])"), r")\1"),
    (re.compile(r"(\d) %"), r"\1%"),
    (re.compile(r"\"([,\.]+)"), r'\1"'),
    (re.compile("(\\d)\xa0(\\d)"), r"\1.\2"),
)

# indic_normalize.py NormalizerI/BaseNormalizer: characters dropped or made spaces, then punctuation.
_INVISIBLE = {
    0xFEFF: None,
    0xFFFE: None,
    0x2060: None,
    0x00AD: None,
    0x200C: None,
    0x200D: None,
    0x200B: " ",
    0x00A0: " ",
}
_SCRIPT_PUNCT = (
    ("„", '"'),
    ("“", '"'),
    ("”", '"'),
    ("–", "-"),
    ("—", " - "),
    ("´", "'"),
    ("‘", "'"),
    ("‚", "'"),
    ("’", "'"),
    ("''", '"'),
    ("´´", '"'),
    ("…", "..."),
)

# indic_tokenize.py: ASCII punctuation, the dandas and a few Meetei Mayek and Ol Chiki marks, built
# as the library builds it (unescaped, so its `\]` leaves the backslash out of the class).
_PUNCT_TOKEN = re.compile(
    r"([" + string.punctuation + r"\u0964\u0965\uAAF1\uAAF0\uABEB\uABEC\uABED\uABEE\uABEF"
    r"\u1C7E\u1C7F])"
)
_NUMBER_SEQUENCE = re.compile(r"([0-9]+ [,.:/] )+[0-9]+")  # "3 . 5" -> "3.5", "10 : 30" -> "10:30"

# indic_detokenize.py: which punctuation attaches to the word on its left, right or both sides.
_ATTACH_LEFT = re.compile(r"[ ]([!%)\]},.:;>?\u0964\u0965])")
_ATTACH_RIGHT = re.compile(r"([#$(\[{<@])[ ]")
_ATTACH_BOTH = re.compile(r"[ ]([-/\\])[ ]")


def preprocess(text: str, source_tag: str) -> str:
    """`text` as IndicTransToolkit hands it to SentencePiece (see the module's docstring)."""
    if source_tag != "gu":
        raise ValueError(f"IndicTrans2 preprocessing is written for Gujarati sources, not {source_tag!r}")
    text = text.replace(_STAND_IN, "")
    markers = iter([m.group(0).translate(_DIGITS) for m in MARKER.finditer(text)])
    text = MARKER.sub(_STAND_IN, text)  # one private-use letter per marker: no rule below splits it
    text = normalise_punctuation(text)
    text = text.translate(_DIGITS).strip()
    tokens = tokenise(normalise_gujarati(text))
    text = to_script(" ".join(tokens), "gu", "hi").replace(" \u094d ", "\u094d")
    return re.sub(_STAND_IN, lambda _: next(markers), text)


def postprocess(text: str, target_tag: str) -> str:
    """Decoded model output as text: Moses detokenisation for English; for an Indic target, back
    into its script and detokenised as indic_nlp_library does (IndicProcessor._postprocess)."""
    if target_tag == "en":
        return _english_detokenizer().detokenize(text.split(" "))
    if target_tag in SCRIPT_BLOCKS:
        return detokenise_indic(to_script(text, "hi", target_tag))
    raise ValueError(f"IndicTrans2 does not write {target_tag!r} here (its targets: en and the Indic languages)")


def normalise_punctuation(text: str) -> str:
    """IndicTransToolkit `_punc_norm`: Moses' normalize-punctuation.perl, as IndicTrans2 ports it."""
    for old, new in _PUNCT_REPLACEMENTS:
        text = text.replace(old, new)
    for pattern, replacement in _PUNCT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text.strip()


def normalise_gujarati(text: str) -> str:
    """indic_nlp_library `GujaratiNormalizer().normalize` with its defaults (nukta, nasals and
    chandras kept as written)."""
    text = text.translate(_INVISIBLE)
    for old, new in _SCRIPT_PUNCT:
        text = text.replace(old, new)
    text = text.replace("\u0ae4", "\u0964").replace("\u0ae5", "\u0965")  # reserved dandas: the shared ones
    return re.sub(r"([\u0a80-\u0aff]):", "\\1\u0a83", text)  # a colon after a letter is a visarga


def tokenise(text: str) -> list[str]:
    """indic_nlp_library `trivial_tokenize`: every punctuation mark its own token, except inside
    digit groups (3.5, 1,000, 10:30, 12/05/2023)."""
    spaced = re.sub(r"[ ]+", " ", _PUNCT_TOKEN.sub(r" \1 ", text.replace("\t", " "))).strip(" ")
    return _join_numbers(spaced).split(" ")


def detokenise_indic(text: str) -> str:
    """indic_nlp_library `trivial_detokenize`: punctuation attached to the word it belongs to;
    straight quotes alternate between opening (attached right) and closing (attached left)."""
    text = _join_numbers(text)
    text = _ATTACH_RIGHT.sub(r"\1", _ATTACH_LEFT.sub(r"\1", _ATTACH_BOTH.sub(r"\1", text)))
    for quote in "'\"`":
        parts = text.split(quote)
        out = [parts[0]]
        for i, part in enumerate(parts[1:]):
            if i % 2 == 0:  # an opening quote: no space after it
                out.append(quote + part.removeprefix(" "))
            else:  # a closing one: no space before it
                out[-1] = out[-1].removesuffix(" ")
                out.append(quote + part)
        text = "".join(out)
    return text


def _join_numbers(text: str) -> str:
    """Digit groups split by tokenisation made whole again, except one that opens the text: the
    library's loop skips a match at position 0, so the model was trained on `3 . 5 ...` there."""
    return _NUMBER_SEQUENCE.sub(lambda m: m.group(0).replace(" ", "") if m.start() else m.group(0), text)


def to_script(text: str, source_tag: str, target_tag: str) -> str:
    """`text` with the letters of one Indic script written in another, by their shared offset
    (indic_nlp_library `UnicodeIndicTransliterator.transliterate`). A letter the target script
    lacks keeps its own; Devanagari's precomposed nukta letters (ज़ U+095B) are read as letter and
    nukta first, since the other scripts write the nukta apart."""
    return text.translate(_script_table(SCRIPT_BLOCKS[source_tag], SCRIPT_BLOCKS[target_tag]))


@cache
def _script_table(source: int, target: int) -> dict[int, str]:
    table: dict[int, str] = {}
    if source == target:
        return table
    for offset in _COORDINATED:
        char = chr(source + offset)
        if char in _DANDAS or not unicodedata.name(char, ""):
            continue
        decomposed = unicodedata.normalize("NFD", char)
        mapped = "".join(_moved(c, source, target) for c in decomposed)
        if mapped != char:
            table[ord(char)] = mapped
    return table


def _moved(char: str, source: int, target: int) -> str:
    moved = chr(target + ord(char) - source)
    return moved if unicodedata.name(moved, "") else char


@lru_cache(maxsize=1)
def _english_detokenizer():
    from sacremoses import MosesDetokenizer  # imported with the first IndicTrans2 output: 0.6 s

    return MosesDetokenizer(lang="en")
