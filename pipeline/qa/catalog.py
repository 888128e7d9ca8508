"""`pipeline check`: the QA checks over any .po file whose msgids are Gujarati.

Like Translate Toolkit's pofilter, but for this language pair: catalogues this project wrote and
catalogues from anywhere else are read the same way (the reader `run` and `status` use, so a broken
file is the same error with the same line), entry by entry, plural forms included.
Then one check over all the files together, like Weblate's "inconsistent": the same Gujarati
sentence, or the same glossary term, translated two ways by reviewers (both places named).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.entry import State, entry_findings, state
from pipeline.catalog.pofile import read_po
from pipeline.errors import PipelineError
from pipeline.glossary import Glossary
from pipeline.glossary.matching import find_terms
from pipeline.layout import locale_of_catalog, parse_locale
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.qa.terminology import has_term


@dataclass(frozen=True)
class PoFinding:
    """One QA finding on one catalogue entry; `msgctxt` is None when the entry has none."""

    file: str
    line: int
    msgctxt: str | None
    msgid: str
    check: str
    message: str


def read_for_check(path: Path) -> polib.POFile:
    """The catalogue at `path`, read as `run` and `status` read it (so a syntax error is the same
    error, with its line), or a PipelineError naming the file."""
    if path.exists() and not path.is_file():  # a FIFO would block the read for ever
        raise PipelineError("is not a regular file", path=path)
    po = read_po(path) if path.exists() else None
    if po is None:
        raise PipelineError("no such .po file", path=path)
    po.wrapwidth = 0  # never written back; matches how the file was checked before
    return po


def catalog_locale(path: Path, po: polib.POFile) -> str | None:
    """The catalogue's target locale: its Language header, else the LOCALE/LC_MESSAGES/ folder."""
    name = (po.metadata.get("Language") or "").strip()
    if not name:
        name = locale_of_catalog(path) or ""
    try:
        return str(parse_locale(name)) if name else None
    except PipelineError:
        return None


def catalog_files(paths: list[Path]) -> list[Path]:
    """The .po files named, a folder standing for every .po file under it (sorted), each file once;
    a folder without any is an error naming it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.po") if p.is_file())
            if not found:
                raise PipelineError("is a folder without .po files", path=path)
            files += found
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def check_catalog(
    path: Path, po: polib.POFile, only: tuple[str, ...] | None = None, glossary: Glossary | None = None
) -> list[PoFinding]:
    context = CheckContext(catalog_locale(path, po), glossary)

    def check(source: str, translation: str):
        return run_checks(source, translation, only, context)

    return [
        PoFinding(str(path), entry.linenum, entry.msgctxt, entry.msgid, f.check, f.message)
        for entry in po
        if entry.msgid and state(entry) is not State.OBSOLETE
        for f in entry_findings(entry, check)
    ]


def check_files(
    paths: list[Path], only: tuple[str, ...] | None = None, glossary: Glossary | None = None
) -> list[PoFinding]:
    """Findings over all `paths` (files, or folders searched for .po files at any depth, as
    per-document catalogues lie); every file is read before any is checked, so bad input fails fast."""
    catalogs = [(path, read_for_check(path)) for path in catalog_files(paths)]
    findings = [f for path, po in catalogs for f in check_catalog(path, po, only, glossary)]
    if only is None or "consistency" in only:
        findings += check_consistency(catalogs, glossary)
    return findings


@dataclass(frozen=True)
class _Reviewed:
    file: str
    line: int
    entry: polib.POEntry

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}"


def check_consistency(catalogs: list[tuple[Path, polib.POFile]], glossary: Glossary | None = None) -> list[PoFinding]:
    """Reviewed translations (fuzzy cleared) that disagree, per locale: the same entry (msgctxt,
    msgid) translated two ways in two catalogues (another domain, project or branch), and a
    glossary term whose target one reviewer used and another did not. Each finding is on the later
    entry and names the earlier. Catalogues of no known locale are not compared (a context may
    stand for a language there); a msgctxt exists to allow another translation, so it is kept apart."""
    by_locale: dict[str | None, list[_Reviewed]] = {}
    for path, po in catalogs:
        locale = catalog_locale(path, po)
        for entry in po:
            if entry.msgid and entry.msgstr and state(entry) is State.REVIEWED:
                by_locale.setdefault(locale, []).append(_Reviewed(str(path), entry.linenum, entry))
    findings = []

    def report(at: _Reviewed, message: str) -> None:
        e = at.entry
        findings.append(PoFinding(at.file, at.line, e.msgctxt, e.msgid, "consistency", message))

    for locale, reviewed in by_locale.items():
        if locale is None:
            continue
        first: dict[tuple[str | None, str], _Reviewed] = {}
        for item in reviewed:
            earlier = first.setdefault((item.entry.msgctxt, item.entry.msgid), item)
            if earlier is not item and earlier.entry.msgstr != item.entry.msgstr:
                report(
                    item, f"the same sentence is translated differently at {earlier.place}: {earlier.entry.msgstr!r}"
                )
        if glossary is None:
            continue
        using: dict[str, list[_Reviewed]] = {}  # term → reviewed entries whose source holds it
        for item in reviewed:
            for source in dict.fromkeys(m.term.source for m in find_terms(item.entry.msgid, glossary)):
                using.setdefault(source, []).append(item)
        for term in glossary.terms:
            target = term.target(locale)
            items = using.get(term.source, [])
            follows = [i for i in items if target and has_term(i.entry.msgstr, target)]
            for item in items:
                if follows and not has_term(item.entry.msgstr, target):
                    report(
                        item,
                        f"glossary term {term.source} is {target!r} at {follows[0].place}, translated otherwise here",
                    )
    return findings


def as_json(findings: list[PoFinding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1)


def as_text(findings: list[PoFinding]) -> str:
    lines = []
    for f in findings:
        msgid = f.msgid if len(f.msgid) <= 60 else f.msgid[:57] + "..."
        lines.append(f"{f.file}:{f.line}: {f.check}: {f.message}\n    msgid: {msgid}")
    return "\n".join(lines)
