"""How sure the model was of each translation: the geometric-mean probability of its tokens.

Both backends score the output they produced by forced decoding under the plain model (the
output tokens and the end token, the forced target-language token left out), so the number
does not depend on the search (greedy or beam) nor on the repetition guards, which the two
backends apply differently, and is the same from transformers and CTranslate2 in float32.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.model import Scored


@dataclass(frozen=True)
class Hypothesis:
    """One generated output: its text and the log-probability the model gives its tokens."""

    text: str
    log_prob: float  # sum over the scored tokens
    tokens: int  # how many tokens were scored (the end token included)


def confidence(pieces: Iterable[Hypothesis]) -> float | None:
    """exp(length-normalised log-probability) over all pieces of one sentence: a sentence cut at
    its clauses is weighted by tokens, so a long piece counts for more than a short one."""
    total, count = 0.0, 0
    for piece in pieces:
        total += piece.log_prob
        count += piece.tokens
    return math.exp(total / count) if count else None


def pivot(first: Scored, second: Scored) -> Scored:
    """gu → en → zh: the second leg's text; both legs must hold, so the confidences multiply."""
    if first.confidence is None or second.confidence is None:
        return Scored(second.text, None)
    return Scored(second.text, first.confidence * second.confidence)
