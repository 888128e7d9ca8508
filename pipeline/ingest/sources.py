"""The sources as the segment stage read them, kept in the work directory for export.

Export rebuilds each document around its translations, so it needs exactly the text that was
segmented: a copy taken at segment time (not the files, which may have moved or changed since).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.fsutil import check_document_name, write_if_changed
from pipeline.ingest import decode


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
    documents = {name: {"suffix": file.suffix.lower(), "text": decode(data, file)} for file, name, data in payloads}
    write_if_changed(path, head + json.dumps({"documents": documents}, ensure_ascii=False)[1:])


def load_sources(path: Path, key: str) -> dict[str, dict]:
    if not path.exists():
        raise PipelineError("no copy of the sources in the work directory: run `pipeline segment SOURCES` "
                            "(or `pipeline run`) first", path=path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("key") != key:
        raise PipelineError("sources copy does not match segments.json: run `pipeline segment SOURCES` again",
                            path=path)
    for name in data["documents"]:
        check_document_name(name, path)
    return data["documents"]

