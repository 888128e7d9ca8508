"""Gujarati sentence splitter: punctuation rules plus word lists, offsets kept exactly.

Sentence-level models (NLLB, M2M100) drop or merge sentences when given several at once, so a
block is cut at real sentence ends and nowhere else. A sentence ends at `.`, `।`, `॥`, `?`, `!`, `…`
or `...`, with any closing quotes and brackets after it, when whitespace follows, except:

- inside a token: no whitespace after the stop (૧૨.૫, 3,00,000, 9.30, example.com, file.txt, a@b.org);
  URLs and e-mail addresses are skipped whole;
- when what follows continues the sentence: punctuation (`છે. , અને`), a lower-case Latin letter, a
  postposition written apart (`યુ.એસ. માં`), a word reporting a quote (`"આ શું છે?" તેમ પૂછ્યું`);
- after an abbreviation (ડૉ., શ્રી., કિ.મી., Dr., U.S.; see `segment_rules`), a word holding the
  abbreviation sign ૰, a dotted acronym (એ.એફ.સી.), an initial (a single letter, or a Latin letter's
  Gujarati name: એ. બી.), a one-word parenthesis (`(ફે.)`);
- after an ellipsis that is a pause, not an end: one standing alone or after a comma, or followed
  by a word that carries the sentence on (અને, કે, ...);
- after a list number at the start of a sentence (`1. પહેલું`); a number elsewhere ends a sentence
  (`... 2024. આ`).

A quote standing apart after a stop, before whitespace (`"હા. " પછી`, `"હા." " પછી`, `. "" પછી`),
closes that sentence (see `_loose_quote_closes`). A bracketed citation or aside after a stop (`છે. (બ્રીમર, 1998)`, `... (નીચે જુઓ)` at the end) stays
with the sentence before it. A blank line, or a line break before a bullet or list number, always
ends a sentence; a single line break is just whitespace (wrapped paragraphs).

Unicode: sentence boundaries are found on the text as decoded (NFC); NBSP, narrow NBSP and
zero-width spaces count as whitespace there. `Segment.text` then gets the clean-ups in
`clean_segment_text` (documented there); they change nothing a reader sees, and they are reversible:
`doc.text[seg.start:seg.end]` is always the source exactly as read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from pipeline.localise.markup import keep_tags_together, strip_placeholders
from pipeline.model import Document, Segment
from pipeline.segment.rules import (
    CONTINUING_WORDS,
    GUJARATI_ABBREVIATIONS,
    GUJARATI_LETTER_NAMES,
    LATIN_ABBREVIATIONS,
    ONE_LETTER_WORDS,
    POSTPOSITIONS,
    QUOTATIVE_WORDS,
)

_NFC = lambda words: frozenset(unicodedata.normalize("NFC", w) for w in words)  # noqa: E731
ABBREVIATIONS = _NFC(GUJARATI_ABBREVIATIONS | LATIN_ABBREVIATIONS)
LETTER_NAMES = _NFC(GUJARATI_LETTER_NAMES)

# Invisible spacing characters that separate words like a space: found as whitespace when splitting.
SPACE_LIKE = "\u00a0\u202f\u2007\u200b\u2060\ufeff"
_AS_SPACE = str.maketrans({c: " " for c in SPACE_LIKE})
_HAS_SPACE_LIKE = re.compile(f"[{SPACE_LIKE}]")
_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{‹"
_TERMINATOR = re.compile(r"(\.{2,}|…+|[.।॥?!]+)([" + re.escape(_CLOSERS) + r"]*)")
_CONTINUES = re.compile(r"[,;:)\]}।॥.]|%(?![(a-zA-Z])|[a-z]")  # a % sign continues; %s, %(name)s start
_NUMBER = re.compile(r"[0-9૦-૯]+(?:[.,:/-][0-9૦-૯]+)*")
_PROTECTED = re.compile(r"(?:https?://|ftp://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_URL_TAIL = ".,;:!?)]}\"'”’"
_HARD_BREAK = re.compile(r"\r?\n[ \t\r]*\n\s*|\u2029\s*|\r?\n(?=[ \t]*(?:[•·▪◦*\-–]|[0-9૦-૯]{1,3}[.)]|\(?[a-zA-Zક-હ]\))\s)")
# A bracketed citation or aside right after a stop: no sentence punctuation inside.
_ASIDE = re.compile(r"\s*\([^()\n.।॥?!]{1,80}\)")
_YEAR = re.compile(r"[0-9૦-૯]{4}")
# A quote standing apart after the stop, before whitespace (`"હા. " પછી`, `." "`, `. ""`).
_LOOSE_QUOTE = re.compile(r"[ \t]+([\"”’»]+)(?=\s|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, surrounding whitespace left out, in order."""
    view = text.translate(_AS_SPACE) if _HAS_SPACE_LIKE.search(text) else text
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in _HARD_BREAK.finditer(view):
        spans.extend(_split_run(view, start, brk.start()))
        start = brk.end()
    spans.extend(_split_run(view, start, len(view)))
    return spans


def _split_run(view: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Sentences of view[lo:hi], a stretch without hard breaks; offsets into `view`."""
    chunk = view[lo:hi]
    protected = [(m.start(), m.end() - len(m.group()) + len(m.group().rstrip(_URL_TAIL)))
                 for m in _PROTECTED.finditer(chunk)] if ("@" in chunk or "www." in chunk or "://" in chunk) else []
    cuts: list[int] = []
    sentence_start = 0
    skip_to = 0
    p = 0
    for match in _TERMINATOR.finditer(chunk):
        if match.start() < skip_to:
            continue
        while p < len(protected) and protected[p][1] <= match.start():
            p += 1
        if p < len(protected) and protected[p][0] <= match.start():
            continue  # inside a URL or e-mail address
        if not _is_boundary(chunk, match, sentence_start):
            continue
        end = match.end()
        aside = _ASIDE.match(chunk, end)
        if aside and (not chunk[aside.end():].strip() or _YEAR.search(aside.group())):
            end = skip_to = aside.end()
        loose = _LOOSE_QUOTE.match(chunk, end)
        if loose and _loose_quote_closes(loose.group(1), match.group(2), chunk.count('"', sentence_start, end)):
            end = skip_to = loose.end()
        cuts.append(end)
        sentence_start = end
    spans = []
    begin = 0
    for end in [*cuts, len(chunk)]:
        s, e = begin, end
        while s < e and chunk[s].isspace():
            s += 1
        while e > s and chunk[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((lo + s, lo + e))
        begin = end
    return spans


def _word_at(text: str, pos: int) -> str:
    """The word starting at `pos`, without trailing punctuation."""
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[pos:end].rstrip(".,;:!?।॥…" + _CLOSERS)


def _word_before(text: str, pos: int) -> tuple[str, str]:
    """(word, the opening quotes or brackets right before it) for the word ending at `pos`."""
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        start -= 1
    opener = start
    while opener > 0 and text[opener - 1] in _OPENERS:
        opener -= 1
    return text[start:pos], text[opener:start]


def _is_boundary(text: str, match: re.Match, sentence_start: int) -> bool:
    end = match.end()
    if end < len(text) and not text[end].isspace():
        return False  # 3.14, 9.30, example.com, file.txt, "word.Next"
    rest = end
    while rest < len(text) and text[rest].isspace():
        rest += 1
    if rest == len(text):
        return True
    if _CONTINUES.match(text, rest):
        return False
    next_word = _word_at(text, rest)
    if next_word in POSTPOSITIONS:
        return False
    mark, closers = match.group(1), match.group(2)
    if _reports_the_quote(text, rest + len(next_word), next_word, closers):
        return False  # "આ શું છે?" તેમ તેમણે પૂછ્યું: the quote is part of the sentence
    if mark.startswith(("..", "…")):
        return _ellipsis_ends_sentence(text, match.start(), next_word)
    if mark != ".":
        return True
    word, opener = _word_before(text, match.start())
    if not word:
        return True  # "છે ." ends a sentence
    if ")" in closers and "(" in opener:
        return False  # a one-word parenthesis: "(ફે.)"
    if _NUMBER.fullmatch(word):
        at_start = not text[sentence_start : match.start() - len(word)].strip()
        return not (at_start and len(word) <= 3)  # "1. પહેલું" is a list item; "... 2024. આ" ends
    return not _is_abbreviation(word)


def _reports_the_quote(text: str, after: int, next_word: str, closers: str) -> bool:
    """After a closing quote, એમ / તેમ / એવું ("so", "that") go on reporting it; તેમ છતાં
    ("even so") starts a sentence."""
    if not any(q in closers for q in "\"'”’»") or next_word not in QUOTATIVE_WORDS:
        return False
    return not (next_word == "તેમ" and _word_at(text, after + 1).startswith("છતા"))


def _is_abbreviation(word: str) -> bool:
    if word in ABBREVIATIONS or "૰" in word:
        return True
    if len(word) == 1:
        return word.isalpha() and word not in ONE_LETTER_WORDS  # an initial: "ક.", "A."
    if word in LETTER_NAMES:
        return True
    if "." in word:  # a dotted acronym: એ.એફ.સી.એફ.ટી.એ, U.S.A, કી.મી
        pieces = word.split(".")
        return all(0 < len(piece) <= 3 or piece in LETTER_NAMES for piece in pieces)
    return False


def _loose_quote_closes(quotes: str, closers: str, quotes_before: int) -> bool:
    """”, ’, », a doubled "" and a quote after `."` can only close; a lone " closes when the sentence
    left one open (an odd count), else it opens the next sentence (`છે. " બીજું વાક્ય "`)."""
    return quotes != '"' or '"' in closers or quotes_before % 2 == 1


def _ellipsis_ends_sentence(text: str, start: int, next_word: str) -> bool:
    before = text[start - 1] if start else " "
    if before.isspace() or before in ",;:-–—(":
        return False  # a pause: "તે ... આવ્યો", "છે,.... વાચન"
    if before.isdigit() and next_word[:1].isdigit():
        return False  # "1, 2... 10"
    return next_word not in CONTINUING_WORDS


# --- Unicode clean-ups of segment text -------------------------------------------------------

_INVISIBLE = "\u200b\u2060\ufeff\u00ad"  # zero-width space, word joiner, BOM, soft hyphen
_SPACES = "\u00a0\u202f\u2007"  # no-break space, narrow no-break space, figure space
_CLEAN_TABLE = str.maketrans({**{c: None for c in _INVISIBLE}, **{c: " " for c in _SPACES}})
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: they shape conjuncts between letters, so are kept there


def clean_segment_text(raw: str) -> str:
    """The text a segment is translated and catalogued as. The only changes, all invisible:

    - NBSP (U+00A0), narrow NBSP (U+202F) and figure space (U+2007) become a plain space;
    - zero-width space (U+200B), word joiner (U+2060), a stray BOM (U+FEFF) and soft hyphen (U+00AD)
      are removed;
    - ZWNJ/ZWJ (U+200C/U+200D) are removed only where they join nothing (next to a space,
      punctuation or the segment's edge); between letters they change the rendering, so stay;
    - spaces left at either edge by those removals are trimmed.

    Nothing else (spacing, quotes, digits, spelling) is touched; the original is
    `doc.text[seg.start:seg.end]`.
    """
    if raw.isascii() or not any(c in raw for c in _INVISIBLE + _SPACES + _JOINERS):
        return raw
    text = raw.translate(_CLEAN_TABLE)
    if any(c in text for c in _JOINERS):
        text = "".join(
            c for i, c in enumerate(text)
            if c not in _JOINERS or (_joins(text, i - 1) and _joins(text, i + 1))
        )
    return text.strip()  # a space that a dropped character had hidden at an edge


def _joins(text: str, i: int) -> bool:
    return 0 <= i < len(text) and unicodedata.category(text[i])[0] in "LM"


# --- documents ----------------------------------------------------------------------------------


def segment_document(doc: Document) -> Iterator[Segment]:
    """Every translatable sentence of `doc`, in document order; artefact blocks yield nothing."""
    index = 0
    for block in doc.blocks:
        if block.kind == "artefact":
            continue
        block_text = doc.text[block.start : block.end]
        for s, e in keep_tags_together(block_text, split_sentences(block_text)):
            text = clean_segment_text(block_text[s:e])
            if not text.strip() or is_markup_only(text):
                continue
            yield Segment(
                doc=doc.name,
                block=block.index,
                index=index,
                text=text,
                start=block.start + s,
                end=block.start + e,
            )
            index += 1


def is_markup_only(text: str) -> bool:
    """`<1/>`, `<1/><2/>.`: an image or line break after the last full stop is no sentence; it
    stays where it is in the block, untranslated, instead of becoming a msgid of tags."""
    return "<" in text and not any(c.isalnum() for c in strip_placeholders(text))


def segment_documents(docs: Iterable[Document]) -> list[Segment]:
    return [seg for doc in docs for seg in segment_document(doc)]
