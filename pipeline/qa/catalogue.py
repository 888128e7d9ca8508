"""`pipeline check`: the QA checks over any .po file whose msgids are Gujarati.

Like Translate Toolkit's pofilter, but for this language pair: catalogues this project wrote and
catalogues from anywhere else are read the same way (the reader `run` and `status` use, so a broken
file is the same error with the same line), entry by entry, plural forms included.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.catalogue import read_po
from pipeline.errors import PipelineError
from pipeline.qa.checks import run_checks


@dataclass(frozen=True)
class PoFinding:
    """One QA finding on one catalogue entry; `msgctxt` is None when the entry has none."""

    file: str
    line: int
    msgctxt: str | None
    msgid: str
    check: str
    message: str


def read_catalogue(path: Path) -> polib.POFile:
    """The catalogue at `path`, read as `run` and `status` read it (so a syntax error is the same
    error, with its line), or a PipelineError naming the file."""
    if path.is_dir():
        raise PipelineError("is a folder, not a .po file", path=path)
    if path.exists() and not path.is_file():  # a FIFO would block the read for ever
        raise PipelineError("is not a regular file", path=path)
    po = read_po(path) if path.exists() else None
    if po is None:
        raise PipelineError("no such .po file", path=path)
    po.wrapwidth = 0  # never written back; matches how the file was checked before
    return po


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs of an entry: one, or one per plural form."""
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        return [(entry.msgid if i == 0 else entry.msgid_plural, text) for i, text in enumerate(forms)]
    return [(entry.msgid, entry.msgstr)]


def check_catalogue(path: Path, po: polib.POFile, only: tuple[str, ...] | None = None) -> list[PoFinding]:
    findings = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        seen = set()
        for source, translation in _pairs(entry):
            for f in run_checks(source, translation, only):
                if (f.check, f.message) not in seen:
                    seen.add((f.check, f.message))
                    findings.append(PoFinding(str(path), entry.linenum, entry.msgctxt, entry.msgid, f.check, f.message))
    return findings


def check_files(paths: list[Path], only: tuple[str, ...] | None = None) -> list[PoFinding]:
    """Findings over all `paths`; every file is read before any is checked, so bad input fails fast."""
    catalogues = [(path, read_catalogue(path)) for path in paths]
    return [f for path, po in catalogues for f in check_catalogue(path, po, only)]


def as_json(findings: list[PoFinding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1)


def as_text(findings: list[PoFinding]) -> str:
    lines = []
    for f in findings:
        msgid = f.msgid if len(f.msgid) <= 60 else f.msgid[:57] + "..."
        lines.append(f"{f.file}:{f.line}: {f.check}: {f.message}\n    msgid: {msgid}")
    return "\n".join(lines)
