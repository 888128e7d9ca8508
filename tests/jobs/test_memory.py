"""Translation memory: each machine translation keeps its confidence, memories written before
that open as they were, and lookups are batched."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from pipeline import memory as memory_module
from pipeline.memory import TranslationMemory
from pipeline.mt.scoring import Scored


def test_confidence_is_stored_with_the_translation(tmp_path):
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store({"ક": Scored("a", 0.4125), "ખ": "b"}, "gu", "en", "key", "model@1")
        assert memory.lookup_scored(["ક", "ખ", "ગ"], "gu", "en", "key") == {
            "ક": Scored("a", 0.4125),
            "ખ": Scored("b", None),
        }
        assert memory.lookup(["ક"], "gu", "en", "key") == {"ક": "a"}


def test_a_memory_from_before_confidences_gains_the_column_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE translations (source TEXT NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
            model_key TEXT NOT NULL, model_id TEXT NOT NULL, translation TEXT NOT NULL,
            PRIMARY KEY (source, src, tgt, model_key));
        INSERT INTO translations VALUES ('ક', 'gu', 'en', 'key', 'model@1', 'old');
    """)
    db.commit()
    db.close()
    with TranslationMemory(path) as memory:
        assert memory.lookup_scored(["ક"], "gu", "en", "key") == {"ક": Scored("old", None)}
        memory.store({"ખ": Scored("new", 0.9)}, "gu", "en", "key", "model@1")
    with TranslationMemory(path) as memory:  # opening again does not migrate twice
        assert memory.lookup_scored(["ક", "ખ"], "gu", "en", "key") == {
            "ક": Scored("old", None),
            "ખ": Scored("new", 0.9),
        }


def test_lookup_finds_what_was_stored_in_a_few_queries(tmp_path):
    sources = [f"વાક્ય {n}" for n in range(2300)]
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        memory.store({s: f"sentence {n}" for n, s in enumerate(sources[:2000])}, "gu", "en", "key", "tiny@1")
        memory.store({sources[0]: "other model"}, "gu", "en", "other-key", "tiny@2")
        memory.store({sources[1]: "other language"}, "gu", "zh", "key", "tiny@1")
        statements = []
        memory._db.set_trace_callback(statements.append)
        found = memory.lookup(sources + sources[:10], "gu", "en", "key")
        memory._db.set_trace_callback(None)
    assert found == {s: f"sentence {n}" for n, s in enumerate(sources[:2000])}
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == -(-2300 // memory_module.LOOKUP_BATCH)  # one per batch, not one per sentence


def filled(path, count=3000) -> dict[str, str]:
    """A memory of `count` rows, closed (checkpointed into the file); returns what it holds."""
    rows = {f"વાક્ય {n}": f"sentence {n} " * 5 for n in range(count)}
    with TranslationMemory(path) as memory:
        memory.store(rows, "gu", "en", "key", "tiny@1")
    return rows


def aside(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".damaged-" in p.name)


@pytest.mark.parametrize("damage", ["truncated", "not SQLite", "zero-filled"])
def test_a_damaged_memory_is_set_aside_said_once_and_started_afresh(tmp_path, damage):
    path = tmp_path / "memory.sqlite"
    filled(path)
    data = path.read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "not SQLite": b"<html>not a database</html>\n" * 200,
        "zero-filled": data[:100] + bytes(len(data) - 100),
    }[damage]
    path.write_bytes(damaged)
    said = []
    with TranslationMemory(path, warn=said.append) as memory:
        assert memory.lookup(["વાક્ય 1"], "gu", "en", "key") == {}
        memory.store({"ક": "a"}, "gu", "en", "key", "tiny@1")
    (name,) = aside(tmp_path)
    assert re.fullmatch(r"memory\.sqlite\.damaged-\d{8}T\d{6}Z", name)
    assert (tmp_path / name).read_bytes() == damaged
    assert len(said) == 1 and str(path) in said[0] and name in said[0] and "damaged" in said[0]
    with TranslationMemory(path, warn=said.append) as memory:  # the new one is sound
        assert memory.lookup(["ક"], "gu", "en", "key") == {"ક": "a"}
    assert len(said) == 1


def test_damage_found_while_open_is_set_aside_once_and_both_users_go_on_sharing(tmp_path):
    path = tmp_path / "memory.sqlite"
    rows = filled(path)
    said = []
    server, run = TranslationMemory(path, warn=said.append), TranslationMemory(path, warn=said.append)
    with path.open("r+b") as file:  # overwritten in place, past the first pages: found only when read
        file.seek(3 * 4096)
        file.write(b"\xa5" * (path.stat().st_size - 3 * 4096))
    assert run.lookup(list(rows), "gu", "en", "key") == {}
    run.store({"ક": "a"}, "gu", "en", "key", "tiny@1")
    assert server.lookup(["ક", "વાક્ય 1"], "gu", "en", "key") == {"ક": "a"}  # it follows to the new file
    server.close(), run.close()
    assert len(said) == 1 and len(aside(tmp_path)) == 3  # the file and its two side files


def test_a_busy_or_read_only_memory_is_not_taken_for_damage(tmp_path):
    path = tmp_path / "memory.sqlite"
    filled(path, 10)
    with TranslationMemory(path) as memory:
        holder = sqlite3.connect(path, timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
        memory._db.execute("PRAGMA busy_timeout=0")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            memory.store({"ક": "a"}, "gu", "en", "key", "tiny@1")
        holder.rollback(), holder.close()
    assert aside(tmp_path) == []


def test_a_memory_deleted_while_open_is_opened_again_at_its_path(tmp_path):
    """The work directory removed under a server: it writes where a later run reads."""
    workdir = tmp_path / ".pipeline"
    path = workdir / "memory.sqlite"
    said = []
    server = TranslationMemory(path, threads=True, warn=said.append)
    server.store({"ક": "a"}, "gu", "en", "key", "tiny@1")
    shutil.rmtree(workdir)
    server.store({"ખ": "b"}, "gu", "en", "key", "tiny@1")
    with TranslationMemory(path) as run:
        assert run.lookup(["ક", "ખ"], "gu", "en", "key") == {"ખ": "b"}
        run.store({"ગ": "c"}, "gu", "en", "key", "tiny@1")
    assert server.lookup(["ગ"], "gu", "en", "key") == {"ગ": "c"}
    shutil.rmtree(workdir)
    with TranslationMemory(path) as run:  # a run first, the server after: they share the new file
        run.store({"ઘ": "d"}, "gu", "en", "key", "tiny@1")
        assert server.lookup(["ઘ"], "gu", "en", "key") == {"ઘ": "d"}
        server.store({"ચ": "e"}, "gu", "en", "key", "tiny@1")
        assert run.lookup(["ચ"], "gu", "en", "key") == {"ચ": "e"}
    server.close()
    assert said == [] and sorted(p.name for p in workdir.iterdir()) == ["memory.sqlite"]
