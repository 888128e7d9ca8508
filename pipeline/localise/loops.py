"""Cut off a model's output where it started looping, and say so.

Sentence-level models (NLLB, M2M100) sometimes fall into a loop on noisy input: "the the the the",
"go to the market, go to the market, ..." or "我们我们我们我们" until the length limit. The loop
carries no meaning, so the output is cut after the loop's first copy and the entry gets a QA
finding, so the reviewer checks it against the source. Pure functions over strings; the raw
model output stays in the translation memory, so a change of these rules needs no re-translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Finding

# A token is one CJK character (Chinese has no spaces) or a run of anything else but spaces.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
MAX_UNIT = 12  # longest repeated unit looked for, in tokens


def min_repeats(unit_length: int) -> int:
    """Copies in a row that make a loop: "very very" is English, four in a row is a model stuck."""
    return 4 if unit_length <= 2 else 3


@dataclass(frozen=True)
class Loop:
    start: int  # character offset where the first copy starts
    first_end: int  # character offset where the first copy ends
    unit: str  # the repeated text, as in its first copy
    repeats: int


def find_loop(text: str) -> Loop | None:
    """The earliest run of one unit (1..MAX_UNIT tokens, holding a letter) repeated back to back.

    Copy r of a unit equals the first exactly when every token equals the one `size` before it, so
    for each unit size the runs of such tokens say at once where a loop starts and how long it
    lasts: linear in the text per size, and a text without repeated tokens is dismissed at C speed."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = [text[a:b] for a, b in spans]
    n = len(tokens)
    lettered = None
    best: tuple[int, int, int] | None = None  # (start token, unit size, repeats)
    for size in range(1, min(MAX_UNIT, n // 2) + 1):
        same = [a == b for a, b in zip(tokens, tokens[size:])]  # same[j]: token j + size equals token j
        span = (min_repeats(size) - 1) * size  # tokens equal to the one a unit before, in a loop
        if same.count(True) < span:
            continue
        if lettered is None:
            lettered = [any(ch.isalpha() for ch in tok) for tok in tokens]
        run = 0
        runs = [0] * (len(same) + 1)
        for j in range(len(same) - 1, -1, -1):
            run = run + 1 if same[j] else 0
            runs[j] = run
        last = len(same) if best is None else min(len(same), best[0])  # an earlier start only
        for i in range(last):
            if runs[i] >= span and any(lettered[i : i + size]):
                best = (i, size, 1 + runs[i] // size)
                break
    if best is None:
        return None
    i, size, repeats = best
    start, first_end = spans[i][0], spans[i + size - 1][1]
    return Loop(start, first_end, text[start:first_end], repeats)


def cut_loop(translation: str, source: str) -> tuple[str, Finding | None]:
    """(translation cut after its loop's first copy, the finding), or (translation, None) when it
    does not loop, or when the source repeats itself the same way (then the repetition is faithful)."""
    loop = find_loop(translation)
    if loop is None or find_loop(source) is not None:
        return translation, None
    kept = translation[: loop.first_end].rstrip()
    message = (
        f"model output looped ({loop.unit!r} {loop.repeats} times in a row); cut off after the first, "
        "check the translation against the source"
    )
    return kept, Finding("loop", message)
