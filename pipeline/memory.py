"""Translation memory in SQLite: the machine-translation cache, keyed by source text, language
pair and model settings (model id, revision, generation options), and the reviewed translations
harvested from catalogues, keyed by source text and locale.

Written batch by batch as translation goes, so a killed run loses at most the batch in flight
and the next run picks up where it stopped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

LOOKUP_BATCH = 500  # sources per query: well under SQLite's 999-parameter limit of older builds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source TEXT NOT NULL,
    src TEXT NOT NULL,
    tgt TEXT NOT NULL,
    model_key TEXT NOT NULL,
    model_id TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (source, src, tgt, model_key)
);
CREATE TABLE IF NOT EXISTS reviewed (
    source TEXT NOT NULL,
    locale TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (source, locale)
)
"""


class TranslationMemory:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def lookup(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, str]:
        """Cached translations of `sources`, in one query per `LOOKUP_BATCH` sources (not one each)."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(sources))
        for i in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[i : i + LOOKUP_BATCH]
            query = ("SELECT source, translation FROM translations WHERE src=? AND tgt=? AND model_key=? "
                     f"AND source IN ({','.join('?' * len(batch))})")
            found.update(self._db.execute(query, (src, tgt, model_key, *batch)).fetchall())
        return found

    def store(self, pairs: dict[str, str], src: str, tgt: str, model_key: str, model_id: str) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                [(s, src, tgt, model_key, model_id, t) for s, t in pairs.items()],
            )

    def reviewed(self, locale: str) -> dict[str, str]:
        """Every reviewed translation ever seen for `locale`: source → translation."""
        rows = self._db.execute("SELECT source, translation FROM reviewed WHERE locale=? ORDER BY source", (locale,))
        return dict(rows.fetchall())

    def store_reviewed(self, pairs: dict[str, str], locale: str) -> None:
        """Remember what reviewers approved, so it outlives the catalogue entry (purged, or another domain)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO reviewed VALUES (?, ?, ?)", [(s, locale, t) for s, t in pairs.items()]
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
