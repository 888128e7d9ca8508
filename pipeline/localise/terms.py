"""Fixed glossary terms (names, brands, ministries) protected like spans: the model sees a numbered
marker where the term stood, and the locale's own term is put back in its place.

Markers continue the numbering of `spans` ([1]…[k] are the protected spans of the sentence, so the
first term is [k+1]); an ending the Gujarati term carried stays for the model to read (મંત્રાલયમાં →
`[3]માં`, "in [3]"), less any vowel sign, which cannot follow a marker. Both functions recompute the
matches from the source, so nothing but the text passes between the translate and localise stages.
A marker the model lost is not guessed back: the `terminology` check then reports the term missing.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.glossary import Glossary
from pipeline.glossary.matching import TermMatch, find_terms
from pipeline.localise.numformat import prepare_for_model
from pipeline.localise.spans import MARKER, mask


def fixed_terms(model_input: str, glossary: Glossary | None, locale: str) -> list[TermMatch]:
    """The fixed terms in what the model would see that have a target for `locale`, in order."""
    return [m for m in find_terms(model_input, glossary) if m.term.fixed and m.term.target(locale)]


def protect_terms(source: str, model_input: str, glossary: Glossary | None, locale: str) -> str:
    """`model_input` (= `prepare_for_model(source)`) with each fixed term replaced by its marker."""
    matches = fixed_terms(model_input, glossary, locale)
    if not matches:
        return model_input
    first = len(mask(source)[1]) + 1
    out, last = [], 0
    for number, match in enumerate(matches, first):
        ending = model_input[match.stem_end : match.end]
        while ending and unicodedata.category(ending[0]).startswith("M"):
            ending = ending[1:]
        out += [model_input[last : match.start], f"[{number}]", ending]
        last = match.end
    out.append(model_input[last:])
    return "".join(out)


def restore_terms(source: str, output: str, glossary: Glossary | None, locale: str) -> str:
    """The model's `output` with each fixed term's marker replaced by the term for `locale`;
    call it before `spans.restore`, which leaves markers beyond the spans alone."""
    matches = fixed_terms(prepare_for_model(source), glossary, locale)
    if not matches:
        return output
    first = len(mask(source)[1]) + 1
    by_number = {number: m.term.target(locale) for number, m in enumerate(matches, first)}

    def put_back(m: re.Match) -> str:
        return by_number.get(int(m.group(1)), m.group(0))

    return MARKER.sub(put_back, output)
