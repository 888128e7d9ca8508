"""Putting translations back into an HTML page or fragment (what `pipeline.ingest.html` found).

The page is parsed again and walked the same way, so unit `i` is the unit the reader found `i`th;
each is replaced by its translation, with markup copied from the source (never from the
translation). A sentence left untranslated goes back in a `<span lang="gu">` (or as `lang` on an
element that holds only text, such as `title`). An element whose `lang` or `xml:lang` names the
source language (`gu`, `gu-IN`) takes the target's tag once text in it is translated, so screen
readers and search engines read the English as English; one whose text all stayed Gujarati keeps
its own. A page says it is UTF-8 (as it is written); a fragment comes back as a fragment, every
node of it kept.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable

import lxml.html

from pipeline.ingest.html import FOREIGN_TEXT, RAW_TEXT, Unit, extract_units, fragment_nodes, is_whole_page, parse_html
from pipeline.layout import SOURCE_LANGUAGE
from pipeline.localise.markup import find_tags, strip_placeholders, valid_tags

# What `translate` gives back for a unit: its text, or pieces of it as (text, lang), where `lang`
# names the language of a piece left untranslated (a sentence still in Gujarati) and is marked so.
Translation = str | list[tuple[str, str | None]]
# Text only, or SVG and MathML, where an HTML <span> would not show: the piece's lang goes on them.
NO_CHILDREN = frozenset("title option textarea".split()) | FOREIGN_TEXT
LANG_ATTRIBUTES = ("lang", "xml:lang")


def rebuild_html(
    source: str,
    translate: Callable[[int, str], Translation],
    lang: str,
    direction: str,
    warn: Callable[[str], None] = lambda message: None,
    path: object = None,
) -> str:
    """The page with unit `i` replaced by `translate(i, unit_text)`; markup from the source only.
    A fragment (see `is_whole_page`) comes back as one: no doctype, head or body added."""
    fragment = not is_whole_page(source)
    root = parse_html(source, path, fragment)
    units = extract_units(root)
    for i, unit in enumerate(units):
        if unit.attribute is not None:
            pieces = _pieces(translate(i, unit.text))
            unit.parent.set(unit.attribute, strip_placeholders("".join(piece for piece, _ in pieces)))
            if _translated(pieces):  # before the runs copy the inline elements holding it
                _relabel(unit.parent, lang)
    for i in reversed(range(len(units))):
        unit = units[i]
        if unit.attribute is None:
            pieces = _pieces(translate(i, unit.text))
            _replace_run(unit, pieces, lang, warn)
            if _translated(pieces):
                _relabel(unit.parent, lang)
    if fragment:
        text, nodes = fragment_nodes(root)
        return html.escape(text, quote=False) + "".join(_serialised(node) for node in nodes)
    for name in LANG_ATTRIBUTES:
        if name == "lang" or root.get(name) is not None:
            root.set(name, lang)
    root.set("dir", direction)
    _ensure_utf8(root)
    _content_language(root, lang)
    # Comments before <html> (a licence, a "saved from url" mark) stay, after the doctype.
    before = [_serialised(node, with_tail=False) + "\n" for node in reversed(list(root.itersiblings(preceding=True)))]
    return "<!DOCTYPE html>\n" + "".join(before) + _serialised(root) + "\n"


def _serialised(node, with_tail: bool = True) -> str:
    """`node` as HTML, the bodies of raw-text elements (`xmp`, `noembed`, `noframes`, `iframe`) as
    the source wrote them: lxml escapes them (`<b>` would show as `&lt;b&gt;`), a browser would not."""
    raw: dict[str, str] = {}
    if isinstance(node.tag, str):  # an element, not a comment
        for el in node.iter(*RAW_TEXT):
            if el.text and not len(el):
                marker = f"\ue000{len(raw)}\ue001"
                raw[marker], el.text = el.text, marker
    out = lxml.html.tostring(node, encoding="unicode", method="html", with_tail=with_tail)
    for marker, text in raw.items():
        out = out.replace(marker, text, 1)
    return out


def is_source_language(tag: str | None) -> bool:
    """`gu`, `gu-IN`, `GU_in`: a language tag naming the source language."""
    return tag is not None and tag.strip().replace("_", "-").split("-")[0].lower() == SOURCE_LANGUAGE


def _relabel(el, lang: str) -> None:
    """The nearest element (el or an ancestor) that says its language: if it says the source
    language, it now says `lang` (both `lang` and `xml:lang`, where it has them)."""
    for node in (el, *el.iterancestors()):
        said = [name for name in LANG_ATTRIBUTES if node.get(name) is not None]
        if said:
            if any(is_source_language(node.get(name)) for name in said):
                for name in said:
                    node.set(name, lang)
            return


def _translated(pieces: list[tuple[str, str | None]]) -> bool:
    return any(piece_lang is None and any(c.isalpha() for c in strip_placeholders(text)) for text, piece_lang in pieces)


def _pieces(translation: Translation) -> list[tuple[str, str | None]]:
    return [(translation, None)] if isinstance(translation, str) else list(translation)


def _replace_run(unit: Unit, pieces: list[tuple[str, str | None]], lang: str, warn) -> None:
    translation = "".join(text for text, _ in pieces)
    if not valid_tags(translation, set(unit.elements), unit.whole):
        warn(f"placeholders in {translation!r} do not match the source; markup dropped there")
        pieces = [(strip_placeholders(text), piece_lang) for text, piece_lang in pieces]
    if unit.parent.tag in NO_CHILDREN:  # a <span> there would show as text
        langs = {piece_lang for text, piece_lang in pieces if any(c.isalnum() for c in text)}
        if len(langs) == 1 and None not in langs:
            unit.parent.set("lang", langs.pop())
        pieces = [(text, None) for text, _ in pieces]
    holder = lxml.html.Element("div")
    stack = [holder]
    for text, piece_lang in pieces:
        if piece_lang is None:
            _render(text, unit, stack, lang)
            continue
        span = stack[-1].makeelement("span", {"lang": piece_lang})
        stack[-1].append(span)
        stack.append(span)  # a piece left in the source is the source's: its tags are balanced
        _render(text, unit, stack, None)
        if span in stack:
            del stack[stack.index(span) :]
    parent = unit.parent
    for child in list(parent)[unit.first : unit.last]:
        parent.remove(child)
    new_children = list(holder)
    lead = unit.lead + (holder.text or "")
    if unit.first == 0:
        parent.text = lead
    else:
        parent[unit.first - 1].tail = lead
    for offset, child in enumerate(new_children):
        parent.insert(unit.first + offset, child)
    if new_children:
        new_children[-1].tail = (new_children[-1].tail or "") + unit.trail
    elif unit.first == 0:
        parent.text += unit.trail
    else:
        parent[unit.first - 1].tail += unit.trail


def _render(text: str, unit: Unit, stack: list, lang: str | None) -> None:
    """`text` with its placeholders made elements copied from the source, appended to stack[-1];
    `lang`: the language `text` is in, when it is a translation (an inline element that said the
    source language says this instead)."""
    last = 0
    for tag in find_tags(text):
        _append_text(stack[-1], text[last : tag.start])
        last = tag.end
        source = unit.elements[tag.number]
        if tag.kind == "whole":
            node = copy.deepcopy(source)
            node.tail = None
            stack[-1].append(node)
        elif tag.kind == "open":
            attributes = dict(source.attrib)
            for name in LANG_ATTRIBUTES:
                if lang is not None and is_source_language(attributes.get(name)):
                    attributes[name] = lang
            node = _empty_copy(source, attributes)
            stack[-1].append(node)
            stack.append(node)
        else:
            stack.pop()
    _append_text(stack[-1], text[last:])


def _empty_copy(source, attributes: dict[str, str]):
    """An element named as `source`, with `attributes` and nothing inside."""
    try:
        return source.makeelement(source.tag, attributes)
    except ValueError:  # a name lxml will not make (`svg:text` in an XHTML page): copy, then empty
        node = copy.deepcopy(source)
        node.text = node.tail = None
        del node[:]
        node.attrib.clear()
        node.attrib.update(attributes)
        return node


def _append_text(node, text: str) -> None:
    if not text:
        return
    if len(node):
        node[-1].tail = (node[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


def _ensure_utf8(root) -> None:
    """We write UTF-8; say so, or a browser opening the file may guess another encoding. An
    `http-equiv` Content-Type becomes `<meta charset>`: lxml's serialiser drops the former."""
    head = root.find("head")
    if head is None:
        head = root.makeelement("head", {})
        root.insert(0, head)
    for meta in head.findall("meta"):
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
            return
        if meta.get("http-equiv", "").strip().lower() == "content-type":
            charset = meta.makeelement("meta", {"charset": "utf-8"})
            charset.tail = meta.tail
            head.replace(meta, charset)
            return
    head.insert(0, head.makeelement("meta", {"charset": "utf-8"}))


def _content_language(root, lang: str) -> None:
    """`<meta http-equiv="content-language">` says the page's language too."""
    for meta in root.iter("meta"):
        if meta.get("http-equiv", "").strip().lower() == "content-language":
            meta.set("content", lang)
