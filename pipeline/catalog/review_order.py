"""Where review should start: the pipeline's own machine text (`entry.State.MACHINE`, never a
person's edit), QA findings first, then the ones the model was least sure of. Read from the
catalogues' comments (`#. confidence:`, `#. qa:`), so it works on a fresh clone and after a
Weblate round trip."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.entry import CONFIDENCE_COMMENT, State, noted_findings, noted_text, state


@dataclass(frozen=True)
class ReviewItem:
    """One machine translation awaiting review."""

    file: str
    line: int
    locale: str
    msgid: str
    confidence: float | None  # None: written before confidences were kept, or by another tool
    findings: tuple[str, ...]  # "check: message", as in the entry's `#. qa:` lines

    def rank(self) -> tuple:
        """QA findings first; then lowest confidence; unscored entries last; then by place."""
        unscored = self.confidence is None
        return (not self.findings, unscored, self.confidence or 0.0, self.file, self.line)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["findings"] = list(self.findings)
        return data

    def line_text(self) -> str:
        score = "-" if self.confidence is None else f"{self.confidence:.2f}"
        found = "; ".join(self.findings) or "no QA findings"
        return f"{self.file}:{self.line}: {self.locale}: confidence {score}: {found}"


def comment_value(comment: str, key: str) -> list[str]:
    """The values of the extracted-comment lines `key: value`."""
    prefix = key + ": "
    return [line[len(prefix) :] for line in comment.split("\n") if line.startswith(prefix)]


def entry_confidence(entry: polib.POEntry) -> float | None:
    for value in comment_value(entry.comment, CONFIDENCE_COMMENT):
        try:
            return float(value)
        except ValueError:
            return None  # a line someone edited into something else: unscored, not an error
    return None


def review_items(path: Path, locale: str, po: polib.POFile) -> list[ReviewItem]:
    return [
        ReviewItem(
            str(path),
            entry.linenum,
            locale,
            entry.msgid,
            entry_confidence(entry),
            tuple(noted_text(f) for f in noted_findings(entry)),
        )
        for entry in po
        if entry.msgid and state(entry) is State.MACHINE
    ]


def worst(items: list[ReviewItem], count: int) -> list[ReviewItem]:
    return sorted(items, key=ReviewItem.rank)[:count]
