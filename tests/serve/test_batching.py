"""The dynamic batcher with a translator that records its calls: requests arriving together share
a model call, nothing waits past its deadline or beyond the queue, and a failing model answers
every waiting request."""

from __future__ import annotations

import threading
import time

import pytest

from pipeline.config import GenerationSettings, Leg, ModelSpec, Route
from pipeline.memory import TranslationMemory
from pipeline.serve.batching import BatchSettings, DynamicBatcher, ModelFailed, Overloaded, TooLarge

SPEC = ModelSpec("fake", "nllb", "fake/model", revision="1", generation=GenerationSettings())
ROUTE = Route("gu-en", (Leg(SPEC, "gu", "en"),))


class Recording:
    """Upper-cases its input; `calls` holds each call's texts; `gate` holds a call until set."""

    model_id = "fake/model@1"

    def __init__(self, fail: bool = False):
        self.calls: list[list[str]] = []
        self.fail = fail
        self.gate = threading.Event()
        self.gate.set()

    def translate(self, texts, src, tgt, progress=None):
        self.gate.wait(10)
        self.calls.append(list(texts))
        if self.fail:
            raise RuntimeError("the model broke")
        return [t.upper() for t in texts]


@pytest.fixture
def memory(tmp_path):
    with TranslationMemory(tmp_path / "memory.sqlite", threads=True) as mem:
        yield mem


def submit(batcher, memory, texts, results, errors):
    def go():
        try:
            batcher.translate_into_memory(ROUTE, texts, "en", memory, SPEC.settings_key(), "en", 32)
            results.append(memory.lookup(texts, "gu", "en", SPEC.settings_key()))
        except Exception as exc:  # noqa: BLE001 - the test reads it
            errors.append(exc)

    thread = threading.Thread(target=go)
    thread.start()
    return thread


def run_together(batcher, memory, requests):
    results, errors = [], []
    threads = [submit(batcher, memory, texts, results, errors) for texts in requests]
    for thread in threads:
        thread.join(30)
    return results, errors


def test_requests_arriving_together_share_one_model_call(memory):
    model = Recording()
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_wait=0.5))
    results, errors = run_together(batcher, memory, [[f"s{i}"] for i in range(8)])
    batcher.close()
    assert not errors and len(results) == 8
    assert all(found == {t: t.upper() for t in found} for found in results)
    assert len(model.calls) == 1 and sorted(model.calls[0]) == [f"s{i}" for i in range(8)]
    assert batcher.stats.calls == 1 and batcher.stats.largest == 8


def test_without_batching_each_request_is_its_own_call(memory):
    model = Recording()
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(enabled=False))
    results, errors = run_together(batcher, memory, [[f"s{i}", f"t{i}"] for i in range(5)])
    batcher.close()
    assert not errors and len(model.calls) == 5 and all(len(call) == 2 for call in model.calls)


def test_a_model_call_holds_at_most_max_sentences(memory):
    model = Recording()
    model.gate.clear()  # the first call waits, so the others queue up behind it
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_wait=0.05, max_sentences=3))
    results, errors = [], []
    threads = [submit(batcher, memory, [f"s{i}"], results, errors) for i in range(7)]
    time.sleep(0.3)
    model.gate.set()
    for thread in threads:
        thread.join(30)
    batcher.close()
    assert not errors and len(results) == 7
    assert max(len(call) for call in model.calls) <= 3 and sum(len(call) for call in model.calls) == 7


def test_a_full_queue_and_a_late_job_are_overloaded_not_waiting(memory):
    model = Recording()
    model.gate.clear()
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_wait=0, max_queue=2, deadline=0.2))
    results, errors = [], []
    first = submit(batcher, memory, ["a"], results, errors)
    time.sleep(0.1)  # "a" is in the model call, held by the gate
    queued = submit(batcher, memory, ["b", "c"], results, errors)
    time.sleep(0.1)
    with pytest.raises(Overloaded, match="waiting for the model"):
        batcher.translate_into_memory(ROUTE, ["d"], "en", memory, SPEC.settings_key(), "en", 32)
    time.sleep(0.3)  # "b", "c" are now past their deadline
    model.gate.set()
    first.join(30)
    queued.join(30)
    batcher.close()
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Overloaded)
    assert model.calls == [["a"]]  # the late job never reached the model
    assert batcher.stats.rejected == 2


def test_a_request_larger_than_the_queue_is_refused_whole(memory):
    model = Recording()
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_queue=3))
    with pytest.raises(TooLarge, match="4 sentences new to the translation memory; the model takes at most 3"):
        batcher.translate_into_memory(ROUTE, list("abcd"), "en", memory, SPEC.settings_key(), "en", 32)
    batcher.close()
    assert model.calls == []


def test_a_failing_model_answers_every_waiting_request_and_keeps_serving(memory):
    model = Recording(fail=True)
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_wait=0.2))
    results, errors = run_together(batcher, memory, [["x"], ["y"]])
    assert not results and len(errors) == 2 and all(isinstance(e, ModelFailed) for e in errors)
    model.fail = False
    results, errors = run_together(batcher, memory, [["z"]])
    batcher.close()
    assert results == [{"z": "Z"}] and not errors


def test_close_finishes_queued_jobs_and_then_refuses(memory):
    model = Recording()
    batcher = DynamicBatcher(lambda route: model, memory, BatchSettings(max_wait=0.3))
    results, errors = [], []
    thread = submit(batcher, memory, ["late"], results, errors)
    time.sleep(0.05)
    batcher.close()
    thread.join(30)
    assert results == [{"late": "LATE"}]
    with pytest.raises(Overloaded, match="shutting down"):
        batcher.translate_into_memory(ROUTE, ["more"], "en", memory, SPEC.settings_key(), "en", 32)
