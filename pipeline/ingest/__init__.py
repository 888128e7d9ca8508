"""Readers turn source files into Documents; each format has its own module."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.fsutil import check_document_name
from pipeline.ingest.html import decode_html, read_html_document
from pipeline.ingest.markdown import read_markdown_document
from pipeline.ingest.text import artefact_matcher, decode, read_text_document
from pipeline.layout import EXPORT_MARKER
from pipeline.model import Document

READERS = {
    ".txt": read_text_document,
    ".html": read_html_document,
    ".htm": read_html_document,
    ".md": read_markdown_document,
    ".markdown": read_markdown_document,
}


def _files_under(folder: Path, skip: set[Path]) -> list[Path]:
    """Supported files under `folder`, leaving out the folders in `skip` (resolved) and every folder
    an export marked as its output (`EXPORT_MARKER`): a project run from its root (`pipeline run .`)
    never reads its catalogues, its work directory or its exported documents as sources."""
    files = []
    for top, folders, names in os.walk(folder):
        folders[:] = [
            d
            for d in folders
            if Path(top, d).resolve() not in skip and not os.path.exists(os.path.join(top, d, EXPORT_MARKER))
        ]
        files += [  # os.path, not Path, until a file is kept: an archive has tens of thousands
            Path(top, n)
            for n in names
            if os.path.splitext(n)[1].lower() in READERS and os.path.isfile(os.path.join(top, n))
        ]
    return sorted(files)


def collect_sources(paths: list[str | Path], skip: list[Path] = ()) -> list[tuple[Path, str]]:
    """(file, document name) for every supported file named or found in a named folder; folders
    in `skip` (the work directory, the catalogue folder) are never looked into."""
    found: list[tuple[Path, str]] = []
    skipped = {Path(p).resolve() for p in skip}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = _files_under(path, skipped)
            found.extend((f, f.relative_to(path).as_posix()) for f in files)
        elif path.is_file():
            if path.suffix.lower() not in READERS:
                supported = ", ".join(sorted(READERS))
                raise PipelineError(f"unsupported file type (supported: {supported})", path=path)
            found.append((path, path.name))
        elif path.exists():
            raise PipelineError(
                "is not a regular file (a FIFO, device or socket): give .txt, .md or .html files or folders of them",
                path=path,
            )
        else:
            raise PipelineError("source path does not exist", path=path)
    if not found:
        raise PipelineError("no source files found in: " + ", ".join(map(str, paths)))
    for file, name in found:
        check_document_name(name, file, "rename the file")
    duplicates = sorted(name for name, count in Counter(name for _, name in found).items() if count > 1)
    if duplicates:
        raise PipelineError("two sources share the document name " + ", ".join(duplicates))
    return found


def decode_source(data: bytes, path: Path) -> str:
    """A source's text, decoded as its reader decodes it (a page may declare its encoding)."""
    return (decode_html if path.suffix.lower() in (".html", ".htm") else decode)(data, path)


def read_document(
    path: Path, name: str, data: bytes | None = None, artefacts=None, *, suffix: str | None = None
) -> Document:
    """`artefacts`: a matcher from `artefact_matcher` for lines of page debris in plain text (None:
    the defaults); HTML and Markdown have markup to say what is content, so they ignore it.
    `suffix` chooses the reader when `path` has none that says its format (a text sent to serve)."""
    reader = READERS[(suffix or path.suffix).lower()]
    data = path.read_bytes() if data is None else data
    if artefacts is None or reader is not read_text_document:
        return reader(path, name, data)
    return reader(path, name, data, artefacts=artefacts)


__all__ = ["collect_sources", "read_document", "decode", "decode_source", "artefact_matcher", "READERS"]
