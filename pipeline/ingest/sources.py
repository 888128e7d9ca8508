"""The sources' text for export, which rebuilds each document around its translations: read
from the files named (`read_sources`, what a fresh clone does), or the copy the last segment stage
kept in the work directory (a cache of what it read, for `pipeline export` without sources).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.fsutil import check_document_name, write_if_changed
from pipeline.ingest import collect_sources, decode_source


def read_sources(sources: list[str | Path]) -> dict[str, dict]:
    """name → {suffix, text} for every document named or found in a named folder, read as `run`
    reads them (the same names, so a catalogue's sentences are found again)."""
    return {
        name: {"suffix": file.suffix.lower(), "text": decode_source(file.read_bytes(), file)}
        for file, name in collect_sources(sources)
    }


def save_sources(path: Path, key: str, payloads: list[tuple[Path, str, bytes]]) -> None:
    """name → {suffix, text} for every document, stamped with the segment stage's key (written
    first, so a copy already taken of the same sources is recognised without reading it all)."""
    head = json.dumps({"key": key})[:-1] + ", "
    try:
        with path.open("rb") as f:
            if f.read(len(head.encode())) == head.encode():
                return
    except OSError:
        pass
    documents = {
        name: {"suffix": file.suffix.lower(), "text": decode_source(data, file)} for file, name, data in payloads
    }
    write_if_changed(path, head + json.dumps({"documents": documents}, ensure_ascii=False)[1:])


def load_sources(path: Path, key: str, segments: Path) -> dict[str, dict]:
    """The copy `save_sources` kept, when it is of the sources last segmented (`key`, read from
    `segments`)."""
    if not path.exists():
        raise PipelineError(
            "no copy of the sources in the work directory: name them, as `pipeline export "
            "--format FORMAT --to LOCALES SOURCE...` (the files or folders given to `run`)",
            path=path,
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("key") != key:
        raise PipelineError(
            f"sources copy does not match {segments.name}: run `pipeline segment SOURCES` again", path=path
        )
    for name in data["documents"]:
        check_document_name(name, path)
    return data["documents"]
