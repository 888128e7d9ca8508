"""Translation memory: lookups are batched, and find exactly what was stored under the same key."""

from __future__ import annotations

from pipeline import memory as memory_module
from pipeline.memory import TranslationMemory


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
