"""Gettext catalogues: messages from segments, the template, reading and writing .po/.mo files.

Merging with reviewers' work lives in `merge`; who owns an entry in `entry`; reading a file's
entries in `poreader`, and writing them in the exact `msgcat` layout in `poformat`.

One way in to a catalogue per purpose (each refuses a broken file with the same messages, naming
its line; none replaces it):
- `read_po(path)`: a catalogue's entries, or None when there is no file (to look at one: the
  writer's previous catalogue, tests and benchmarks);
- `read_for_merge(path, data)`: the same with the text each entry had in the file, so the writer
  copies unchanged entries (the runner reads each file once a run, `jobs.catalog_files`);
- `read_header(path)`: the header alone, for the template, whose entries are all rebuilt;
- `read_locale(paths, locale)`: a locale's catalogue that a command reports on or ships
  (`status`, `export`); none is an error saying to run first;
- `qa.catalog.read_for_check(path)`: a file named to `pipeline check`, which must be one;
- `poreader.parse_po(text)`: the parser under all of them, on text already read.

Here:
- a broken catalogue is an error naming its line, never silently replaced; so is one holding the
  same (msgctxt, msgid) twice, which msgfmt refuses too;
- a run with no change produces byte-identical files: header dates move only with the content,
  and header keys a translator's tool set (Last-Translator, X-Generator, ...) are kept.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from pipeline.catalog.entry import releasable
from pipeline.catalog.header import ProjectId
from pipeline.catalog.mofile import mo_bytes
from pipeline.catalog.poformat import format_entries, format_header
from pipeline.catalog.poreader import Parsed, PoSyntaxError, parse_po
from pipeline.errors import PipelineError
from pipeline.fsutil import write_atomic
from pipeline.layout import SOURCE_LANGUAGE, Paths
from pipeline.model import Segment

PROJECT = "PACKAGE VERSION"


@dataclass(frozen=True)
class Message:
    """One catalogue message: a unique Gujarati sentence and the documents it appears in."""

    msgid: str
    references: tuple[str, ...]
    msgctxt: str | None = None


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
    parsed = read_for_merge(path)
    return parsed.po if parsed is not None else None


def read_for_merge(path: Path, data: bytes | None = None) -> Parsed | None:
    """`read_po`, with the text each entry had in the file (see `poformat.format_entries`);
    `data`: the file's bytes, when the caller has read them already."""
    if data is None:
        if not path.exists():
            return None
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"catalogue is not UTF-8 (byte {exc.start}); left untouched", path=path) from None
    # CRLF and a byte-order mark from editors on Windows are accepted; we write LF and no mark
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    _check_po_syntax(text, path)
    _check_no_nul(text, path)
    try:
        parsed = parse_po(text, wrapwidth=78)
    except PoSyntaxError as exc:
        raise PipelineError(
            f"cannot parse catalogue ({exc.reason}); left untouched", path=path, line=exc.line
        ) from None
    _check_unique(parsed.po, path)
    return parsed


def read_locale(paths: Paths, locale: str) -> polib.POFile:
    """`locale`'s catalogue under `paths`, for a command that needs it to exist."""
    path = paths.po(locale)
    po = read_po(path)
    if po is None:
        raise PipelineError(f"no catalogue for {locale}: run `pipeline run SOURCES --to {locale}` first", path=path)
    return po


def read_header(path: Path) -> polib.POFile | None:
    """The catalogue's header entry alone, for a file whose other entries are all rebuilt (the
    template): its first block is parsed, the rest is not. A file whose first block is not a lone
    header (not as `msgcat` lays it out) is read whole, with all of `read_po`'s checks."""
    if not path.exists():
        return None
    with path.open("rb") as f:
        head = f.read(64 * 1024).replace(b"\r\n", b"\n")
    block, blank, _ = head.partition(b"\n\n")
    try:
        block = block.decode("utf-8")
    except UnicodeDecodeError:
        return read_po(path)
    if blank and '\nmsgid ""\nmsgstr ' in "\n" + block and _BAD_LINE.search(block) is None and "\x00" not in block:
        try:
            po = parse_po(block + "\n", wrapwidth=78).po
        except PoSyntaxError:
            po = None
        if po is not None and len(po) == 0 and po.metadata:
            return po
    return read_po(path)


def _check_unique(po: polib.POFile, path: Path) -> None:
    """One entry per (msgctxt, msgid), live or obsolete, as msgfmt and msgcat demand: a merge would
    silently keep only one (an obsolete entry's text replaced the live one's)."""
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise PipelineError(
                f"duplicate message definition (first defined at line {seen[key]}); "
                "merge or remove one, then run again; left untouched",
                path=path,
                line=entry.linenum,
            )
        seen[key] = entry.linenum


# A line that is neither blank, a comment, nor a keyword and/or one complete string. One search
# over the whole text instead of a match per line: most catalogues have no such line at all.
_BAD_LINE = re.compile(
    r"^[^\S\n]*(?!#)(?=\S)"
    r'(?!(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[^\S\n]+)?"[^"\\\n]*(?:\\.[^"\\\n]*)*"[^\S\n]*$)'
    r".*$",
    re.MULTILINE,
)


def _check_no_nul(text: str, path: Path) -> None:
    """A NUL character, which no string of a catalogue can hold: gettext's tools cut a string
    there, and in a .mo it would split the msgstr into plural forms. (Other control characters
    are kept as written: msgfmt accepts them.)"""
    nul = text.find("\x00")
    if nul >= 0:
        raise PipelineError(
            "NUL character in catalogue (gettext would cut the string there): remove it; left untouched",
            path=path,
            line=text.count("\n", 0, nul) + 1,
        )


def _check_po_syntax(data: str, path: Path) -> None:
    """Stricter than polib, which reads an unterminated string as empty (and we would overwrite it)."""
    bad = _BAD_LINE.search(data)
    if bad is not None:
        number = data.count("\n", 0, bad.start()) + 1
        stripped = bad.group(0).strip()
        raise PipelineError(f"syntax error in catalogue: {stripped[:60]!r}; left untouched", path=path, line=number)


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
    meta["X-Source-Language"] = SOURCE_LANGUAGE
    return meta


def build_template(messages: list[Message]) -> polib.POFile:
    pot = polib.POFile(wrapwidth=78)
    for msg in messages:
        pot.append(polib.POEntry(msgid=msg.msgid, msgstr="", occurrences=[(ref, "") for ref in msg.references]))
    return pot


def _render_header(
    po: polib.POFile,
    locale: str | None,
    date: str,
    previous: polib.POFile | None,
    wrap: bool,
    project: ProjectId | None,
) -> str:
    po.metadata = _merged_header(_header(locale, date), previous)
    if project is not None:
        po.metadata["Project-Id-Version"] = project.value(previous.metadata if previous is not None else None)
    default = "Gujarati source text, machine-translated for review." if locale else "Gujarati source text."
    po.header = previous.header if previous is not None and previous.header else default
    po.metadata_is_fuzzy = False
    return format_header(po, wrap)


def _nplurals(locale: str | None) -> int | None:
    return get_plural(locale).num_plurals if locale else None


_OURS = {
    "POT-Creation-Date",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    "X-Source-Language",
}


def _merged_header(ours: dict[str, str], previous: polib.POFile | None) -> dict[str, str]:
    """Keys a translator or their editor set (Last-Translator, X-Generator, ...) survive a run.

    PO-Revision-Date stays as a person's tool wrote it; the pipeline moves it with the
    content only while it still equals the creation date the pipeline wrote.
    """
    if previous is None:
        return ours
    theirs = dict(previous.metadata)
    merged = dict(ours)
    for key, value in theirs.items():
        if key in _OURS:
            continue
        if key == "PO-Revision-Date" and value == theirs.get("POT-Creation-Date"):
            continue
        merged[key] = value
    return merged


_LAST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC: a header date has four digits of year


def source_date() -> _dt.datetime | None:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) as a date, None when unset or empty.
    A malformed value is an error, as the specification asks of build tools (and GCC does): ASCII
    digits only, at most the end of the year 9999."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()):
        raise PipelineError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970 "
            "(ASCII digits, as the reproducible-builds specification asks); fix or unset it"
        )
    if int(epoch) > _LAST_EPOCH:
        raise PipelineError(
            f"SOURCE_DATE_EPOCH={epoch} is after the year 9999 (at most {_LAST_EPOCH}); fix or unset it"
        )
    return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)


def now_stamp() -> str:
    """The header date for content written now; SOURCE_DATE_EPOCH fixes it (see `source_date`),
    so CI can rebuild catalogues byte for byte."""
    return (source_date() or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%d %H:%M+0000")


def render_catalog(
    po: polib.POFile,
    locale: str | None,
    old_text: str | None,
    previous: polib.POFile | None = None,
    wrap: bool = True,
    project: ProjectId | None = None,
    known: dict[str, str] | None = None,
    digests: list[str] | None = None,
) -> str | None:
    """The catalogue's text, or None when `old_text` (the file as it is, line endings made LF)
    already says it: then its header date stays, and so does the file.

    A file saved with CRLF line endings or by another tool counts as unchanged when its content is.
    `known`, `digests`: entries' text as this writer last wrote them (see `poformat.format_entries`).
    """
    entries = format_entries(po, wrap, _nplurals(locale), known, digests)  # once: only the header moves with the date
    if old_text is not None:
        old_date = _header_value(old_text, "POT-Creation-Date")
        if (
            old_date is not None
            and old_text.endswith(entries)
            and _render_header(po, locale, old_date, previous, wrap, project) + entries == old_text
        ):
            return None
    return _render_header(po, locale, now_stamp(), previous, wrap, project) + entries


def file_text(data: bytes | None) -> str | None:
    """A catalogue file's bytes as `render_catalog` compares them: newlines read as Python's text
    mode reads them (CRLF and CR become LF)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n") if data is not None else None


def save_catalog(
    path: Path,
    po: polib.POFile,
    locale: str | None,
    previous: polib.POFile | None = None,
    wrap: bool = True,
    project: ProjectId | None = None,
    known: dict[str, str] | None = None,
    digests: list[str] | None = None,
) -> bool:
    """`render_catalog` written atomically over `path`; False when the file already said it."""
    old_text = file_text(path.read_bytes()) if path.exists() else None
    if old_text is not None and previous is None:
        previous = read_po(path)
    text = render_catalog(po, locale, old_text, previous, wrap, project, known, digests)
    if text is None:
        return False
    write_atomic(path, text)
    return True


def _header_value(text: str, key: str) -> str | None:
    prefix = f'"{key}: '
    for line in text.splitlines()[:30]:
        if line.startswith(prefix):
            return line[len(prefix) :].rstrip('"').replace("\\n", "")
    return None


def save_mo(path: Path, po: polib.POFile, ships: Callable[[polib.POEntry], bool] = releasable) -> bool:
    """Compiled catalogue (reviewed entries only, as msgfmt does, or those `ships` says); rewritten
    only when it differs."""
    data = mo_bytes(po, ships)  # polib's to_binary takes minutes on a large catalogue
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
