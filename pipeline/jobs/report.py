"""What a run tells: the summary per locale."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from pipeline.config import Credit, Route
from pipeline.layout import Paths, normalise_locales
from pipeline.mt.licences import licence_notes

if TYPE_CHECKING:
    from pipeline.jobs.translate_stage import TranslateStats
    from pipeline.ledger import CatalogStamp

__all__ = ["LocaleStats", "Paths", "RunReport", "normalise_locales"]  # Paths and normalise_locales: pipeline.layout's


@dataclass
class LocaleStats:
    locale: str
    model_id: str = ""
    licence: str = ""  # the route's licence(s), SPDX ids
    credits: tuple[Credit, ...] = ()  # the credit its models' licences ask for
    by_model: int = 0
    from_memory: int = 0
    reviewed: int = 0  # approved entries in the catalogue written, as `pipeline status` counts them
    edited: int = 0  # a person's fuzzy edits kept (awaiting review)
    findings: int = 0  # `qa:` notes in the catalogue written, as `pipeline status` counts them
    untranslated: int = 0  # in batches that failed for good on a cluster; the next run retries them

    def line(self) -> str:
        return (
            f"{self.locale}: {self.by_model} translated by {self.model_id or 'no model'}, "
            f"{self.from_memory} reused from memory, {self.reviewed} reviewed kept"
            + (f", {self.edited} edited kept" if self.edited else "")
            + f", {self.findings} QA findings"
            + (f", {self.untranslated} left untranslated (failed batches)" if self.untranslated else "")
        )


@dataclass
class RunReport:
    documents: int = 0
    segments: int = 0
    messages: int = 0
    skipped: list[str] = field(default_factory=list)
    locales: dict[str, LocaleStats] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # each naming its file and line
    cleaned: list[str] = field(default_factory=list)  # warnings: source lines whose control characters were cleaned
    skipped_in: Counter = field(default_factory=Counter)  # stage -> how many catalogues of a set skipped it

    def summary(self) -> str:
        """One line for the sources (and one for control characters cleaned from them), then one per locale."""
        lines = [f"{self.segments} segments ({self.messages} unique) from {self.documents} document(s)"]
        if self.cleaned:
            places = [warning.split(": ", 1)[0] for warning in self.cleaned]
            lines.append(
                f"control characters dropped or replaced in {len(places)} source line(s): "
                + ", ".join(places[:5])
                + (", ..." if len(places) > 5 else "")
                + " (see the warnings)"
            )
        return "\n".join(lines + [s.line() for s in self.locales.values()] + licence_notes(self.locales.values()))

    def absorb(self, part: RunReport) -> None:
        """Fold one catalogue's report into the run's: counts summed, skipped stages counted."""
        self.documents += part.documents
        self.segments += part.segments
        self.messages += part.messages
        self.skipped_in.update(part.skipped)
        self.warnings += part.warnings
        self.cleaned += part.cleaned
        for locale, stats in part.locales.items():
            total = self.stats(locale)
            for f in fields(LocaleStats):
                value = getattr(stats, f.name)
                if isinstance(value, int):
                    setattr(total, f.name, getattr(total, f.name) + value)
                elif value and f.name != "locale":
                    setattr(total, f.name, value)

    def count_skipped(self, catalogues: int) -> None:
        """The skipped line of a set: each stage with how many of its catalogues skipped it."""
        self.skipped += [f"{stage} ({n} of {catalogues} catalogues)" for stage, n in self.skipped_in.items()]

    def record(
        self,
        locale: str,
        *,
        route: Route | None = None,
        translated: TranslateStats | None = None,
        findings: int | None = None,
        status: CatalogStamp | None = None,
        skipped: str | None = None,
    ) -> None:
        """The report, filled here alone: the route and what the translate stage did, the QA
        findings of the localise stage, and what `pipeline status` says of the catalogue written."""
        stats = self.stats(locale)
        if route is not None:
            stats.model_id, stats.licence, stats.credits = route.model_id, route.licence, route.credits
        if translated is not None:
            stats.by_model, stats.from_memory, stats.untranslated = (
                translated.by_model,
                translated.from_memory,
                translated.untranslated,
            )
        if findings is not None:
            stats.findings = findings
        if status is not None:
            stats.findings, stats.reviewed, stats.edited = status.findings, status.reviewed, status.edited
        if skipped is not None:
            self.skipped.append(skipped)

    def stats(self, locale: str) -> LocaleStats:
        return self.locales.setdefault(locale, LocaleStats(locale))
