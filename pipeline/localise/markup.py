"""Inline markup inside a sentence, as numbered placeholders reviewers can move with the words.

HTML and Markdown readers write a sentence's inline markup into its msgid as `<1>…</1>` (an
element with content: a link, bold, emphasis) and `<2/>` (something kept whole: a line break, an
image, inline code). Numbers count from 1 in source order within one block; the reader keeps
what each number stands for, so on export the element, with its attributes, is always copied from
the source, never from a translation. The same `<1>…</1>` convention is what i18next's `Trans`
component and Poedit/Weblate's tag highlighting expect.

Only this exact pattern is markup: anything else in a translation (`<script>`, `<1 onclick=…>`)
is text and gets escaped by the writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Finding

PLACEHOLDER = re.compile(r"<(/?)(\d{1,3})(/?)>")


@dataclass(frozen=True)
class Tag:
    """One placeholder as written: `<n>` (open), `</n>` (close) or `<n/>` (whole)."""

    start: int
    end: int
    number: int
    kind: str  # "open" | "close" | "whole"


def find_tags(text: str) -> list[Tag]:
    tags = []
    for m in PLACEHOLDER.finditer(text):
        closing, number, selfclosing = m.group(1), int(m.group(2)), m.group(3)
        if closing and selfclosing:
            continue  # `</1/>` is not a placeholder
        kind = "close" if closing else "whole" if selfclosing else "open"
        tags.append(Tag(m.start(), m.end(), number, kind))
    return tags


def strip_placeholders(text: str) -> str:
    """The sentence as the model and the QA checks see it: placeholders out, spaces tidied."""
    if "<" not in text:
        return text
    out = PLACEHOLDER.sub(_tag_gap, text)
    return re.sub(r"[ \t]{2,}", " ", out).strip() if out != text else text


def _tag_gap(m: re.Match) -> str:
    return " " if m.group(3) else ""  # `<2/>` (a line break, an image) stands between words


def is_balanced(text: str) -> bool:
    """Every `<n>` closed by its `</n>`, properly nested."""
    stack: list[int] = []
    for tag in find_tags(text):
        if tag.kind == "open":
            stack.append(tag.number)
        elif tag.kind == "close":
            if not stack or stack.pop() != tag.number:
                return False
    return not stack


_STOP_THEN_WHOLE = re.compile(r"(?<=[.।?!…])(?=<\d{1,3}/>)")


def space_after_stops(text: str) -> str:
    """`છે.<2/>નવું` → `છે. <2/>નવું`: a line break or image right after a full stop ends the
    sentence (the splitter wants a space there); the space changes nothing on a rendered page."""
    return _STOP_THEN_WHOLE.sub(" ", text) if "/>" in text else text


def valid_tags(text: str, known: set[int], whole: frozenset[int] | set[int]) -> bool:
    """Each placeholder one the source has, used once, of the source's kind, properly nested."""
    stack: list[int] = []
    seen: set[int] = set()
    for tag in find_tags(text):
        if tag.number not in known:
            return False
        if tag.kind == "close":
            if not stack or stack.pop() != tag.number:
                return False
            continue
        if tag.number in seen or (tag.kind == "whole") != (tag.number in whole):
            return False
        seen.add(tag.number)
        if tag.kind == "open":
            stack.append(tag.number)
    return not stack


def keep_tags_together(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentence spans so that no `<n>…</n>` pair is cut in two (a link over two sentences)."""
    if "<" not in text or len(spans) < 2:
        return spans
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not is_balanced(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def check_markup(source: str, translation: str) -> list[Finding]:
    """The translation carries the source's placeholders, each once, properly nested."""
    if not find_tags(source) and not find_tags(translation):
        return []
    findings = []
    want = sorted((t.number, t.kind) for t in find_tags(source))
    got = sorted((t.number, t.kind) for t in find_tags(translation))
    if want != got:
        findings.append(
            Finding(
                "markup",
                "placeholders differ from the source: "
                + " ".join(f"<{n}>" for n in sorted({n for n, _ in set(want) ^ set(got)})),
            )
        )
    if not is_balanced(translation):
        findings.append(Finding("markup", "placeholders are not properly nested"))
    return findings


def restore_placeholders(source: str, translation: str) -> tuple[str, tuple[Finding, ...]]:
    """Put the source's placeholders into a machine translation that lost them.

    Sentence-level models are fed the sentence without markup (they garble tags), so the tags go
    back by position: a pair around the whole sentence wraps the whole translation; any other tag
    goes to the same relative position, snapped to a word boundary, and the entry gets a finding
    asking the reviewer to check which words it wraps. A translation that already carries the
    source's tags (from memory or a person) is left as it is.
    """
    tags = find_tags(source)
    if not tags or check_markup(source, translation) == []:
        return translation, ()
    plain_source, positions = _plain_and_positions(source)
    text = strip_placeholders(translation)
    body_start, body_end = _body(plain_source)
    inserts: list[tuple[int, int, str]] = []  # (position in text, order, tag text)
    approximate = False
    for order, (tag, pos) in enumerate(zip(tags, positions)):
        if tag.kind == "open" and pos <= body_start and _close_pos(tags, positions, tag) >= body_end:
            inserts.append((0 if pos == 0 else _body(text)[0], order, f"<{tag.number}>"))
            continue
        if tag.kind == "close" and pos >= body_end and _open_pos(tags, positions, tag) <= body_start:
            inserts.append((len(text) if pos >= len(plain_source) else _body(text)[1], order, f"</{tag.number}>"))
            continue
        approximate = True
        ratio = pos / max(len(plain_source), 1)
        inserts.append((_snap(text, round(ratio * len(text)), tag.kind == "open"), order, source[tag.start : tag.end]))
    out, last, floor = [], 0, 0
    opened: dict[int, int] = {}
    for i, (position, order, tag_text) in enumerate(inserts):  # in source order: keep it (nesting)
        floor = max(floor, position)
        tag = tags[order]
        if tag.kind == "open":
            opened[tag.number] = floor
        elif tag.kind == "close" and floor <= opened.get(tag.number, -1) < len(text):
            floor = _snap(text, floor + 1, False, after=floor)  # never an empty pair
        inserts[i] = (floor, order, tag_text)
    for position, _, tag_text in sorted(inserts):
        out.append(text[last:position])
        out.append(tag_text)
        last = position
    out.append(text[last:])
    findings = ()
    if approximate:
        findings = (
            Finding(
                "markup",
                "inline markup placed by position in the machine translation; check which words each <n>…</n> wraps",
            ),
        )
    return "".join(out), findings


def _plain_and_positions(source: str) -> tuple[str, list[int]]:
    """The source with placeholders taken out (spaces not tidied) and where each tag stood in it."""
    out: list[str] = []
    positions, last, length = [], 0, 0
    for tag in find_tags(source):
        out.append(source[last : tag.start])
        length += tag.start - last
        positions.append(length)
        if tag.kind == "whole":
            out.append(" ")
            length += 1
        last = tag.end
    out.append(source[last:])
    return "".join(out), positions


def _body(text: str) -> tuple[int, int]:
    """Offsets of the sentence without its leading and trailing punctuation and spaces."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _partner(tags: list[Tag], tag: Tag, kind: str) -> int:
    return next(i for i, t in enumerate(tags) if t.number == tag.number and t.kind == kind)


def _close_pos(tags, positions, tag) -> int:
    try:
        return positions[_partner(tags, tag, "close")]
    except StopIteration:
        return -1


def _open_pos(tags, positions, tag) -> int:
    try:
        return positions[_partner(tags, tag, "open")]
    except StopIteration:
        return 1 << 30


def _snap(text: str, position: int, word_start: bool, after: int = -1) -> int:
    """The nearest start (or end) of a word after `after`; any position in text without spaces (Chinese)."""
    if " " not in text.strip():
        return max(after + 1 if after >= 0 else 0, min(position, len(text)))
    if word_start:
        candidates = [i for i in range(len(text)) if (i == 0 or text[i - 1] == " ") and text[i] != " "]
    else:
        candidates = [i for i in range(1, len(text) + 1) if (i == len(text) or text[i] == " ") and text[i - 1] != " "]
    candidates = [i for i in candidates if i > after]
    return min(candidates, key=lambda i: abs(i - position)) if candidates else len(text)
