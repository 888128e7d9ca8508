"""Fuzzy matching of edited Gujarati sentences: edits match, unrelated sentences never do."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from pipeline.catalog.similarity import THRESHOLD, Units, best_matches, similarity

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
