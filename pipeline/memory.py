"""Translation memory in SQLite: the machine-translation cache, keyed by what the model was given,
the language pair and the model's settings (model id, revision, generation options).

Only machine output lives here. Reviewed translations are read from the catalogues themselves
(approved entries, live and obsolete), so a fresh clone without this file reuses them too.

Written batch by batch as translation goes, so a killed run loses at most the batch in flight
and the next run picks up where it stopped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.fsutil import create_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source TEXT NOT NULL,
    src TEXT NOT NULL,
    tgt TEXT NOT NULL,
    model_key TEXT NOT NULL,
    model_id TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (source, src, tgt, model_key)
)
"""


class TranslationMemory:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        create_file(path)  # honours the umask, as every other file the pipeline writes
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def lookup(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, str]:
        found: dict[str, str] = {}
        query = "SELECT translation FROM translations WHERE source=? AND src=? AND tgt=? AND model_key=?"
        for source in sources:
            row = self._db.execute(query, (source, src, tgt, model_key)).fetchone()
            if row is not None:
                found[source] = row[0]
        return found

    def store(self, pairs: dict[str, str], src: str, tgt: str, model_key: str, model_id: str) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                [(s, src, tgt, model_key, model_id, t) for s, t in pairs.items()],
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
