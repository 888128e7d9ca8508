"""Fuzzy matching of edited Gujarati sentences: edits match, unrelated sentences never do."""

from __future__ import annotations

import itertools
import random
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.catalog.similarity import (
    FLOOR,
    THRESHOLD,
    CandidateIndex,
    Units,
    best_matches,
    best_matches_exhaustive,
    similarity,
)

GU = (Path(__file__).parent.parent / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()


def test_unrelated_flores_sentences_never_match():
    units = [Units.of(s) for s in GU[:200]]
    worst = max(similarity(a, b) for a, b in itertools.combinations(units, 2))
    assert worst < THRESHOLD - 0.1, worst  # measured: 0.35 at most, against a threshold of 0.6


def test_unrelated_short_prefixes_never_match():
    """Shorter sentences share a larger part of their function words; they must not match either."""
    units = [Units.of(" ".join(s.split()[:6])) for s in GU[:200]]
    assert max(similarity(a, b) for a, b in itertools.combinations(units, 2)) < THRESHOLD


def edited(sentence: str, rng: random.Random) -> dict[str, str]:
    words = sentence.split()
    i = rng.randrange(len(words))
    return {
        "replace a word": " ".join(words[:i] + ["બદલાયેલું"] + words[i + 1 :]),
        "delete a word": " ".join(words[:i] + words[i + 1 :]),
        "add a word": " ".join(words[:i] + ["નવો"] + words[i:]),
        "change a suffix": " ".join(words[:i] + [words[i] + "માં"] + words[i + 1 :]),
        "change a number": sentence.replace("૧", "૨").replace("1", "2") + " ૩",
        "change the full stop": sentence.rstrip("।.") + "!",
    }


def test_small_edits_of_flores_sentences_match_their_original():
    rng = random.Random(7)
    for sentence in GU[200:300]:
        if len(sentence.split()) < 6:
            continue
        for kind, changed in edited(sentence, rng).items():
            assert similarity(sentence, changed) >= THRESHOLD, (kind, sentence, changed)


def test_code_points_are_not_the_unit():
    """Same consonants with different vowel signs are different aksharas: not one small edit."""
    a = "કમલ નમન કરે છે અને ઘરે જાય છે"
    b = "કીમીલી નીમીન કીરી છી અની ઘીરી જીય છી"
    assert similarity(a, b) == 0.0


def test_too_short_sentences_never_match():
    assert similarity("આજે વરસાદ છે.", "આજે વરસાદ નથી.") == 0.0


def test_best_matches_pairs_each_old_sentence_once_best_first():
    old = [GU[0], GU[1]]
    new_a = GU[0].replace("સોમવારે", "મંગળવારે")
    new_b = GU[0].replace("સોમવારે", "બુધવારે").replace("નવા", "જૂના")
    unrelated = GU[5]
    found = best_matches([new_b, new_a, unrelated], old)
    assert found[new_a][0] == GU[0]
    assert new_b not in found or found[new_b][0] != GU[0]
    assert unrelated not in found


def test_indexed_matches_are_those_of_scoring_every_pair():
    """The candidate index must lose no match: one- and two-word edits, deletions, insertions and
    unrelated sentences on the FLORES sample give exactly what scoring all pairs gives."""
    rng = random.Random(13)
    new = []
    for n, sentence in enumerate(GU[:240]):
        words = sentence.split()
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        if n % 4 == 0:
            words[i] = "બદલાયેલું"
        elif n % 4 == 1:
            words[i], words[j] = "નવો", "જૂનો"
        elif n % 4 == 2:
            del words[i]
        else:
            words.insert(i, "વધુ")
        new.append(" ".join(words))
    new += GU[240:270]  # unrelated to every old sentence
    old = GU[270:] + GU[:240][::-1]
    indexed = best_matches(new, old)
    assert indexed == best_matches_exhaustive(new, old)
    assert len(indexed) > 200  # the edits do match, so the comparison is not empty
    assert not set(GU[240:270]) & set(indexed)


def test_candidate_index_keeps_every_pair_whose_words_reach_the_floor():
    """The guarantee behind the index, at its edge: over random bags from a small vocabulary, every
    pair whose word ratio (difflib's, as `similarity` scores it) reaches the floor is a candidate."""
    rng = random.Random(5)
    vocab = [f"શબ્દ{k}" for k in range(12)]
    sentences = list(dict.fromkeys(" ".join(rng.choices(vocab, k=rng.randint(4, 14))) for _ in range(400)))
    units = [Units.of(s) for s in sentences]
    index = CandidateIndex([u.words for u in units[200:]], FLOOR)
    checked = 0
    for n in units[:200]:
        found = set(index.candidates(n.words))
        for j, o in enumerate(units[200:]):
            if SequenceMatcher(None, n.words, o.words, autojunk=False).ratio() >= FLOOR:
                checked += 1
                assert j in found, (n.text, o.text)
    assert checked > 500  # pairs at the edge do occur
