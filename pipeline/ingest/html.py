"""HTML pages: the text of block elements and a few attributes, with inline markup as placeholders.

What is translated: each run of text and inline markup directly inside a block element (p, li,
h1-h6, td, th, dt, dd, blockquote, caption, figcaption, title, div, section, ...), and the
attributes alt, title, placeholder, aria-label plus the content of meta description, og:title
and og:description, and the text of inline SVG and MathML (`text`, `title`, `desc`, `mtext`).
What never is: script, style, code, pre, template, and anything marked `translate="no"` or
`class="notranslate"` (with its attributes), except what inside says `translate="yes"`.

Inline elements (a, b, strong, i, em, span, ...) stay inside the sentence as `<1>…</1>`; empty
ones and kept-whole ones (br, img, inline code, a `translate="no"` span, an inline script,
noscript or textarea) as `<2/>` (see `pipeline.markup`). The same walk over the same source
finds the same units in the same order, so export re-reads the page and puts each translated
unit back where its block came from (`pipeline.ingest.htmlpage`).

lxml parses (libxml2's HTML parser: forgiving, keeps entities as text: `&lt;b&gt;` is the text
`<b>`, never markup), and lxml's serialiser escapes every text it writes. A page nested deeper
than `MAX_DEPTH` is refused, never read in part (`parse_html`). A fragment (what serve is sent)
is read as a browser reads `innerHTML`, inside an open body (`is_whole_page`, `parse_html`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.ingest import controls
from pipeline.ingest.text import decode
from pipeline.localise.markup import PLACEHOLDER, space_after_stops, strip_placeholders
from pipeline.model import Block, Document

# Text inside inline SVG (`text`, `title`, `desc`) and MathML (`mtext`) is text too; MathML's
# symbols (mi, mo, mn) are not.
FOREIGN_TEXT = frozenset("text desc mtext".split())
CONTAINERS = (
    frozenset(
        "p li h1 h2 h3 h4 h5 h6 td th dt dd blockquote caption figcaption title div section article main "
        "header footer aside nav figure address body label button legend summary option".split()
    )
    | FOREIGN_TEXT
)
BLOCKS = CONTAINERS | frozenset(
    "html head ul ol dl table thead tbody tfoot tr colgroup col form fieldset details dialog hr pre "
    "select optgroup iframe object video audio canvas svg math "
    "meta link base menu hgroup picture source track map".split()
)
KEPT_WHOLE = frozenset("br wbr img input code kbd samp var svg math iframe object video audio canvas".split())
SKIPPED = frozenset("script style code pre template noscript textarea xmp noembed noframes plaintext".split())
# Elements whose body a browser reads as text up to their end tag; lxml escapes it when it writes them.
RAW_TEXT = frozenset("xmp noembed noframes plaintext iframe".split())
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
META_NAMES = {
    ("name", "description"),
    ("property", "og:title"),
    ("property", "og:description"),
    ("name", "og:title"),
    ("name", "og:description"),
}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_KINDS = {"li": "list item", "td": "cell", "th": "cell", "title": "title"}


@dataclass
class Unit:
    """One translatable piece of a page: a run of inline content in `parent`, or one attribute."""

    kind: str
    text: str
    parent: etree._Element
    first: int = 0  # run: children[first:last] of parent, plus the text slot before them
    last: int = 0
    lead: str = ""  # whitespace around the run, kept on export
    trail: str = ""
    elements: dict[int, etree._Element] = field(default_factory=dict)
    whole: frozenset[int] = frozenset()
    attribute: str | None = None


def parse_html(text: str, path: object = None, fragment: bool = False) -> etree._Element:
    """The whole page, or a PipelineError: libxml2 stops building the tree at 256 levels unless
    told `huge_tree` (then at 2048), and says so only in its error log, so a page is checked for
    both the parser giving up and nesting past `MAX_DEPTH` before anything reads it.

    A `fragment` (what a client sends to serve: `<style>…</style><p>…</p>`) is parsed inside an
    open body, as a browser parses `innerHTML`: a leading `<style>`, `<script>`, `<meta>`,
    `<title>` or comment stays where it stood instead of moving into a head, and `</body>` or
    `</html>` in it ends nothing; `fragment_nodes` gives back what it held."""
    if fragment:
        text = FRAGMENT_PAGE + without_end_tags(text, ("html", "body"))
    else:
        text = without_end_tags(text, ("html",))
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise PipelineError(f"cannot parse HTML ({exc})", path=path) from None
    too_deep = (
        f"elements nested more than {MAX_DEPTH} deep (browsers stop nesting there too); "
        "flatten the page: nothing was read from it"
    )
    fatal = [e for e in parser.error_log if e.level >= etree.ErrorLevels.FATAL]
    if fatal:
        message = too_deep if "depth" in fatal[0].message else f"cannot read the whole page: {fatal[0].message}"
        raise PipelineError(message, path=path, line=fatal[0].line)
    deepest = deepest_element(root)
    if deepest is not None:
        raise PipelineError(too_deep, path=path, line=deepest.sourceline)
    return root


# What a fragment is parsed inside; on one line, so the fragment's lines keep their numbers.
FRAGMENT_PAGE = "<!DOCTYPE html><html><head></head><body>"
# A text whose first tag (after comments and white space) is one of these is a whole page.
_PAGE_START = re.compile(r"(?:\ufeff|\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype|html|head|body)(?=[\s/>])", re.I | re.S)


def is_whole_page(text: str) -> bool:
    """Whether `text` is a page (a doctype, or `<html>`, `<head>` or `<body>` first) rather than
    a fragment, which is read and rebuilt as one: a fragment in is a fragment out, so an include
    gets no `<html>` around it, and a `<title>` inside inline SVG or a `<meta>` among paragraphs
    makes no page."""
    return _PAGE_START.match(text) is not None


def fragment_nodes(root) -> tuple[str, list[etree._Element]]:
    """The text and nodes (elements and comments, each with its tail) a fragment parsed by
    `parse_html(..., fragment=True)` held, in order."""
    body = root.find("body")
    return (body.text or "", list(body)) if body is not None else ("", [])


MAX_DEPTH = 512  # Chromium's HTML parser stops nesting here; the readers below recurse per level
# What the scan for end tags steps over: comments, and elements whose body is text to a browser.
_END_TAG_SCAN = (
    r"<!--.*?(?:-->|\Z)|<plaintext\b.*\Z|</(?:{names})(?=[\s/>])[^<>]{{0,4096}}>"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes)(?=[\s/>])[^<>]{{0,4096}}>"
)


def without_end_tags(text: str, names: tuple[str, ...]) -> str:
    """`text` with each end tag of `names` (html; in a fragment body too) blanked (same length,
    lines kept): libxml2 drops all that follows `</html>` without a word, and puts what follows
    `</body>` outside the body, where browsers go on and show it in the body."""
    if not re.search("</(?:" + "|".join(names) + ")", text, re.I):
        return text
    scan = re.compile(_END_TAG_SCAN.format(names="|".join(names)), re.I | re.S)
    spans, position = [], 0
    while (m := scan.search(text, position)) is not None:
        position = m.end()
        if m.group(0)[:2] == "</":
            spans.append(m.span())
        elif m.group(1):
            close = re.compile(rf"</{m.group(1)}(?=[\s/>])[^>]{{0,4096}}>", re.I).search(text, position)
            position = close.end() if close else len(text)
    for start, end in reversed(spans):
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


def deepest_element(root) -> etree._Element | None:
    """The first element nested deeper than MAX_DEPTH, or None (iterative: the depth is the point)."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            return el
        stack.extend((child, depth + 1) for child in el)
    return None


# What a browser reads as windows-1252 (WHATWG Encoding): Python's latin-1 would make its
# quotation marks and dashes (0x80-0x9F) control characters.
_WINDOWS_1252 = frozenset(
    "ascii us-ascii iso-8859-1 iso8859-1 iso_8859-1 latin1 l1 cp819 ibm819 windows-1252 cp1252 x-cp1252".split()
)
_DECLARED_CHARSET = re.compile(rb"""<meta\b[^>]{0,1024}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)


def decode_html(data: bytes, path: Path) -> str:
    """A page as `decode` reads every source (UTF-8), unless it is not UTF-8 and says in its
    first 1,024 bytes which encoding it is in (`<meta charset>`, or a Content-Type `http-equiv`),
    as browsers look: then in that one, as its author meant. Export writes it as UTF-8."""
    declared = _DECLARED_CHARSET.search(data[:1024])
    with_bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))  # a BOM outranks a declaration
    if declared is not None and b"\x00" not in data and not with_bom:
        label = declared.group(1).decode("ascii").lower()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                if not label.startswith("utf-"):  # a page declaring UTF-16 is UTF-8 to a browser
                    text = data.decode("cp1252" if label in _WINDOWS_1252 else label)
                    return controls.clean(unicodedata.normalize("NFC", text))
            except (LookupError, UnicodeDecodeError):
                pass  # an encoding Python does not know, or bytes that are not in it: say it is not UTF-8
    return decode(data, path)


def read_html_document(path: Path, name: str, data: bytes) -> Document:
    """A page, or a fragment (an include, a partial, what a client sends to serve) read as one."""
    text = decode_html(data, path)
    if not text.strip():
        raise PipelineError("file is empty: nothing to translate", path=path)
    root = parse_html(text, path, fragment=not is_whole_page(text))
    units = extract_units(root)  # a page with no text (a redirect) is fine
    return document_from_units(name, [(u.kind, u.text) for u in units])


def document_from_units(name: str, units: list[tuple[str, str]]) -> Document:
    """Unit texts one per block, blank-line separated; offsets index into that text."""
    parts, blocks, offset = [], [], 0
    for kind, text in units:
        blocks.append(Block(index=len(blocks), kind=kind, start=offset, end=offset + len(text)))
        parts.append(text)
        offset += len(text) + 2
    return Document(name=name, text="\n\n".join(parts), blocks=tuple(blocks))


# --- finding the units -----------------------------------------------------------------------


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _skipped(el) -> bool:
    if not _is_element(el):
        return False
    says = el.get("translate", "").strip().lower()
    return el.tag in SKIPPED or says == "no" or (says != "yes" and "notranslate" in el.get("class", "").split())


def _breaks_run(el) -> bool:
    if not _is_element(el):
        return False
    if el.tag in BLOCKS:
        return True
    return not _skipped(el) and any(_is_element(d) and d.tag in BLOCKS for d in el.iterdescendants())


def _kept_whole(el) -> bool:
    if not _is_element(el) or el.tag in KEPT_WHOLE or _skipped(el):
        return True
    return not "".join(el.itertext()).strip()  # an empty <span class="icon"></span>


def extract_units(root) -> list[Unit]:
    units: list[Unit] = []
    _walk(root, units)
    return units


def _walk(el, units: list[Unit]) -> None:
    if not _is_element(el):
        return
    if _skipped(el):
        if el.tag not in SKIPPED:  # translate="no" holds inside, up to an element that says "yes"
            for child in el:
                _reopened(child, units)
        return
    _attribute_units(el, units)
    if el.tag not in CONTAINERS:
        for child in el:
            _walk(child, units)
        return
    children = list(el)
    start = 0
    for i, child in enumerate(children):
        if _breaks_run(child):
            _run_unit(el, start, i, units)
            _walk(child, units)
            start = i + 1
        else:
            _inline_attribute_units(child, units)
    _run_unit(el, start, len(children), units)


def _reopened(el, units: list[Unit]) -> None:
    """Inside a `translate="no"` block: read only what says `translate="yes"` (HTML's inheritance)."""
    if not _is_element(el) or el.tag in SKIPPED:
        return
    if el.get("translate", "").strip().lower() == "yes":
        _walk(el, units)
        return
    for child in el:
        _reopened(child, units)


def _inline_attribute_units(el, units: list[Unit]) -> None:
    if not _is_element(el) or _skipped(el):
        return
    _attribute_units(el, units)
    for child in el:
        _inline_attribute_units(child, units)


def _attribute_units(el, units: list[Unit]) -> None:
    names = list(TRANSLATABLE_ATTRIBUTES)
    if el.tag == "meta" and any((k, el.get(k, "").strip().lower()) in META_NAMES for k in ("name", "property")):
        names.append("content")
    for attr in names:
        value = _SPACE.sub(" ", el.get(attr, "")).strip()
        if any(c.isalpha() for c in value):
            units.append(Unit("attribute", value, el, attribute=attr))


def _run_unit(parent, first: int, last: int, units: list[Unit]) -> None:
    children = list(parent)[first:last]
    slot = parent.text if first == 0 else parent[first - 1].tail
    counter = [0]
    elements: dict[int, etree._Element] = {}
    whole: set[int] = set()
    pieces = [_escape_lookalikes(slot or "")]
    for child in children:
        pieces.append(_inline(child, counter, elements, whole))
    raw = "".join(pieces)
    text = space_after_stops(_SPACE.sub(" ", raw).strip())
    if not any(c.isalpha() for c in strip_placeholders(text)):
        return
    lead = raw[: len(raw) - len(raw.lstrip(" \t\n\r\f"))]
    trail = raw[len(raw.rstrip(" \t\n\r\f")) :]
    kind = "heading" if re.fullmatch(r"h[1-6]", parent.tag) else _KINDS.get(parent.tag, "paragraph")
    units.append(Unit(kind, text, parent, first, last, lead, trail, elements, frozenset(whole)))


def _inline(el, counter: list[int], elements: dict, whole: set) -> str:
    counter[0] += 1
    number = counter[0]
    elements[number] = el
    tail = _escape_lookalikes(el.tail or "")
    if _kept_whole(el):
        whole.add(number)
        return f"<{number}/>{tail}"
    inner = [_escape_lookalikes(el.text or "")]
    for child in el:  # a loop, not a comprehension: one stack frame per level of nesting
        inner.append(_inline(child, counter, elements, whole))
    return f"<{number}>{''.join(inner)}</{number}>{tail}"


def _escape_lookalikes(text: str) -> str:
    """Source text that looks like a placeholder (`&lt;1&gt;`) must not become one: a full-width
    bracket keeps it readable (rare enough to accept the change)."""
    return PLACEHOLDER.sub(lambda m: "‹" + m.group(0)[1:-1] + "›", text) if "<" in text else text
