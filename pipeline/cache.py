"""Keys and digests: what a cached result is stamped with (the work directory's entries are
named, read and written in `pipeline.ledger`).

An entry is only ever used when its key equals the key computed from the current inputs, so a
deleted, stale or damaged entry costs the time to recompute it and nothing else: the catalogues
alone decide what a run does (see `catalog.entry`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


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
