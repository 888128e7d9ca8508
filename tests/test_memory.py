"""Translation memory: each machine translation keeps its confidence, memories written before
that open as they were, and lookups are batched."""

from __future__ import annotations

import sqlite3

from pipeline import memory as memory_module
from pipeline.memory import TranslationMemory
from pipeline.mt.scoring import Scored


def test_confidence_is_stored_with_the_translation(tmp_path):
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store({"ક": Scored("a", 0.4125), "ખ": "b"}, "gu", "en", "key", "model@1")
        assert memory.lookup_scored(["ક", "ખ", "ગ"], "gu", "en", "key") == {"ક": Scored("a", 0.4125),
                                                                         "ખ": Scored("b", None)}
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
        assert memory.lookup_scored(["ક", "ખ"], "gu", "en", "key") == {"ક": Scored("old", None),
                                                                     "ખ": Scored("new", 0.9)}


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
