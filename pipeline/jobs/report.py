"""What a run is given and what it tells: the project's paths, and the summary per locale."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import parse_locale
from pipeline.fsutil import check_plain_name
from pipeline.mt.licences import licence_notes


@dataclass
class Paths:
    workdir: Path
    locales_dir: Path
    domain: str

    def __post_init__(self):
        check_plain_name(self.domain, "gettext domain")  # it names output files

    def artefact(self, name: str) -> Path:
        return self.workdir / f"{name}.json"

    def pot(self) -> Path:
        return self.locales_dir / f"{self.domain}.pot"

    def po(self, locale: str) -> Path:
        return self.locales_dir / check_plain_name(locale, "locale") / "LC_MESSAGES" / f"{self.domain}.po"

    def mo(self, locale: str) -> Path:
        return self.po(locale).with_suffix(".mo")


@dataclass
class LocaleStats:
    locale: str
    model_id: str = ""
    licence: str = ""  # the route's licence(s), SPDX ids
    by_model: int = 0
    from_memory: int = 0
    reviewed: int = 0
    findings: int = 0
    untranslated: int = 0  # in batches that failed for good on a cluster; the next run retries them

    def line(self) -> str:
        return (f"{self.locale}: {self.by_model} translated by {self.model_id or 'no model'}, "
                f"{self.from_memory} reused from memory, {self.reviewed} reviewed kept, {self.findings} QA findings"
                + (f", {self.untranslated} left untranslated (failed batches)" if self.untranslated else ""))


@dataclass
class RunReport:
    documents: int = 0
    segments: int = 0
    messages: int = 0
    skipped: list[str] = field(default_factory=list)
    locales: dict[str, LocaleStats] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the sources, then one per locale."""
        lines = [f"{self.segments} segments ({self.messages} unique) from {self.documents} document(s)"]
        return "\n".join(lines + [s.line() for s in self.locales.values()] + licence_notes(self.locales.values()))

    def stats(self, locale: str) -> LocaleStats:
        return self.locales.setdefault(locale, LocaleStats(locale))


def normalise_locales(names: list[str]) -> list[str]:
    out = []
    for name in names:
        locale = str(parse_locale(name.strip()))
        if locale not in out:
            out.append(locale)
    return out
