"""The translation memory keeps each machine translation's confidence, and opens memories
written before it did."""

from __future__ import annotations

import sqlite3

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
