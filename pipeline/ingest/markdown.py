"""Markdown articles: headings, paragraphs, list items, cells, emphasis, links, image alt text, titles.

markdown-it-py (CommonMark) parses; we never hand-parse Markdown. Each heading or paragraph
(list items and block quotes hold paragraphs) is one unit; inside it emphasis and links become
`<1>…</1>` placeholders, and things kept whole (inline code, images, autolinks, inline HTML, hard
line breaks, and a `<script>`, `<style>` or other untranslatable element from its opening tag to
its closing tag: `pipeline.ingest.rawhtml`) `<2/>` (see `pipeline.markup`). Image alt text and
link and image titles are units of their own; a table cell is one, and an HTML block holds those
the HTML reader finds in it. URLs, code spans, code blocks, HTML blocks that a later block closes,
and front matter (`---` YAML or `+++` TOML at the top) are never translated. A file nested deeper
than markdown-it follows (MAX_NESTING) is refused, never read in part.

On export each unit's lines are replaced by one line: every container marker before its text on
the source line (`## `, `- > `, `1. - `, `[^1]: `, indentation) and the translation (a cell is
replaced inside its row, an HTML block rebuilt as HTML), with every character a translation could
use as Markdown escaped, so a translation can never add a link, an image or HTML.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from pipeline.errors import PipelineError
from pipeline.ingest.html import document_from_units, is_whole_page, parse_html
from pipeline.ingest.html import extract_units as html_units
from pipeline.ingest.htmlpage import rebuild_html
from pipeline.ingest.rawhtml import raw_html_rule, still_open
from pipeline.ingest.text import decode
from pipeline.localise.markup import PLACEHOLDER, find_tags, space_after_stops, strip_placeholders, valid_tags
from pipeline.model import Document

_SPACE = re.compile(r"[ \t\n\r\f]+")
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n.*?\n(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_PREFIX = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?")
_ROW_START = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")  # a table row's container markers
_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")  # GFM's task list item: `- [ ] ` or `- [x] `


@dataclass
class Unit:
    kind: str
    text: str
    line: int = 0  # first source line of the block (0-based)
    lines: int = 0  # how many source lines its text takes
    tokens: dict[int, object] = field(default_factory=dict)  # placeholder number → inline token(s)
    whole: frozenset[int] = frozenset()
    image: object | None = None  # for an attribute unit: the image or link token that has it
    attribute: str = "alt"  # which: an image's alt text, or an image's or link's title
    prefix: str = ""  # what comes before the text on its first line: `- > `, `1. - `, `## `, `[^1]: `
    span: tuple[int, int] | None = None  # a table cell: where its text lies in its line
    html: object | None = None  # a unit of an HTML block: the html_block token


MAX_NESTING = 100  # block quotes and lists inside each other; markdown-it's commonmark preset says 20


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")
    md.use(footnote_plugin, inline=False, move_to_end=False)  # `[^1]` and `[^1]: …` (GFM, Pandoc)
    md.inline.ruler.before("html_inline", "raw_html", raw_html_rule)  # script, style, …: kept whole
    return md


def blank_front_matter(text: str) -> str:
    """Front matter lines emptied (so line numbers stay) before Markdown sees them."""
    m = _FRONT_MATTER.match(text)
    return "\n" * m.group(0).count("\n") + text[m.end() :] if m else text


def read_markdown_document(path: Path, name: str, data: bytes) -> Document:
    text = decode(data, path).replace("\r\n", "\n")
    if not text.strip():
        raise PipelineError("file is empty: nothing to translate", path=path)
    units = extract_units(text, path=path)
    return document_from_units(name, [(u.kind, u.text) for u in units])


def extract_units(text: str, carriers: bool = False, path: object = None) -> list[Unit]:
    """Translatable units in order; with `carriers`, also the blocks holding only an image, which
    export rewrites for the image's translated alt text (kind "carrier", not translated)."""
    units: list[Unit] = []
    lines = text.split("\n")
    tokens = parser().parse(blank_front_matter(text))
    too_deep = next((t for t in tokens if t.nesting == 1 and t.level >= MAX_NESTING - 1), None)
    if too_deep is not None:  # markdown-it silently skips what lies deeper
        raise PipelineError(
            f"block quotes or lists nested more than {MAX_NESTING} deep; flatten them, nothing was read from this file",
            path=path,
            line=too_deep.map[0] + 1,
        )
    in_table = 0
    row: list[tuple[int, int]] = []  # where the cells of the table row being read lie in its line
    column = 0
    left_open = None  # an untranslatable raw-HTML element (a <script>) not closed yet
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            in_table += 1
        elif token.type == "table_close":
            in_table -= 1
        elif token.type == "tr_open":
            row, column = _cell_spans(lines[token.map[0]]), -1
        elif token.type in ("th_open", "td_open"):
            column += 1
        if token.type == "html_block" and left_open is None:
            units.extend(_html_block_units(token, lines, path))
        if token.type == "html_block" or (token.type == "inline" and left_open is not None):
            left_open = still_open(token.content, left_open)  # inside it, nothing is translated
            continue
        if token.type == "inline":
            left_open = next((c.meta["left_open"] for c in token.children or [] if c.meta.get("left_open")), None)
        if token.type != "inline" or token.map is None or left_open is not None:
            continue  # a block that leaves a <script> open: what a translation wrote after it would run
        kind = "heading" if tokens[i - 1].type == "heading_open" else "paragraph"
        if kind == "paragraph" and i >= 2 and tokens[i - 2].type == "list_item_open":
            kind = "list item"
        span = None
        if in_table:
            kind, span = "cell", _cell(lines[token.map[0]], row, column, token.content)
            if span is None:
                continue  # a cell not found where markdown-it found it: left as written
        unit, images = _inline_unit(kind, token, lines[token.map[0]], span)
        if unit is not None and (carriers or unit.kind != "carrier"):
            units.append(unit)
        for carrier in images:  # images and links: alt text and titles, as the HTML reader reads them
            for name, value in (
                ("alt", carrier.content if carrier.type == "image" else ""),
                ("title", carrier.attrs.get("title") or ""),
            ):
                value = _SPACE.sub(" ", value).strip()
                if any(c.isalpha() for c in value):
                    units.append(Unit("attribute", value, image=carrier, attribute=name))
    return units


# An element the HTML block opens and closes; void ones (`<br>`, `<img>`, `<x/>`) close themselves.
_BLOCK_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>"']|"[^"]{0,4096}"|'[^']{0,4096}'){0,256}?(/?)>""")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _html_block_units(token, lines: list[str], path: object) -> list[Unit]:
    """The units of an HTML block (`<p>…</p>`, `<div>…</div>`) as the HTML reader reads them in a
    fragment, when the block stands at the top level, as written, and closes every element it
    opens: one that a later block closes (`<div>` … `</div>` around Markdown) is left as written,
    as is one holding a `<script>` or another element whose body is never translated."""
    start, end = token.map
    if (
        token.level != 0
        or "\n".join(lines[start:end]).rstrip("\n") != token.content.rstrip("\n")
        or still_open(token.content, None) is not None
        or is_whole_page(token.content)
    ):
        return []
    depth: dict[str, int] = {}
    for m in _BLOCK_TAG.finditer(token.content):
        name = m.group(2).lower()
        if name not in _VOID and not m.group(3):
            depth[name] = depth.get(name, 0) + (-1 if m.group(1) else 1)
    if any(depth.values()):
        return []
    units = html_units(parse_html(token.content, path, fragment=True))
    return [Unit(u.kind, u.text, line=start, lines=end - start, html=token) for u in units]


def _inline_unit(kind: str, token, first_line: str, span: tuple[int, int] | None) -> tuple[Unit | None, list]:
    """The unit of one inline token (a paragraph's, heading's or table cell's text; a cell lies at
    `span` in its line), and its images."""
    children = token.children or []
    prefix = _prefix(first_line, token.content) if span is None else ""
    box = (
        _TASK_BOX.match(children[0].content)
        if kind == "list item" and children and children[0].type == "text"
        else None
    )
    if box is not None:  # the task box is markup, not text: it stays in the prefix
        prefix += box.group(0)
        children = [dataclasses.replace(children[0], content=children[0].content[box.end() :]), *children[1:]]
    pieces: list[str] = []
    tokens: dict[int, object] = {}
    whole: set[int] = set()
    images = []
    stack: list[int] = []
    counter = 0
    skip_until_close = False
    for child in children:
        if skip_until_close:
            tokens[counter].append(child)
            skip_until_close = child.type != "link_close"
            continue
        if child.type == "text":
            pieces.append(PLACEHOLDER.sub(lambda m: "‹" + m.group(0)[1:-1] + "›", child.content))
        elif child.type == "softbreak":
            pieces.append(" ")
        elif child.type.endswith("_open"):
            counter += 1
            if child.type == "link_open" and child.markup == "autolink":
                tokens[counter] = [child]
                whole.add(counter)
                pieces.append(f"<{counter}/>")
                skip_until_close = True
                continue
            tokens[counter] = child
            stack.append(counter)
            pieces.append(f"<{counter}>")
            if child.type == "link_open" and child.attrs.get("title"):
                images.append(child)
        elif child.type.endswith("_close"):
            pieces.append(f"</{stack.pop()}>")
        else:  # code_inline, image, html_inline, hardbreak: kept whole
            counter += 1
            tokens[counter] = child
            whole.add(counter)
            pieces.append(f"<{counter}/>")
            if child.type == "image":
                images.append(child)
    text = space_after_stops(_SPACE.sub(" ", "".join(pieces)).strip())
    if not any(c.isalpha() for c in strip_placeholders(text)):
        if not images:
            return None, images
        kind = "carrier"
    lines = token.content.count("\n") + 1
    return Unit(kind, text, token.map[0], lines, tokens, frozenset(whole), prefix=prefix, span=span), images


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """Where the text of each cell of a table row lies in its line, the row split as markdown-it
    splits it (`\\|` is no border; a border first or last makes no empty cell)."""
    start, end = _ROW_START.match(line).end(), len(line.rstrip())
    spans, last, escaped = [], start, False
    for pos in range(start, end):
        if line[pos] == "|" and not escaped:
            spans.append((last, pos))
            last = pos + 1
        escaped = line[pos] == "\\"
    spans.append((last, end))
    if spans[0][0] == spans[0][1]:
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    return [
        (a + len(line[a:b]) - len(line[a:b].lstrip()), b - len(line[a:b]) + len(line[a:b].rstrip())) for a, b in spans
    ]


def _cell(line: str, row: list[tuple[int, int]], column: int, content: str) -> tuple[int, int] | None:
    """The span of cell `column` of `row`, if it holds what markdown-it read there."""
    if 0 <= column < len(row) and line[slice(*row[column])].replace("\\|", "|") == content:
        return row[column]
    return None


def _prefix(line: str, content: str) -> str:
    """The container markers before a block's text on its first line, all of them (`- > `,
    `1. - `, `> 1. `, `[^1]: `): the line up to where the parsed text starts."""
    first = content.split("\n", 1)[0].rstrip()
    end = len(line.rstrip())
    if first and line[:end].endswith(first):
        return line[: end - len(first)]
    return _PREFIX.match(line).group(0)  # a heading's closing `##`, which goes


# --- putting translations back ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&#])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as written: every character that could start markup escaped."""
    text = _MD_SPECIAL.sub(r"\\\1", re.sub(r"\r\n?|\n", " ", text))  # CommonMark ends lines at \r too
    text = re.sub(r"^([ \t]*)([-+=])", r"\1\\\2", text)  # no list item or heading underline
    return re.sub(r"^([ \t]*\d+)([.)])", r"\1\\\2", text)  # no numbered list: 2024\. …


def rebuild_markdown(
    source: str,
    translate: Callable[[int, str], str],
    warn: Callable[[str], None] = lambda message: None,
    path: object = None,
    *,
    lang: str,
) -> str:
    """The document with unit `i` replaced by `translate(i, unit_text)`; `lang`: the BCP 47 tag of
    the translation, for the HTML blocks (see `pipeline.ingest.htmlpage`)."""
    text = source.replace("\r\n", "\n")
    units = extract_units(text, carriers=True, path=path)
    translated, index = [], 0
    for unit in units:
        if unit.kind == "carrier":
            translated.append(unit.text)
        else:
            translated.append(translate(index, unit.text))
            index += 1
    alts = {(id(u.image), u.attribute): strip_placeholders(t) for u, t in zip(units, translated) if u.image is not None}
    lines = text.split("\n")
    replaced: dict[int, tuple[int, str]] = {}
    cells: dict[int, list[tuple[int, int, str]]] = {}
    blocks: dict[int, tuple[Unit, list[str]]] = {}  # an HTML block's first line → its translations
    for unit, translation in zip(units, translated):
        if unit.html is not None:
            blocks.setdefault(unit.line, (unit, []))[1].append(translation)
            continue
        if unit.image is not None:
            continue
        body = _render(unit, translation, alts, re.sub(r"[^>\s]", " ", unit.prefix), warn)
        if unit.span is not None:
            cells.setdefault(unit.line, []).append((*unit.span, body))
        else:
            replaced[unit.line] = (unit.lines, unit.prefix + body)
    for number, (unit, texts) in blocks.items():
        page = rebuild_html(unit.html.content, lambda j, _text, texts=texts: texts[j], lang, "ltr", warn, path)
        replaced[number] = (unit.lines, page.rstrip("\n"))
    for number, edits in cells.items():  # from the right, so the spans to the left stay valid
        for start, end, body in sorted(edits, reverse=True):
            lines[number] = lines[number][:start] + body + lines[number][end:]
    out, i = [], 0
    while i < len(lines):
        if i in replaced:
            count, line = replaced[i]
            out.append(line)
            i += count
        else:
            out.append(lines[i])
            i += 1
    rebuilt = "\n".join(out)
    return rebuilt.replace("\n", "\r\n") if "\r\n" in source else rebuilt  # CRLF line ends stay


def _render(unit: Unit, translation: str, alts: dict, indent: str, warn) -> str:
    if not valid_tags(translation, set(unit.tokens), unit.whole):
        warn(f"placeholders in {translation!r} do not match the source; markup dropped there")
        translation = strip_placeholders(translation)
    out, last = [], 0
    for tag in find_tags(translation):
        out.append(escape_markdown(translation[last : tag.start]))
        last = tag.end
        out.append(_markup(unit.tokens[tag.number], tag.kind, alts, indent))
    out.append(escape_markdown(translation[last:]))
    return "".join(out).lstrip()  # leading spaces would make an indented code block


def _markup(token, kind: str, alts: dict, indent: str) -> str:
    """Source markup for one placeholder, rebuilt from the parsed token (never from the translation)."""
    if isinstance(token, list):  # autolink: <https://…>
        return "<" + token[1].content + ">"
    if token.type == "code_inline":
        tick = token.markup
        pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
        return f"{tick}{pad}{token.content}{pad}{tick}"
    if token.type == "html_inline":
        return token.content
    if token.type == "footnote_ref":
        return f"[^{token.meta['label']}]"
    if token.type == "hardbreak":
        return "\\\n" + indent
    if token.type == "image":
        alt = alts.get((id(token), "alt"), _SPACE.sub(" ", token.content).strip())
        return f"![{escape_markdown(alt)}]({_destination(token, alts)})"
    if token.type == "link_open":
        return "[" if kind == "open" else f"]({_destination(token, alts)})"
    return token.markup  # em, strong, s: `*`, `**`, `~~`


def _destination(token, alts: dict) -> str:
    """A link's or image's destination and title (the translated title, where there is one)."""
    href = token.attrs.get("href") or token.attrs.get("src") or ""
    if re.search(r"[\s()<>]", href):
        href = "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    title = alts.get((id(token), "title"), token.attrs.get("title"))
    if title:
        href += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return href
