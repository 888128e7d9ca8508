"""find_loop against the definition it implements, read literally: for each start, each unit size,
count the copies in a row. The fast version must give the same loop on every text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.localise.loops import _TOKEN, MAX_UNIT, find_loop, min_repeats


def loop_by_definition(text: str):
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = [text[a:b] for a, b in spans]
    for i in range(len(tokens)):
        for size in range(1, MAX_UNIT + 1):
            unit = tokens[i : i + size]
            if len(unit) < size or not any(ch.isalpha() for tok in unit for ch in tok):
                continue
            repeats = 1
            while tokens[i + repeats * size : i + (repeats + 1) * size] == unit:
                repeats += 1
            if repeats >= min_repeats(size):
                return spans[i][0], spans[i + size - 1][1], repeats
    return None


def as_tuple(loop):
    return None if loop is None else (loop.start, loop.first_end, loop.repeats)


WORDS = st.sampled_from(["the", "go", "a", "1", "--", ".", "我", "们", "ab", "market,"])


@st.composite
def texts(draw):
    before = draw(st.lists(WORDS, max_size=6))
    unit = draw(st.lists(WORDS, min_size=1, max_size=MAX_UNIT + 1))
    after = draw(st.lists(WORDS, max_size=6))
    tokens = before + unit * draw(st.integers(1, 6)) + after
    return draw(st.sampled_from([" ", ""])).join(tokens)


@settings(max_examples=600, deadline=None)
@given(texts())
def test_find_loop_matches_the_definition(text):
    assert as_tuple(find_loop(text)) == loop_by_definition(text)


def test_the_earliest_loop_wins_and_the_shortest_unit_at_it():
    text = "go to the market, go to the market, go to the market, the the the the"
    loop = find_loop(text)
    assert text[loop.start : loop.first_end] == "go to the market," and loop.repeats == 3
    assert find_loop("我们我们我们我们").unit == "我们"
    assert find_loop("very very good") is None  # two in a row is English
    assert find_loop("1 0 0 0 0 0") is None  # numbers are not loops
