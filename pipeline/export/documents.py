"""Ship the translations: compiled .mo, i18next JSON, or every document rebuilt in the target language.

What goes out is what reviewers approved: entries with a translation and no `fuzzy` flag. With
`include_fuzzy`, machine translations still awaiting review go out too. An entry whose format
placeholders or markup differ from its source's is left out with a warning naming its line, as
`msgfmt -c` refuses it (`pipeline.qa.shipping`). A sentence with none of these
stays in Gujarati in rebuilt documents and is left out of .mo and JSON (gettext and i18next then
show the Gujarati key). A rebuilt page marks such sentences `lang="gu"`, and no space follows a
Chinese full stop between sentences (`pipeline.export.blocks`). Documents are rebuilt from the
sources named on the command line, or else from the copy the last run kept in the work directory,
so a fresh clone rebuilds them from the catalogue and the sources alone.

Layout under the output folder (LOCALE the gettext name, TAG its BCP 47 tag: zh_Hans → zh-Hans):
- mo:   LOCALE/LC_MESSAGES/DOMAIN.mo          (gettext, Django, Flask-Babel, PHP; context and plural
                                              entries as msgfmt compiles them)
- json: TAG/DOMAIN.json                       (i18next `loadPath: '/locales/{{lng}}/{{ns}}.json'`; a
                                              context entry keyed `MSGID_CONTEXT`)
- txt, md, html: TAG/DOCUMENT-NAME            (the source's relative path), and TAG/.pipeline-export,
                                              so that `pipeline run .` never reads them back

Every path is checked to stay inside the output folder, whatever a document is called.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from pipeline.catalog import pofile
from pipeline.catalog.mofile import mo_bytes
from pipeline.errors import PipelineError
from pipeline.export.blocks import joined, rebuilt_pieces
from pipeline.fsutil import write_atomic
from pipeline.ingest import read_document
from pipeline.ingest.htmlpage import rebuild_html
from pipeline.ingest.markdown import rebuild_markdown
from pipeline.ingest.sources import load_sources
from pipeline.layout import EXPORT_MARKER, Paths
from pipeline.ledger import SEGMENTS, SOURCES, Ledger
from pipeline.localise.markup import strip_placeholders
from pipeline.qa.shipping import shipping

FORMATS = ("mo", "json", "txt", "md", "html")
DOCUMENT_SUFFIXES = {"md": (".md", ".markdown"), "html": (".html", ".htm")}


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    # what `write_export` writes: every file made and its path checked before the first is written
    pending: list[tuple[Path, str | bytes]] = field(default_factory=list, repr=False)
    marker: tuple[Path, str] | None = field(default=None, repr=False)  # written first, not counted
    translated: int = 0  # messages shipped translated
    untranslated: int = 0  # messages left in Gujarati (not reviewed, or no translation)
    skipped_documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self, locale: str, fmt: str) -> str:
        text = (
            f"{locale} ({fmt}): {len(self.written)} file(s), {self.translated} translated, "
            f"{self.untranslated} left in Gujarati"
        )
        if self.skipped_documents:
            text += f"; {len(self.skipped_documents)} document(s) not in {fmt} skipped"
        return text


def language_tag(locale: str) -> str:
    """BCP 47 tag for the html `lang` attribute and web folders: zh_Hans → zh-Hans, en_IN → en-IN."""
    return str(Locale.parse(locale)).replace("_", "-")


def text_direction(locale: str) -> str:
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


def safe_path(root: Path, *parts: str) -> Path:
    """root/parts..., refusing anything (.., absolute, drive, backslash, symlink) that leaves root."""
    relative = PurePosixPath(*parts)
    bad = (
        relative.is_absolute()
        or ".." in relative.parts
        or any("\\" in p or "\0" in p or re.match(r"[A-Za-z]:", p) for p in relative.parts)
    )
    root_resolved = root.resolve()
    target = (root / relative).resolve()
    if bad or not target.is_relative_to(root_resolved) or target == root_resolved:
        raise PipelineError(f"refusing to write {relative.as_posix()!r}: it would leave the output folder", path=root)
    return root / relative


def shipped_entries(po: polib.POFile, include_fuzzy: bool, path: Path, report: ExportReport) -> list[polib.POEntry]:
    """What may ship: reviewed entries, plus fuzzy ones when asked, each context and plural entry
    apart; one whose placeholders or markup differ from its source is left out with a warning
    naming its file and line, as `msgfmt -c` refuses it (see `qa.shipping`)."""
    entries = []
    for entry in po:
        answer = shipping(entry, include_fuzzy)
        for finding in answer.blocking[:1]:
            report.warnings.append(f"{path}:{entry.linenum}: left out: {finding.message}")
        if answer.ships:
            entries.append(entry)
    return entries


def shipped_translations(entries: list[polib.POEntry]) -> dict[str, str]:
    """msgid → msgstr of the shipped entries the sources' sentences can be (no context, no plural)."""
    return {e.msgid: e.msgstr for e in entries if not e.msgid_plural and e.msgctxt is None}


# --- catalogues ------------------------------------------------------------------------------


def export_mo(
    entries: list[polib.POEntry], po: polib.POFile, locale: str, domain: str, out: Path, report: ExportReport
) -> None:
    """What msgfmt compiles of the shipped entries: context and plural entries included."""
    compiled = polib.POFile()
    compiled.metadata = mo_header(po.metadata, locale)
    for e in entries:  # copies without flags: a fuzzy entry shipped on request compiles too
        compiled.append(
            polib.POEntry(
                msgctxt=e.msgctxt,
                msgid=e.msgid,
                msgstr=e.msgstr,
                msgid_plural=e.msgid_plural,
                msgstr_plural=dict(e.msgstr_plural),
            )
        )
    path = safe_path(out, locale, "LC_MESSAGES", f"{domain}.mo")
    report.pending.append((path, mo_bytes(compiled)))
    _count(po, len(entries), report)


def mo_header(metadata: dict[str, str], locale: str) -> dict[str, str]:
    """The catalogue's header with what a gettext runtime needs to read the .mo, even from a
    catalogue without one: the charset of the text as written (UTF-8; without it Python's gettext
    and GNU gettext read the bytes as ASCII), the language, and its plural rule."""
    header = dict(metadata)
    header["Content-Type"] = "text/plain; charset=UTF-8"
    header.setdefault("Language", locale)
    header.setdefault("Plural-Forms", get_plural(locale).plural_forms)
    return header


def export_json(
    entries: list[polib.POEntry],
    po: polib.POFile,
    locale: str,
    domain: str,
    out: Path,
    report: ExportReport,
    po_path: Path,
) -> None:
    """Flat {Gujarati: translation}; load in i18next with keySeparator: false, nsSeparator: false.
    A context entry is keyed `msgid_context`, as i18next looks up `t(key, {context})` (its default
    contextSeparator "_"). Plural entries are left out with a warning: i18next keys plural forms by
    CLDR category, which a gettext form index does not name; so is an entry with an empty context
    (`msgctxt ""`): i18next reads `context: ""` as no context, so no key can tell it from the plain one."""
    shipped = {}
    for e in entries:
        if e.msgid_plural:
            report.warnings.append(
                f"{po_path}:{e.linenum}: plural entry left out of the JSON "
                "(i18next keys plural forms by CLDR category; ship it as .mo)"
            )
            continue
        if e.msgctxt == "":
            report.warnings.append(
                f'{po_path}:{e.linenum}: entry with an empty context (msgctxt "") left out of '
                "the JSON (i18next reads an empty context as none; ship it as .mo)"
            )
            continue
        shipped[f"{e.msgid}_{e.msgctxt}" if e.msgctxt is not None else e.msgid] = e.msgstr
    path = safe_path(out, language_tag(locale), f"{domain}.json")
    report.pending.append((path, json.dumps(shipped, ensure_ascii=False, indent=2) + "\n"))
    _count(po, len(shipped), report)


def _count(po: polib.POFile, shipped: int, report: ExportReport) -> None:
    active = sum(1 for e in po if not e.obsolete and e.msgid)
    report.translated += shipped
    report.untranslated += active - shipped


# --- documents -------------------------------------------------------------------------------


def rebuild_document(
    name: str,
    suffix: str,
    source: str,
    fmt: str,
    locale: str,
    shipped: dict[str, str],
    report: ExportReport,
    artefacts=None,
) -> tuple[str, str] | None:
    """(output name, content) for one document in `fmt`, or None when it is not of that format.
    `artefacts`: the page-debris matcher of the run (see `ingest.read_document`). An HTML fragment
    (an include) comes back a fragment (see `ingest.html.is_whole_page`)."""
    if fmt != "txt" and suffix not in DOCUMENT_SUFFIXES[fmt]:
        return None
    doc = read_document(Path(name), name, source.encode("utf-8"), artefacts, suffix=suffix)
    pieces, translated, untranslated = rebuilt_pieces(doc, shipped)
    report.translated += translated
    report.untranslated += untranslated
    blocks = {index: joined(block) for index, block in pieces.items()}
    warn = report.warnings.append
    if fmt == "html":  # sentences left in Gujarati say so: lang="gu"
        marked = lambda index, _text: [(p.text, p.lang) for p in pieces[index]]  # noqa: E731
        return name, rebuild_html(source, marked, language_tag(locale), text_direction(locale), warn, name)
    if fmt == "md":
        return name, rebuild_markdown(source, lambda index, _text: blocks[index], warn, name, lang=language_tag(locale))
    if suffix == ".txt":
        text = doc.text
        for block in reversed(doc.blocks):
            text = text[: block.start] + blocks[block.index] + text[block.end :]
        return name, text
    # An HTML or Markdown document as plain text: its blocks, one paragraph each.
    text = "\n\n".join(strip_placeholders(blocks[b.index]) for b in doc.blocks if b.kind != "attribute")
    return name + ".txt", text + "\n"


def export_documents(
    shipped_for: Callable[[str], dict[str, str]],
    locale: str,
    fmt: str,
    out: Path,
    documents: dict[str, dict],
    report: ExportReport,
    artefacts=None,
) -> None:
    """Every document rebuilt with the translations `shipped_for(its name)` gives (one catalogue's
    for all, or each document's own catalogue's)."""
    tag = language_tag(locale)
    rebuilt = []
    for name, doc in sorted(documents.items()):
        result = rebuild_document(name, doc["suffix"], doc["text"], fmt, locale, shipped_for(name), report, artefacts)
        if result is None:
            report.skipped_documents.append(name)
            continue
        rebuilt.append((safe_path(out, tag, *PurePosixPath(result[0]).parts), result[1]))
    if not rebuilt:
        kinds = ", ".join(DOCUMENT_SUFFIXES.get(fmt, (".txt",)))
        raise PipelineError(f"no {kinds} documents among the sources to export as {fmt}")
    marker = safe_path(out, tag, EXPORT_MARKER)
    if not marker.exists():
        report.marker = (
            marker,
            "Documents rebuilt by `pipeline export`; `pipeline run` never reads this folder as sources.\n",
        )
    report.pending += rebuilt


NO_SOURCES = (
    "no sources named and no copy of them in the work directory: name them, as "
    "`pipeline export --format FORMAT --to LOCALES SOURCE...` (the files or folders given to `run`)"
)


def kept_sources(ledger: Ledger, missing: str = NO_SOURCES) -> dict[str, dict]:
    """The copy of the sources the last segment stage kept in `ledger`'s work directory (a
    catalogue's sub-ledger keeps its own); `missing` says what to do when there is none."""
    key = ledger.segments_key()
    if key is None:
        raise PipelineError(missing, path=ledger.file(SEGMENTS))
    return load_sources(ledger.file(SOURCES), key, ledger.file(SEGMENTS))


def export(
    fmt: str,
    locale: str,
    *,
    paths: Paths,
    out: Path,
    include_fuzzy: bool = False,
    documents: dict[str, dict] | None = None,
    artefacts=None,
) -> ExportReport:
    """Ship `locale`'s catalogue as `fmt`: `prepare_export`, then `write_export`."""
    report = prepare_export(
        fmt, locale, paths=paths, out=out, include_fuzzy=include_fuzzy, documents=documents, artefacts=artefacts
    )
    write_export(report)
    return report


def export_catalog(
    fmt: str, po: polib.POFile, locale: str, paths: Paths, out: Path, include_fuzzy: bool, report: ExportReport
) -> None:
    """The .mo or JSON of the catalogue `po` (`locale`'s under `paths`), named after its domain."""
    entries = shipped_entries(po, include_fuzzy, paths.po(locale), report)
    if fmt == "mo":
        export_mo(entries, po, locale, paths.domain, out, report)
    else:
        export_json(entries, po, locale, paths.domain, out, report, paths.po(locale))


def write_export(report: ExportReport) -> None:
    """Write what `prepare_export` made; the marker of a documents folder first, so `pipeline run`
    never reads a half-exported folder as sources."""
    if report.marker is not None:
        write_atomic(*report.marker)
        report.marker = None
    for path, content in report.pending:
        write_atomic(path, content)
        report.written.append(path)
    report.pending = []


def prepare_export(
    fmt: str,
    locale: str,
    *,
    paths: Paths,
    out: Path,
    include_fuzzy: bool = False,
    documents: dict[str, dict] | None = None,
    artefacts=None,
) -> ExportReport:
    """Make `locale`'s files in `fmt` and check their paths, writing nothing (a failure then changes
    nothing on disk). Documents (txt, md, html) are rebuilt from `documents` (name → {suffix, text},
    see `ingest.sources.read_sources`), else from the work directory's copy."""
    if fmt not in FORMATS:
        raise PipelineError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    po = pofile.read_locale(paths, locale)
    report = ExportReport()
    if fmt in ("mo", "json"):
        export_catalog(fmt, po, locale, paths, out, include_fuzzy, report)
    else:
        shipped = shipped_translations(shipped_entries(po, include_fuzzy, paths.po(locale), report))
        export_documents(
            lambda _name: shipped,
            locale,
            fmt,
            out,
            documents if documents is not None else kept_sources(Ledger(paths.workdir)),
            report,
            artefacts,
        )
    return report
