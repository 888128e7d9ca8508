"""How far review has come, per locale, read from the catalogues themselves (what reviewers edit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.entry import State, noted_findings, state
from pipeline.catalog.pofile import read_locale
from pipeline.catalog.review_order import entry_confidence
from pipeline.layout import Paths


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    total: int  # live entries (not obsolete)
    reviewed: int
    fuzzy: int  # awaiting review: the pipeline's machine text, or a person's edit ("needs editing")
    untranslated: int
    obsolete: int
    qa_findings: int  # `#. qa:` lines on translated entries (each checked as its text now reads)
    confidences: tuple[float, ...] = ()  # of the machine translations awaiting review that carry one
    edited: int = 0  # of `fuzzy`: a person's edits or reviewed suggestions (no model confidence)

    def percent(self, count: int) -> float:
        return round(100.0 * count / self.total, 1) if self.total else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["locale"], data["confidences"]
        data["percent"] = {k: self.percent(data[k]) for k in ("reviewed", "fuzzy", "untranslated")}
        data["confidence"] = None
        if self.confidences:
            data["confidence"] = {
                "mean": round(sum(self.confidences) / len(self.confidences), 2),
                "lowest": min(self.confidences),
                "scored": len(self.confidences),
            }
        return data

    def line(self) -> str:
        return (
            f"{self.locale}: {self.total} entries, {self.reviewed} reviewed ({self.percent(self.reviewed)}%), "
            f"{self.fuzzy} fuzzy ({self.percent(self.fuzzy)}%), "
            f"{self.untranslated} untranslated ({self.percent(self.untranslated)}%), "
            f"{self.obsolete} obsolete, {self.qa_findings} QA findings"
            + (f", lowest confidence {min(self.confidences):.2f}" if self.confidences else "")
        )


def catalog_status(locale: str, po: polib.POFile) -> LocaleStatus:
    """The counts `status` prints, and the run summary too, so the two always agree."""
    counts = dict.fromkeys(State, 0)
    findings, confidences = 0, []
    for e in po:
        if not e.msgid:
            continue
        current = state(e)
        counts[current] += 1
        if current is State.OBSOLETE or current is State.UNTRANSLATED:
            continue
        findings += len(noted_findings(e))
        if current is State.MACHINE and (c := entry_confidence(e)) is not None:
            confidences.append(c)
    return LocaleStatus(
        locale=locale,
        total=sum(counts.values()) - counts[State.OBSOLETE],
        reviewed=counts[State.REVIEWED],
        fuzzy=counts[State.MACHINE] + counts[State.EDITED],
        untranslated=counts[State.UNTRANSLATED],
        obsolete=counts[State.OBSOLETE],
        qa_findings=findings,
        confidences=tuple(confidences),
        edited=counts[State.EDITED],
    )


def read_catalogs(paths: Paths, locales: list[str] | None = None) -> dict[str, tuple[Path, polib.POFile]]:
    """locale → (path, catalogue), for the locales named or every catalogue found."""
    out = {}
    for locale in locales or paths.found_locales():
        out[locale] = (paths.po(locale), read_locale(paths, locale))
    return out
