"""How far review has come, per locale, read from the catalogues themselves (what reviewers edit)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.entry import State, noted_findings, state
from pipeline.catalog.pofile import read_locale
from pipeline.catalog.review_order import entry_confidence
from pipeline.errors import PipelineError
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

    def line(self, label: str | None = None) -> str:
        """One line of `pipeline status`, headed by `label` (default: the locale)."""
        return (
            f"{label or self.locale}: {self.total} entries, {self.reviewed} reviewed ({self.percent(self.reviewed)}%), "
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


def summed(locale: str, statuses: list[LocaleStatus]) -> LocaleStatus:
    """One locale's counts over all its catalogues (per-document or per-folder ones)."""
    return LocaleStatus(
        locale=locale,
        total=sum(s.total for s in statuses),
        reviewed=sum(s.reviewed for s in statuses),
        fuzzy=sum(s.fuzzy for s in statuses),
        untranslated=sum(s.untranslated for s in statuses),
        obsolete=sum(s.obsolete for s in statuses),
        qa_findings=sum(s.qa_findings for s in statuses),
        confidences=tuple(c for s in statuses for c in s.confidences),
        edited=sum(s.edited for s in statuses),
    )


def read_catalogs(paths: Paths, locales: list[str] | None = None) -> dict[str, tuple[Path, polib.POFile]]:
    """locale → (path, catalogue), for the locales named or every catalogue found."""
    out = {}
    for locale in locales or paths.found_locales():
        out[locale] = (paths.po(locale), read_locale(paths, locale))
    return out


def catalogs_found(paths: Paths, locales: list[str] | None = None) -> dict[str, list[str]]:
    """domain → the locales (of `locales`, or every locale folder) holding its catalogue, for every
    catalogue on disk, nested ones included (per-document and per-folder layouts), domains sorted."""
    chosen = locales if locales is not None else paths.found_locales_any_domain()
    found: dict[str, list[str]] = {}
    for locale in chosen:
        for domain in paths.found_catalogs(locale):
            found.setdefault(domain, []).append(locale)
    return dict(sorted(found.items()))


def one_catalog(found: dict[str, list[str]], paths: Paths) -> bool:
    """Whether the project keeps one catalogue per locale, `paths.domain` (or none yet): then the
    commands answer as they always have, byte for byte."""
    return set(found) <= {paths.domain}


def project_catalogs(
    paths: Paths, locales: list[str] | None = None, found: dict[str, list[str]] | None = None
) -> Iterator[tuple[str, str, Path, polib.POFile]]:
    """(domain, locale, path, catalogue) for every catalogue found (`found`: what `catalogs_found`
    gave for every locale, so the folder is not searched again), one read at a time (an archive's
    catalogues are not all held at once); a locale named in `locales` with no catalogue at all is
    an error before any is read, as in `read_catalogs`."""
    if found is None:
        found = catalogs_found(paths, locales)
    elif locales is not None:
        found = {domain: [locale for locale in have if locale in locales] for domain, have in found.items()}
        found = {domain: have for domain, have in found.items() if have}
    for locale in locales or []:
        if not any(locale in have for have in found.values()):
            folder = paths.po(locale).parent
            raise PipelineError(
                f"no catalogue for {locale}: run `pipeline run SOURCES --to {locale}` first", path=folder
            )
    for domain, have in found.items():
        for locale in have:
            one = paths.for_domain(domain)
            yield domain, locale, one.po(locale), read_locale(one, locale)


def by_locale(found: dict[str, dict[str, LocaleStatus]]) -> dict[str, dict[str, LocaleStatus]]:
    """locale → domain → counts, locales sorted, from `jobs.status.catalogs_status`'s domain → locale."""
    out: dict[str, dict[str, LocaleStatus]] = {}
    for domain, statuses in found.items():
        for locale, status in statuses.items():
            out.setdefault(locale, {})[domain] = status
    return dict(sorted(out.items()))


def catalogs_lines(found: dict[str, dict[str, LocaleStatus]]) -> list[str]:
    """`pipeline status` of a project with several catalogues: per locale, its sum over every
    catalogue, then one indented line per catalogue (domain order)."""
    lines = []
    for locale, statuses in by_locale(found).items():
        lines.append(summed(locale, list(statuses.values())).line() + f", in {len(statuses)} catalogue(s)")
        lines += ["  " + status.line(domain) for domain, status in statuses.items()]
    return lines


def catalogs_json(found: dict[str, dict[str, LocaleStatus]]) -> dict:
    """`pipeline status --json` of a project with several catalogues: each catalogue's counts per
    locale under `catalogues`, and each locale's sum under `locales`."""
    return {
        "catalogues": {domain: {k: v.to_dict() for k, v in statuses.items()} for domain, statuses in found.items()},
        "locales": {
            locale: summed(locale, list(statuses.values())).to_dict() for locale, statuses in by_locale(found).items()
        },
    }
