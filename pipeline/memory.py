"""Translation memory in SQLite: the machine-translation cache, keyed by what the model was given,
the language pair and the model's settings (model id, revision, generation options).

Only machine output lives here. Reviewed translations are read from the catalogues themselves
(approved entries, live and obsolete), so a fresh clone without this file reuses them too.

Written batch by batch as translation goes, so a killed run loses at most the batch in flight
and the next run picks up where it stopped.

The file is a cache, so it never stops a command: a damaged one (truncated, overwritten, not
SQLite) is set aside beside itself, with its write-ahead log, and a new one started; and when the
file is deleted or replaced under an open memory (the work directory removed while a server runs),
the memory opens the file now at its path, so processes sharing it keep sharing.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.fsutil import create_file
from pipeline.layout import MEMORY_FILE
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


# SQLite's primary result codes for a file that is not (or no longer) a sound database.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
# The files SQLite keeps beside a database in write-ahead-log mode; they travel with it.
SIDE_FILES = ("-wal", "-shm")


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """A damaged file, as opposed to a busy, full or read-only one (which setting aside would not mend)."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def set_aside(path: Path) -> Path:
    """Rename a damaged database and its side files to `<name>.damaged-<UTC time>` (kept together,
    so SQLite still pairs them if someone wants to look inside); returns the new name."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while any(Path(f"{aside}{side}").exists() for side in ("", *SIDE_FILES)):
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    for side in ("", *SIDE_FILES):
        try:
            os.rename(f"{path}{side}", f"{aside}{side}")
        except FileNotFoundError:
            pass
    return aside


def error_text(exc: sqlite3.OperationalError, workdir: Path | None) -> str:
    """What SQLite's error means to a user: SQLite names no file, and the one the pipeline keeps is
    the work directory's translation memory (`workdir`, when the command has one)."""
    where = f"{Path(workdir) / MEMORY_FILE}: " if workdir is not None else ""
    text = str(exc)
    hint = (
        "free some space and run again; what was stored before is kept"
        if "full" in text
        else "run again; if it persists, move the file away (it is rebuilt from the catalogues)"
    )
    return f"{where}translation memory: {text}: {hint}"


def _warn(message: str) -> None:
    print(f"pipeline: warning: {message}", file=sys.stderr, flush=True)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


class TranslationMemory:
    """`threads=True`: one connection shared by the threads of a server, one query at a time.
    Other processes (a `pipeline run` on the same work directory) read while this one writes
    (write-ahead log) and wait for each other's short writes (the busy timeout). `warn` is told,
    once each time, that a damaged file was set aside."""

    def __init__(self, path: Path, *, threads: bool = False, warn: Callable[[str], None] = _warn):
        self.path = Path(path)
        self._threads = threads
        self._warn = warn
        self._lock = threading.Lock()
        self._identity: tuple[int, int] | None = None
        self._db = self._open()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        create_file(self.path)  # honours the umask, as every other file the pipeline writes
        db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=not self._threads)
        self._identity = _identity(self.path)  # the file this connection reads, sound or not
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            _add_confidence_column(db)
            # Rows from before the script was part of the target were all Simplified (NLLB zho_Hans, M2M100 zh).
            db.execute("UPDATE OR IGNORE translations SET tgt='zh_Hans' WHERE tgt='zh'")
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._start_afresh(exc)
            return self._connect()

    def _start_afresh(self, exc: sqlite3.DatabaseError) -> None:
        """Set the damaged file aside, unless another process sharing it already has."""
        current = _identity(self.path)
        if current is None or current != self._identity:
            return
        aside = set_aside(self.path)
        self._warn(
            f"{self.path}: the translation memory is damaged ({exc}); set aside as {aside.name} and "
            "started afresh (it is a cache: what it held is translated again when needed)"
        )

    def _run(self, operation: Callable[[sqlite3.Connection], object]):
        """`operation` on the connection to the file now at `path`; on a damaged file, once more on
        a new one. The caller holds the lock."""
        if _identity(self.path) != self._identity:  # deleted or replaced since it was opened
            self._db.close()  # SQLite neither checkpoints into nor deletes the side files of a moved file
            self._db = self._open()
        try:
            return operation(self._db)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._start_afresh(exc)
            self._db.close()  # after the rename: SQLite then leaves the set-aside side files alone
            self._db = self._connect()
            return operation(self._db)

    def lookup(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, str]:
        return {source: found.text for source, found in self.lookup_scored(sources, src, tgt, model_key).items()}

    def lookup_scored(self, sources: Iterable[str], src: str, tgt: str, model_key: str) -> dict[str, Scored]:
        """Like `lookup`, with the model's confidence (None for rows stored before it was kept), in
        one query per `LOOKUP_BATCH` sources (not one each)."""
        found: dict[str, Scored] = {}
        wanted = list(dict.fromkeys(sources))
        for i in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[i : i + LOOKUP_BATCH]
            query = (
                "SELECT source, translation, confidence FROM translations WHERE src=? AND tgt=? AND model_key=? "
                f"AND source IN ({','.join('?' * len(batch))})"
            )
            with self._lock:
                rows = self._run(
                    lambda db, query=query, values=(src, tgt, model_key, *batch): db.execute(query, values).fetchall()
                )
            found.update((source, Scored(text, conf)) for source, text, conf in rows)
        return found

    def store(self, pairs: dict[str, str | Scored], src: str, tgt: str, model_key: str, model_id: str) -> None:
        """Machine translations, plain text or `Scored` (text and confidence)."""
        rows = []
        for source, out in pairs.items():
            scored = out if isinstance(out, Scored) else Scored(out)
            rows.append((source, src, tgt, model_key, model_id, scored.text, scored.confidence))

        def insert(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO translations (source, src, tgt, model_key, model_id, translation, "
                    "confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

        with self._lock:
            self._run(insert)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
