"""How alike two Gujarati sentences are, for carrying a translation over to a slightly edited source.

Code points are the wrong unit for Gujarati: a vowel sign or virama is its own code point, so two
unrelated sentences share most of them, and difflib on characters (Babel's `Catalog.update`,
cutoff 0.6) or GNU msgmerge match sentences that have nothing in common. Here a sentence is
compared twice, as a sequence of words and as a sequence of grapheme clusters (aksharas with
their signs, `\\X`), and the score is the mean of the two ratios; both must pass a floor, and
sentences shorter than a few words never match at all.

Measured on 150 FLORES-200 Gujarati sentences (11,175 unrelated pairs): the highest unrelated
score is 0.35, while replacing, deleting or adding one word, changing a suffix or the final
punctuation scores at least 0.77, and replacing two words at least 0.65
(tests/catalog/test_similarity.py checks both sides).

Scoring every new sentence against every old one grows with the product of the two (a thousand
new sentences against a 50,000-entry memory is 50 million pairs), so `best_matches` picks
candidates through an index first and scores only those. The index loses no match: a pair can
only reach the word floor if their words overlap by a third of the shorter side or more
(SequenceMatcher's matches are a common subsequence, so a ratio never exceeds the multiset
overlap 2|a∩b|/(|a|+|b|)), and any two bags that overlap that much share one of their rarest
words (prefix filtering, as in set-similarity joins). Candidates then meet rapidfuzz's LCS ratio,
an upper bound of SequenceMatcher's that costs microseconds, before the exact score.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

import regex
from rapidfuzz import process
from rapidfuzz.distance import Indel

THRESHOLD = 0.6  # mean of word and grapheme ratios
FLOOR = 0.5  # each ratio on its own
MIN_WORDS = 4
MIN_GRAPHEMES = 12

_WORD = regex.compile(r"\w+|[^\w\s]")
_GRAPHEME = regex.compile(r"\X")

Token = tuple[str, int]  # a word and which occurrence of it in the sentence: bags become sets


@dataclass(frozen=True)
class Units:
    text: str
    words: tuple[str, ...]
    graphemes: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Units:
        graphemes = tuple(g for g in _GRAPHEME.findall(text) if not g.isspace())
        return cls(text, tuple(_WORD.findall(text)), graphemes)

    @property
    def long_enough(self) -> bool:
        return len(self.words) >= MIN_WORDS and len(self.graphemes) >= MIN_GRAPHEMES


def _ratio(a: tuple[str, ...], b: tuple[str, ...], floor: float) -> float:
    if Indel.normalized_similarity(a, b, score_cutoff=floor) < floor:
        return 0.0  # the LCS ratio bounds SequenceMatcher's from above: most candidates stop here
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def similarity(a: str | Units, b: str | Units) -> float:
    """0 (unrelated, or too short to tell) to 1 (identical)."""
    a = a if isinstance(a, Units) else Units.of(a)
    b = b if isinstance(b, Units) else Units.of(b)
    if not (a.long_enough and b.long_enough):
        return 0.0
    words = _ratio(a.words, b.words, FLOOR)
    if words < FLOOR:
        return 0.0
    graphemes = _ratio(a.graphemes, b.graphemes, FLOOR)
    if graphemes < FLOOR:
        return 0.0
    return (words + graphemes) / 2


def word_floor(threshold: float) -> float:
    """The lowest word ratio a pair scoring `threshold` can have (the grapheme ratio is at most 1)."""
    return max(FLOOR, 2 * threshold - 1)


def _tokens(words: tuple[str, ...]) -> list[Token]:
    if len(set(words)) == len(words):
        return [(word, 0) for word in words]  # the usual case: no word twice
    seen: dict[str, int] = {}
    out = []
    for word in words:
        n = seen.get(word, 0)
        seen[word] = n + 1
        out.append((word, n))
    return out


def _least_overlap(size: int, ratio: float) -> int:
    """Fewest shared words that let a bag of `size` words reach `ratio` with any other bag."""
    return max(1, math.ceil(size * ratio / (2 - ratio) - 1e-9))


class CandidateIndex:
    """Old sentences by their rarest words; `candidates` is every old sentence that may reach
    `min_ratio` on words with a given new one (a superset of the matches, never missing one)."""

    def __init__(self, old_words: list[tuple[str, ...]], min_ratio: float):
        self.min_ratio = min_ratio
        self.words = old_words
        self.lengths = [len(words) for words in old_words]
        bags = [_tokens(words) if len(words) >= MIN_WORDS else [] for words in old_words]
        frequency = Counter(t for bag in bags for t in bag)
        # One global order, rarest first; a word no old sentence has comes before all others.
        self.rank = {t: r for r, t in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}
        self.postings: dict[Token, list[int]] = defaultdict(list)
        by_rank = self.rank.__getitem__
        for j, bag in enumerate(bags):
            if bag:
                keep = len(bag) - _least_overlap(len(bag), min_ratio) + 1
                for token in sorted(bag, key=by_rank)[:keep]:  # what `_prefix` picks, without its lambda
                    self.postings[token].append(j)

    def _prefix(self, bag: list[Token]) -> list[Token]:
        """The bag's rarest words: any bag overlapping it enough shares one of them with it."""
        if not bag:
            return []
        keep = len(bag) - _least_overlap(len(bag), self.min_ratio) + 1
        rank = self.rank
        return sorted(bag, key=lambda t: rank.get(t, -1))[:keep]  # the order among unknown words is moot

    def candidates(self, words: tuple[str, ...]) -> list[int]:
        """Indices of old sentences worth scoring against `words`, in ascending order: those
        sharing a prefix word, of a length that allows the ratio, and whose LCS ratio on words
        (computed for all of them in one call) reaches it."""
        found: set[int] = set()
        for token in self._prefix(_tokens(words)):
            posting = self.postings.get(token)
            if posting:
                found.update(posting)
        size, ratio = len(words), self.min_ratio
        low, high = size * ratio / (2 - ratio) - 1e-9, size * (2 - ratio) / ratio + 1e-9
        lengths = self.lengths
        near = sorted([j for j in found if low <= lengths[j] <= high])
        passed = process.extract(
            words, [self.words[j] for j in near], scorer=Indel.normalized_similarity, score_cutoff=ratio, limit=None
        )
        return sorted(near[k] for _, _, k in passed)


class Matcher:
    """`best_matches` against one fixed list of old sentences, its index built once (on first use)
    and asked many times: a locale's reviewed memory is matched against each catalogue merged in a
    run. `allowed` leaves old sentences out per question, giving what `best_matches` gives on the
    list without them (the index only ever proposes candidates; ties keep the list's order)."""

    def __init__(self, old: Iterable[str], threshold: float = THRESHOLD):
        self.threshold = threshold
        self.old_texts = list(dict.fromkeys(old))
        self._index: CandidateIndex | None = None
        self._units: dict[int, Units] = {}

    def best(self, new: Iterable[str], allowed: Callable[[str], bool] | None = None) -> dict[str, tuple[str, float]]:
        new_units = [Units.of(t) for t in dict.fromkeys(new)]
        if not new_units or not self.old_texts:
            return {}
        if self._index is None:
            self._index = CandidateIndex([tuple(_WORD.findall(t)) for t in self.old_texts], word_floor(self.threshold))
        old_texts, old_units = self.old_texts, self._units
        scored = []
        for i, n in enumerate(new_units):
            if not n.long_enough:
                continue
            for j in self._index.candidates(n.words):
                if allowed is not None and not allowed(old_texts[j]):
                    continue
                if j not in old_units:
                    old_units[j] = Units.of(old_texts[j])
                scored.append((i, j, similarity(n, old_units[j])))
        return _assign(new_units, old_texts, scored, self.threshold)


def best_matches(new: Iterable[str], old: Iterable[str], threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
    """Pair each new sentence with at most one old one (each old one used once), best scores first.

    Deterministic: ties go to the earlier new sentence and the earlier old one. Only candidates
    from a `CandidateIndex` are scored; the result is the same as scoring every pair. Old
    sentences are split into grapheme clusters only when they are a candidate.
    """
    return Matcher(old, threshold).best(new)


def best_matches_exhaustive(
    new: Iterable[str], old: Iterable[str], threshold: float = THRESHOLD
) -> dict[str, tuple[str, float]]:
    """`best_matches` scoring every pair: the reference the index is checked against."""
    new_units = [Units.of(t) for t in dict.fromkeys(new)]
    old_units = [Units.of(t) for t in dict.fromkeys(old)]
    scored = [
        (i, j, similarity(n, o)) for i, n in enumerate(new_units) if n.long_enough for j, o in enumerate(old_units)
    ]
    return _assign(new_units, [u.text for u in old_units], scored, threshold)


def _assign(
    new_units: list[Units], old_texts: list[str], scored: list[tuple[int, int, float]], threshold: float
) -> dict[str, tuple[str, float]]:
    candidates = sorted((-score, i, j) for i, j, score in scored if score >= threshold)
    used_new, used_old, out = set(), set(), {}
    for neg, i, j in candidates:
        if i in used_new or j in used_old:
            continue
        used_new.add(i)
        used_old.add(j)
        out[new_units[i].text] = (old_texts[j], -neg)
    return out
