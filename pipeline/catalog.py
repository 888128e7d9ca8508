"""Gettext catalogues: build the template, merge machine translations into reviewers' .po files.

Rules that protect reviewers:
- an entry a reviewer approved (fuzzy cleared, msgstr set) is kept verbatim; only its references
  follow the sources;
- the pipeline rewrites only entries it owns: untranslated ones, and fuzzy machine translations
  whose text is still exactly what the pipeline wrote (`owned_texts`), so a reviewer's edit that
  left the fuzzy flag on is kept too;
- sources that disappeared become obsolete (`#~`), not deleted;
- a run with no change produces byte-identical files: header dates move only with the content.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from .errors import PipelineError
from .fsutil import write_atomic
from .model import Segment, Translation

MT_COMMENT = "machine translation"
QA_COMMENT = "qa"
PROJECT = "PACKAGE VERSION"


@dataclass(frozen=True)
class Message:
    """One catalogue message: a unique Gujarati sentence and the documents it appears in."""

    msgid: str
    references: tuple[str, ...]


def collect_messages(segments: Iterable[Segment]) -> list[Message]:
    """Unique sentences in document order; references are document names, not line numbers."""
    order: dict[str, list[str]] = {}
    for seg in segments:
        refs = order.setdefault(seg.text, [])
        if seg.doc not in refs:
            refs.append(seg.doc)
    return [Message(msgid, tuple(refs)) for msgid, refs in order.items()]


def read_po(path: Path) -> polib.POFile | None:
    """The catalogue at `path`, or None if there is none; a broken file is an error, never replaced."""
    if not path.exists():
        return None
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"catalogue is not UTF-8 (byte {exc.start}); left untouched", path=path) from None
    data = data.replace("\r\n", "\n")  # CRLF from editors on Windows is accepted; we write LF
    _check_po_syntax(data, path)
    try:
        return polib.pofile(_PoText(data), wrapwidth=78)
    except (OSError, ValueError) as exc:
        line = _line_from_polib_error(str(exc))
        raise PipelineError(f"cannot parse catalogue ({exc}); left untouched", path=path, line=line) from None


class _PoText(str):
    """Catalogue text that polib splits at "\n" only. polib splits text it is given with
    str.splitlines, which also breaks at characters a msgstr may hold raw (U+0085, U+2028,
    U+2029, \x1c-\x1e), and would then misread the entry."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        if keepends:
            lines = [line + "\n" for line in lines[:-1]] + [lines[-1]]
        return [line for line in lines if line] if keepends else lines


_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*')


def _check_po_syntax(data: str, path: Path) -> None:
    """Stricter than polib, which reads an unterminated string as empty (and we would overwrite it)."""
    for number, line in enumerate(data.split("\n"), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
            raise PipelineError(f"syntax error in catalogue: {stripped[:60]!r}; left untouched", path=path, line=number)


def _line_from_polib_error(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def machine_comment(translation: Translation) -> str:
    lines = [f"{MT_COMMENT}: {translation.model_id}"]
    lines += [f"{QA_COMMENT}: {f.check}: {f.message}" for f in translation.findings]
    return "\n".join(lines)


def _header(locale: str | None, date: str) -> dict[str, str]:
    meta = {
        "Project-Id-Version": PROJECT,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date if locale else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "gujarati-l10n-pipeline (machine translation)",
        "Language-Team": "",
        "Language": locale or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if locale:
        meta["Plural-Forms"] = get_plural(locale).plural_forms
    meta["X-Source-Language"] = "gu"
    return meta


def build_template(messages: list[Message]) -> polib.POFile:
    pot = polib.POFile(wrapwidth=78)
    for msg in messages:
        pot.append(polib.POEntry(msgid=msg.msgid, msgstr="", occurrences=[(ref, "") for ref in msg.references]))
    return pot


def merge_catalog(
    existing: polib.POFile | None,
    messages: list[Message],
    translations: dict[str, Translation],
    owned_texts: dict[str, str] | None = None,
) -> polib.POFile:
    """The new catalogue for one locale: reviewers' work kept, machine output where we own the entry.

    `owned_texts` maps msgid to the msgstr the pipeline wrote last time; a fuzzy entry whose
    text differs from it was edited by a person and is kept.
    """
    owned_texts = owned_texts or {}
    old = {e.msgid: e for e in existing} if existing is not None else {}
    po = polib.POFile(wrapwidth=78)
    seen = set()
    for msg in messages:
        seen.add(msg.msgid)
        occurrences = [(ref, "") for ref in msg.references]
        prev = old.get(msg.msgid)
        if prev is not None and (is_reviewed(prev) or _edited_by_person(prev, owned_texts)):
            prev.obsolete = False
            prev.occurrences = occurrences
            po.append(prev)
            continue
        translation = translations.get(msg.msgid)
        entry = polib.POEntry(msgid=msg.msgid, msgstr="", occurrences=occurrences)
        if prev is not None:
            entry.tcomment = prev.tcomment  # a translator's note survives re-translation
        if translation is not None and translation.text:
            entry.msgstr = translation.text
            entry.flags = ["fuzzy"]
            entry.comment = machine_comment(translation)
        po.append(entry)
    if existing is not None:
        for entry in existing:
            if entry.msgid not in seen and entry.msgid:
                entry.obsolete = True
                entry.occurrences = []
                po.append(entry)
    return po


def _edited_by_person(entry: polib.POEntry, owned_texts: dict[str, str]) -> bool:
    """A fuzzy entry whose text is not what the pipeline last wrote there belongs to a reviewer."""
    if entry.obsolete or not entry.msgstr:
        return False
    if entry.msgid in owned_texts:
        return entry.msgstr != owned_texts[entry.msgid]
    return not entry.comment.startswith(MT_COMMENT)


def render_catalog(po: polib.POFile, locale: str | None, date: str) -> str:
    po.metadata = _header(locale, date)
    po.header = "Gujarati source text, machine-translated for review." if locale else "Gujarati source text."
    return str(po) + "\n" if not str(po).endswith("\n") else str(po)


def now_stamp() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def save_catalog(path: Path, po: polib.POFile, locale: str | None) -> bool:
    """Write atomically; keep the old header date (and the file untouched) when nothing changed."""
    if path.exists():
        old_text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        old_date = _header_value(old_text, "POT-Creation-Date")
        if old_date is not None and render_catalog(po, locale, old_date) == old_text:
            return False
    write_atomic(path, render_catalog(po, locale, now_stamp()))
    return True


def _header_value(text: str, key: str) -> str | None:
    prefix = f'"{key}: '
    for line in text.splitlines()[:30]:
        if line.startswith(prefix):
            return line[len(prefix) :].rstrip('"').replace("\\n", "")
    return None


def save_mo(path: Path, po: polib.POFile) -> bool:
    """Compiled catalogue (reviewed entries only, as msgfmt does); rewritten only when it differs."""
    tmp = polib.POFile()
    tmp.metadata = po.metadata
    for entry in po.translated_entries():
        tmp.append(entry)
    data = tmp.to_binary()
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
