"""Translation memory in SQLite: the machine-translation cache, keyed by what the model was given,
the language pair and the model's settings (model id, revision, generation options).

Only machine output lives here. Reviewed translations are read from the catalogues themselves
(approved entries, live and obsolete), so a fresh clone without this file reuses them too.

Written batch by batch as translation goes, so a killed run loses at most the batch in flight
and the next run picks up where it stopped.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from pipeline.fsutil import create_file
from pipeline.model import Scored

LOOKUP_BATCH = 500  # sources per query: well under SQLite's 999-parameter limit of older builds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source TEXT NOT NULL,
    src TEXT NOT NULL,
    tgt TEXT NOT NULL,
    model_key TEXT NOT NULL,
    model_id TEXT NOT NULL,
    translation TEXT NOT NULL,
    confidence REAL,
    PRIMARY KEY (source, src, tgt, model_key)
)
"""


def _add_confidence_column(db: sqlite3.Connection) -> None:
    """Memories written before confidences were kept gain the column; their rows read as None."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(translations)")}
    if "confidence" not in columns:
        try:
            db.execute("ALTER TABLE translations ADD COLUMN confidence REAL")
        except sqlite3.OperationalError as exc:  # another process migrated it in between
            if "duplicate column" not in str(exc):
                raise


class TranslationMemory:
    """`threads=True`: one connection shared by the threads of a server, one query at a time.
    Other processes (a `pipeline run` on the same work directory) read while this one writes
    (write-ahead log) and wait for each other's short writes (the busy timeout)."""

    def __init__(self, path: Path, *, threads: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        create_file(path)  # honours the umask, as every other file the pipeline writes
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=not threads)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        _add_confidence_column(self._db)
        # Rows from before the script was part of the target were all Simplified (NLLB zho_Hans, M2M100 zh).
        self._db.execute("UPDATE OR IGNORE translations SET tgt='zh_Hans' WHERE tgt='zh'")
        self._db.commit()

    def lookup(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, str]:
        return {source: found.text for source, found in self.lookup_scored(sources, src, tgt, model_key).items()}

    def lookup_scored(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, Scored]:
        """Like `lookup`, with the model's confidence (None for rows stored before it was kept), in
        one query per `LOOKUP_BATCH` sources (not one each)."""
        found: dict[str, Scored] = {}
        wanted = list(dict.fromkeys(sources))
        for i in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[i : i + LOOKUP_BATCH]
            query = ("SELECT source, translation, confidence FROM translations WHERE src=? AND tgt=? AND model_key=? "
                     f"AND source IN ({','.join('?' * len(batch))})")
            with self._lock:
                rows = self._db.execute(query, (src, tgt, model_key, *batch)).fetchall()
            found.update((source, Scored(text, conf)) for source, text, conf in rows)
        return found

    def store(self, pairs: dict[str, str | Scored], src: str, tgt: str, model_key: str, model_id: str) -> None:
        """Machine translations, plain text or `Scored` (text and confidence)."""
        rows = []
        for source, out in pairs.items():
            scored = out if isinstance(out, Scored) else Scored(out)
            rows.append((source, src, tgt, model_key, model_id, scored.text, scored.confidence))
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (source, src, tgt, model_key, model_id, translation, confidence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
