"""Raw HTML inside Markdown: the elements whose bodies are never translated, kept whole.

CommonMark passes inline HTML through tag by tag and parses what lies between as Markdown, so
`આજે <script>alert(2)</script> આગળ.` would offer `alert(2)` for translation, and a translation
there would ship as live script. `raw_html_rule` (a markdown-it inline rule, run before
`html_inline`) takes such an element from its opening tag to its closing tag as one `html_inline`
token holding the source exactly, which the Markdown reader keeps whole (`<1/>`) and export copies
from the source. The elements are the ones the HTML reader never translates: script, style,
textarea, noscript, template, code, pre and the other raw-text elements, plus anything marked
`translate="no"` or `class="notranslate"`.

An element the paragraph does not close stays open into the next blocks, as in a browser;
`still_open` follows it there, and the Markdown reader translates nothing until it closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.html_re import open_tag

# A browser reads these as text up to their closing tag: no element nests inside them.
RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript plaintext".split())
NEVER_TRANSLATED = RAW_TEXT | frozenset("template code pre kbd samp var svg math".split())
# A tag; bounded so that hostile input (`<a "` 20,000 times) costs linear time, not quadratic.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:[^<>\"']|\"[^\"]{0,4096}\"|'[^']{0,4096}')*>")
_NO_TRANSLATE = re.compile(r"""\stranslate\s*=\s*["']?\s*no\b|\sclass\s*=\s*(?:"[^"]*|'[^']*|)\bnotranslate\b""", re.I)
_OPEN_TAG = re.compile(open_tag)  # CommonMark's own definition, as its html_inline rule uses


@dataclass(frozen=True)
class OpenElement:
    """An untranslatable element whose closing tag is still to come; `depth`: same-name nesting."""

    name: str
    depth: int = 1


def untranslatable_name(tag: str) -> str | None:
    """The element name when `tag` opens an element whose body is never translated."""
    m = _TAG.fullmatch(tag)
    if m is None or m.group(1) or tag.endswith("/>"):
        return None
    name = m.group(2).lower()
    return name if name in NEVER_TRANSLATED or _NO_TRANSLATE.search(tag) else None


def close_of(html: str, start: int, element: OpenElement) -> tuple[int | None, OpenElement]:
    """Offset just past the tag closing `element` in html[start:], or None and what is still open."""
    if element.name in RAW_TEXT:
        m = re.compile(rf"</{re.escape(element.name)}(?=[\s/>])[^>]{{0,4096}}>", re.I).search(html, start)
        return (m.end(), element) if m else (None, element)
    depth = element.depth
    for m in _TAG.finditer(html, start):
        if m.group(2).lower() != element.name or m.group(0).endswith("/>"):
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end(), element
    return None, OpenElement(element.name, depth)


def still_open(html: str, element: OpenElement | None) -> OpenElement | None:
    """What is left open after raw HTML `html`, given `element` open before it."""
    position = 0
    while True:
        if element is not None:
            end, element = close_of(html, position, element)
            if end is None:
                return element
            position, element = end, None
        for m in _TAG.finditer(html, position):
            name = untranslatable_name(m.group(0))
            if name is not None:
                element, position = OpenElement(name), m.end()
                break
        else:
            return None


def raw_html_rule(state, silent: bool) -> bool:
    """markdown-it inline rule: an untranslatable element, opening tag to closing tag, as one token."""
    if not state.md.options.get("html") or state.src[state.pos] != "<":
        return False
    opening = _OPEN_TAG.match(state.src, state.pos)
    name = untranslatable_name(opening.group(0)) if opening else None
    if name is None or opening.end() > state.posMax:
        return False
    end, left_open = close_of(state.src[: state.posMax], opening.end(), OpenElement(name))
    if not silent:
        token = state.push("html_inline", "", 0)
        token.content = state.src[state.pos : end if end is not None else state.posMax]
        token.meta = {"left_open": None if end is not None else left_open}
    state.pos = end if end is not None else state.posMax
    return True
