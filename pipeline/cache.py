"""The work directory as a cache: one JSON entry per stage result, stamped with the key of its inputs.

An entry is only ever used when its key equals the key computed from the current inputs, so a
deleted, stale or damaged entry costs the time to recompute it and nothing else: the catalogues
alone decide what a run does (see `catalog.entry`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.fsutil import write_atomic


def key(*parts: object) -> str:
    """A short stable digest of a stage's inputs (anything JSON can write)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def file_digest(path: Path) -> str | None:
    """Digest of a file's bytes, None when there is no file: part of the key of what reads it."""
    try:
        return bytes_digest(Path(path).read_bytes())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def bytes_digest(data: bytes) -> str:
    """`file_digest` of bytes already read."""
    return hashlib.sha256(data).hexdigest()[:20]


class Cache:
    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)

    def path(self, name: str) -> Path:
        return self.workdir / f"{name}.json"

    def get(self, name: str, wanted: str) -> dict | None:
        """The entry's data when its key is `wanted`, else None."""
        data = self.read(name)
        return data if data is not None and data.get("key") == wanted else None

    def read(self, name: str) -> dict | None:
        """The entry whatever its key (a stage run alone continues from what the last one left)."""
        try:
            data = json.loads(self.path(name).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError, UnicodeDecodeError):
            return None  # a damaged entry is simply rebuilt
        return data if isinstance(data, dict) else None

    def put(self, name: str, stamp: str, data: dict) -> None:
        # no indent: only then does json use its C encoder (entries hold every translation)
        write_atomic(self.path(name), json.dumps({**data, "key": stamp}, ensure_ascii=False, sort_keys=True))
