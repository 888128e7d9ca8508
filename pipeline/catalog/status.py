"""How far review has come, per locale, read from the catalogues themselves (what reviewers edit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalog.catalogue import read_po
from pipeline.catalog.entry import QA_COMMENT, is_fuzzy, is_translated
from pipeline.catalog.review_order import ReviewItem, entry_confidence, machine_made, review_items
from pipeline.errors import PipelineError
from pipeline.layout import Paths


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    total: int  # live entries (not obsolete)
    reviewed: int
    fuzzy: int  # machine-translated or suggested, waiting for review
    untranslated: int
    obsolete: int
    qa_findings: int  # `#. qa:` lines on entries awaiting review (a reviewed text replaced what they were about)
    confidences: tuple[float, ...] = ()  # of the machine translations awaiting review that carry one

    def percent(self, count: int) -> float:
        return round(100.0 * count / self.total, 1) if self.total else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["locale"], data["confidences"]
        data["percent"] = {k: self.percent(data[k]) for k in ("reviewed", "fuzzy", "untranslated")}
        data["confidence"] = None
        if self.confidences:
            data["confidence"] = {"mean": round(sum(self.confidences) / len(self.confidences), 2),
                                  "lowest": min(self.confidences), "scored": len(self.confidences)}
        return data

    def line(self) -> str:
        return (f"{self.locale}: {self.total} entries, {self.reviewed} reviewed ({self.percent(self.reviewed)}%), "
                f"{self.fuzzy} fuzzy ({self.percent(self.fuzzy)}%), "
                f"{self.untranslated} untranslated ({self.percent(self.untranslated)}%), "
                f"{self.obsolete} obsolete, {self.qa_findings} QA findings"
                + (f", lowest confidence {min(self.confidences):.2f}" if self.confidences else ""))


def catalog_status(locale: str, po: polib.POFile) -> LocaleStatus:
    live = [e for e in po if not e.obsolete and e.msgid]
    fuzzy = [e for e in live if is_translated(e) and is_fuzzy(e)]
    untranslated = [e for e in live if not is_translated(e)]
    findings = sum(1 for e in fuzzy for line in e.comment.split("\n") if line.startswith(QA_COMMENT + ":"))
    return LocaleStatus(
        locale=locale,
        total=len(live),
        reviewed=len(live) - len(fuzzy) - len(untranslated),
        fuzzy=len(fuzzy),
        untranslated=len(untranslated),
        obsolete=sum(1 for e in po if e.obsolete),
        qa_findings=findings,
        confidences=tuple(c for e in fuzzy if machine_made(e) and (c := entry_confidence(e)) is not None),
    )


def find_locales(locales_dir: Path, domain: str) -> list[str]:
    """Every LOCALE with a LOCALE/LC_MESSAGES/DOMAIN.po, sorted."""
    return Paths(Path(), locales_dir, domain).found_locales()


def read_catalogues(locales_dir: Path, domain: str, locales: list[str] | None = None) -> dict[str, tuple[Path, polib.POFile]]:
    """locale → (path, catalogue), for the locales named or every catalogue found."""
    out = {}
    for locale in locales or find_locales(locales_dir, domain):
        path = Paths(Path(), locales_dir, domain).po(locale)
        po = read_po(path)
        if po is None:
            raise PipelineError(f"no catalogue for {locale}: run `pipeline run SOURCES --to {locale}` first", path=path)
        out[locale] = (path, po)
    return out


def project_status(locales_dir: Path, domain: str, locales: list[str] | None = None) -> dict[str, LocaleStatus]:
    return {locale: catalog_status(locale, po) for locale, (_, po) in read_catalogues(locales_dir, domain, locales).items()}


def project_review_items(locales_dir: Path, domain: str, locales: list[str] | None = None) -> list[ReviewItem]:
    """Every machine translation awaiting review, in every catalogue asked for."""
    return [item for locale, (path, po) in read_catalogues(locales_dir, domain, locales).items()
            for item in review_items(path, locale, po)]
