"""Reading glossaries: CSV with a header row, or TBX-Basic (as Weblate and terminology tools
export it, TBX v2 `martif` or TBX v3 `tbx`). Every bad row is an error naming file and line."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.glossary.terms import Term
from pipeline.layout import SOURCE_LANGUAGE, parse_locale

NOTE, FIXED = "note", "fixed"
_YES, _NO = {"yes", "y", "true", "1", "x", "fixed"}, {"no", "n", "false", "0", ""}
# TBX-Basic's partOfSpeech value for names: a proper noun is a fixed term.
PROPER_NOUN = "propernoun"


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PipelineError("glossary file not found", path=path) from None
    except OSError as exc:
        raise PipelineError(f"cannot read glossary: {exc}", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"glossary is not UTF-8 (byte {exc.start})", path=path) from None


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _locale_name(name: str, path: Path, line: int) -> str:
    try:
        return str(parse_locale(name))
    except PipelineError:
        raise PipelineError(
            f"column or language {name!r} is not a locale (use e.g. en, zh_Hans), nor {NOTE!r} or {FIXED!r}",
            path=path,
            line=line,
        ) from None


class _Terms:
    """Collects terms, refusing a Gujarati term defined twice."""

    def __init__(self, path: Path):
        self.path, self.seen, self.terms = path, {}, []

    def add(self, source, targets, note, fixed, line):
        if not source:
            raise PipelineError(f"no Gujarati term ({SOURCE_LANGUAGE})", path=self.path, line=line)
        if source in self.seen:
            raise PipelineError(
                f"term {source!r} is already defined on line {self.seen[source]}", path=self.path, line=line
            )
        self.seen[source] = line
        self.terms.append(Term(source, tuple(targets), note, fixed, line))

    def done(self) -> tuple:
        if not self.terms:
            raise PipelineError("glossary has no terms", path=self.path)
        return tuple(self.terms)


def read_csv(path: Path, text: str) -> tuple:
    """`gu,en,zh_Hans,...` columns (any Babel locale names), optional `note` and `fixed`."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise PipelineError("glossary is empty; it needs a header row such as gu,en,zh_Hans", path=path, line=1)
        names = [h.strip() for h in header]
        if SOURCE_LANGUAGE not in names:
            raise PipelineError(
                f"the header row has no {SOURCE_LANGUAGE!r} column (the Gujarati term)", path=path, line=1
            )
        columns = [n if n in (SOURCE_LANGUAGE, NOTE, FIXED) else _locale_name(n, path, 1) for n in names]
        if len(set(columns)) != len(columns):
            raise PipelineError("the header row names a column twice", path=path, line=1)
        terms = _Terms(path)
        line = rows.line_num
        for row in rows:
            start, line = line + 1, rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise PipelineError(f"{len(row)} fields where the header has {len(columns)}", path=path, line=start)
            cells = dict(zip(columns, (c.strip() for c in row)))
            flag = cells.pop(FIXED, "").lower()
            if flag not in _YES | _NO:
                raise PipelineError(f"fixed is {flag!r}; write yes or no", path=path, line=start)
            note = cells.pop(NOTE, "")
            source = _nfc(cells.pop(SOURCE_LANGUAGE))
            targets = [(name, _nfc(value)) for name, value in cells.items() if value]
            terms.add(source, targets, note, flag in _YES, start)
    except csv.Error as exc:
        raise PipelineError(f"not valid CSV: {exc}", path=path, line=rows.line_num) from None
    return terms.done()


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang(element) -> str | None:
    return element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get("lang")


def _entities(root) -> dict[str, tuple[str | None, str]]:
    """Entities the file declares: name → (its text, or None when it cannot be used as text, and
    why). The parser never expands them, so a file can neither fetch anything nor blow up."""
    dtd = root.getroottree().docinfo.internalDTD
    found = {}
    for e in dtd.iterentities() if dtd is not None else ():
        if e.system_url is not None:
            found[e.name] = (None, "comes from outside the file")
        elif e.content is None or set("&<") & set(e.content):
            found[e.name] = (None, "is made of other entities or markup")
        else:
            found[e.name] = (e.content, "")
    return found


def _text(element, entities: dict[str, tuple[str | None, str]], path: Path) -> str:
    """The element's text as an XML reader gives it: declared entities replaced by their text."""
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            text, why = entities.get(child.name, (None, "is not declared in the file"))
            if text is None:
                raise PipelineError(
                    f"entity &{child.name}; {why}: write its text in the term instead",
                    path=path,
                    line=child.sourceline or element.sourceline,
                )
            parts.append(text)
        elif isinstance(child.tag, str):
            parts.append(_text(child, entities, path))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tbx(path: Path, text: str) -> tuple:
    """Concept entries (`termEntry` / `conceptEntry`) with a language section per language
    (`langSet` / `langSec`); the first `term` of each. Notes come from `descrip` or `note`;
    a Gujarati term whose `partOfSpeech` is `properNoun` is fixed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise PipelineError(f"not valid TBX (XML): {exc.msg}", path=path, line=exc.lineno) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise PipelineError(
            f"not TBX: the root element is <{_local(root.tag)}>, not <martif> or <tbx>", path=path, line=root.sourceline
        )
    terms = _Terms(path)
    entities = _entities(root)
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        source, fixed, targets, notes = "", False, [], []
        for child in entry.iter():
            kind = _local(child.tag)
            if kind in ("descrip", "note") and _text(child, entities, path).strip():
                notes.append(_text(child, entities, path).strip())
            if kind not in ("langSet", "langSec"):
                continue
            lang = _lang(child)
            if not lang:
                raise PipelineError(f"<{kind}> without xml:lang", path=path, line=child.sourceline)
            term = next((t for t in child.iter() if _local(t.tag) == "term"), None)
            value = _nfc(_text(term, entities, path)) if term is not None else ""
            if not value:
                raise PipelineError(f"<{kind} xml:lang={lang!r}> has no <term>", path=path, line=child.sourceline)
            if lang.split("-")[0].split("_")[0].lower() == SOURCE_LANGUAGE:
                source = value
                fixed = any(
                    _local(n.tag) == "termNote"
                    and n.get("type") == "partOfSpeech"
                    and (n.text or "").strip().lower() == PROPER_NOUN
                    for n in child.iter()
                )
            else:
                targets.append((_locale_name(lang, path, child.sourceline), value))
        terms.add(source, targets, " ".join(dict.fromkeys(notes)), fixed, entry.sourceline)
    return terms.done()
