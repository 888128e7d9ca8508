"""Localise: everything between a Gujarati msgid and a finished translation.

`prepare` says what the model sees for a msgid; `restore` turns the model's output back into
catalogue text for a locale. `run`, `translate`, `evaluate` and the Ray workers all go through
these two, so what `evaluate` scores is what ships.

- prepare: inline markup placeholders (`<1>…</1>`) taken out (models garble tags), protected spans
  (URLs, e-mail, format placeholders, citations) and the glossary's fixed terms masked as `[1]`,
  `[2]`…, numbers as plain ASCII digits;
- restore: a looping output cut after its first copy, the locale's fixed terms and the spans put
  back by marker, numbers and dates rendered the way the locale writes them, markup placeholders
  put back.

Both are pure functions over strings. The raw model output is what the translation memory keeps,
so a change of these rules needs no re-translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.localise.loops import cut_loop
from pipeline.localise.markup import restore_placeholders, strip_placeholders
from pipeline.localise.numformat import localise_numbers, prepare_for_model
from pipeline.localise.spans import restore_spans
from pipeline.localise.terms import protect_terms, restore_terms
from pipeline.model import Finding

VERSION = "7"  # bump when restore's rules change: cached localised text is rebuilt (6: URLs beside Chinese; 7: number readers)


@dataclass(frozen=True)
class Prepared:
    msgid: str  # the catalogue's source, markup placeholders included
    plain: str  # the sentence without markup placeholders
    model_input: str  # what the model is given


@dataclass(frozen=True)
class Restored:
    text: str
    cut: Finding | None  # the model looped and its output was cut off
    placed: tuple[Finding, ...]  # markup put back by position: the reviewer checks what it wraps


def prepare(msgid: str, glossary=None, locale: str | None = None) -> Prepared:
    """`glossary` (and the target `locale`): its fixed terms are masked too."""
    plain = strip_placeholders(msgid)
    return Prepared(msgid, plain, protect_terms(plain, prepare_for_model(plain), glossary, locale))


def restore(prepared: Prepared, output: str, locale: str, number_style: str, glossary=None) -> Restored:
    text, cut = cut_loop(output, prepared.plain)
    text = restore_spans(prepared.plain, restore_terms(prepared.plain, text, glossary, locale))
    text = localise_numbers(text, prepared.plain, locale, number_style)
    text, placed = restore_placeholders(prepared.msgid, text)
    return Restored(text, cut, tuple(placed))
