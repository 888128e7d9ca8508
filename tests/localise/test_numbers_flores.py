"""The numbers check on human translations (FLORES-200 sample in tests/data, CC BY-SA 4.0): right
translations pass, deliberately broken copies are caught. bench/numbers.py measures the full dev set."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.localise.numbers import find_source_numbers, find_target_numbers
from pipeline.qa.checks import check_numbers

SAMPLE = Path(__file__).parent.resolve().parent / "data" / "flores-sample"


def pairs(target_file):
    gu = (SAMPLE / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
    refs = (SAMPLE / target_file).read_text(encoding="utf-8").splitlines()
    return [
        (s.strip(), t.strip())
        for s, t in zip(gu, refs)
        if any(not n.soft and not n.spelt for n in find_source_numbers(s))
    ]


@pytest.mark.parametrize("target_file,limit", [("eng_Latn.txt", 0.02), ("zho_Hans.txt", 0.04)])
def test_human_translations_are_rarely_flagged_and_broken_ones_are_caught(target_file, limit):
    data = pairs(target_file)
    assert len(data) > 50
    false_alarms = [p for p in data if check_numbers(*p)]
    assert len(false_alarms) / len(data) <= limit, false_alarms
    rng, broken = random.Random(1), []
    for source, translation in data:
        numbers = [n for n in find_target_numbers(translation, words=False) if n.start >= 0]
        if numbers:
            n = rng.choice(numbers)
            pos = next(n.start + i for i, c in enumerate(n.text) if c.isdigit())
            digit = "1" if translation[pos] != "1" else "7"
            broken.append((source, translation[:pos] + digit + translation[pos + 1 :]))
            broken.append((source, translation[: n.start] + translation[n.end :]))
    missed = [p for p in broken if not check_numbers(*p)]
    assert len(missed) / len(broken) <= 0.03, missed
