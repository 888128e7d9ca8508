"""What `pipeline status` reads: each catalogue found, as this version reads it (an old work
directory's ownership records applied through the ledger, the one place that knows them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib

from pipeline.catalog.review_order import ReviewItem, review_items
from pipeline.catalog.status import LocaleStatus, catalog_status, project_catalogs, read_catalogs
from pipeline.layout import Paths
from pipeline.ledger import Ledger


def project_status(paths: Paths, locales: list[str] | None = None) -> dict[str, LocaleStatus]:
    """`pipeline status`: each catalogue's counts, read as this version reads it."""
    ledger = Ledger(paths.workdir)
    return {
        locale: catalog_status(locale, ledger.migrated(locale, po))
        for locale, (_, po) in read_catalogs(paths, locales).items()
    }


def project_review_items(paths: Paths, locales: list[str] | None = None) -> list[ReviewItem]:
    """Every machine translation awaiting review, in every catalogue asked for."""
    ledger = Ledger(paths.workdir)
    return [
        item
        for locale, (path, po) in read_catalogs(paths, locales).items()
        for item in review_items(path, locale, ledger.migrated(locale, po))
    ]


def catalogs_status(
    paths: Paths, locales: list[str] | None = None, found: dict[str, list[str]] | None = None
) -> dict[str, dict[str, LocaleStatus]]:
    """`pipeline status` over every catalogue found (per-document, per-folder): domain → locale → counts."""
    counted: dict[str, dict[str, LocaleStatus]] = {}
    for domain, locale, _, po in catalogs_read(paths, locales, found):
        counted.setdefault(domain, {})[locale] = catalog_status(locale, po)
    return counted


def catalogs_review_items(
    paths: Paths, locales: list[str] | None = None, found: dict[str, list[str]] | None = None
) -> list[ReviewItem]:
    """Every machine translation awaiting review in every catalogue found, each naming its file."""
    return [
        item for _, locale, path, po in catalogs_read(paths, locales, found) for item in review_items(path, locale, po)
    ]


def catalogs_read(
    paths: Paths, locales: list[str] | None, found: dict[str, list[str]] | None
) -> Iterator[tuple[str, str, Path, polib.POFile]]:
    """`status.project_catalogs`, each read as this version reads it: only the one catalogue of the
    single layout can have an old ownership record to apply."""
    ledger = Ledger(paths.workdir)
    for domain, locale, path, po in project_catalogs(paths, locales, found):
        yield domain, locale, path, ledger.migrated(locale, po) if domain == paths.domain else po
