"""A set of catalogues: one per document or per top-level folder (`--catalogs per-document`,
`per-folder`), as Sphinx's gettext builder and `sphinx-intl` keep them.

The runner's chain (segment → plan → translate → localise → merge, and the template) runs for
each catalogue over that catalogue's sources alone, with a sub-ledger of its own (see
`ledger.Ledger.for_domain`); an unchanged catalogue is skipped from one index of the whole set
(see `catalog_index`), and the new sentences of every stale catalogue are translated together.
The translation memory stays one per project. Names that collide or cannot name a catalogue are
refused before any work (see `layout.assign_domains`). A catalogue whose sources are gone is
retired: its entries become obsolete (reviewed text kept for reviewers and for other catalogues)
and its `.mo` and template are removed, or, with `--purge-obsolete`, its files are removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pipeline import ledger as entries
from pipeline.catalog import pofile
from pipeline.errors import PipelineError
from pipeline.fsutil import catalog_lock
from pipeline.jobs import catalog_stage
from pipeline.jobs.catalog_index import replayed, settled, still_settled
from pipeline.jobs.segment_stage import read_payloads, segment_key
from pipeline.jobs.translate_stage import CHUNK
from pipeline.layout import CATALOGUE_FOLDER, SINGLE, assign_domains
from pipeline.ledger import CatalogSet, SetStamp
from pipeline.mt.route import check_route
from pipeline.translate import translate_raw


def run(runner, sources, locales: list[str]):
    """`pipeline run --catalogs per-document|per-folder`: every stage, catalogue by catalogue.

    A catalogue the index finds settled with these sources and settings, its files byte for byte
    what the last run left, is skipped without reading its sub-ledger or parsing anything; the
    new sentences of the others are translated together (see `translate_together`), then each is
    merged and written."""
    files = runner.collect(sources)
    domains = assign_domains(files, runner.layout, runner.paths.domain)  # refusals before any work
    runner.paths.check_inside(locales, list(domains))
    pofile.source_date()  # a malformed SOURCE_DATE_EPOCH, too
    by_name = {name: file for file, name in files}
    settings = {locale: runner.settings_key(locale) for locale in locales}
    routes = {locale: runner.config.route_for(locale) for locale in locales}
    now = time.time_ns()
    with catalog_lock(runner.paths.locales_dir):
        previous = runner.ledger.catalog_set()
        known = previous.stamps if previous is not None and previous.layout == runner.layout else {}
        stamps: dict[str, SetStamp] = {}
        prepared = {}
        # a review changed somewhere: each catalogue is checked against its own stamp, whose key
        # holds what the others approved for its machine entries (see `jobs.reviewed_stage`)
        moved = any([runner.reviews_moved(locale) for locale in locales])
        for domain, names in domains.items():
            payloads = read_payloads([(by_name[name], name) for name in names])
            key = segment_key(payloads, runner.artefact_patterns)
            stamp = known.get(domain)
            checked = (
                None if moved else still_settled(runner.paths.catalog_files(domain, locales), stamp, key, settings, now)
            )
            if checked is not None:
                runner.report.absorb(replayed(checked, locales, routes, payloads))
                stamps[domain] = checked
                continue
            with runner.in_domain(domain):
                prepared[domain] = runner.prepare(payloads, locales, translate=False)
        translate_together(runner, prepared.values())
        for domain, ready in prepared.items():
            with runner.in_domain(domain):
                runner.finish(ready)
                documents = len(domains[domain])
                stamp = settled(runner, ready.segmented, locales, known.get(domain), documents, time.time_ns())
            if stamp is not None:
                stamps[domain] = stamp
        index = CatalogSet(runner.layout, domains, stamps)
        if index != previous:
            runner.ledger.put_catalog_set(index)
        retire_orphans(runner, domains, previous)
    runner.report.count_skipped(len(domains))
    return runner.report


def translate_together(runner, prepared) -> None:
    """Every pending catalogue's new sentences of a locale translated in one call (into the
    memory), so a first build batches across documents as a single catalogue does."""
    todo: dict[str, dict[str, None]] = {}
    pending = [ready for ready in prepared if ready.pending]
    if len(pending) < 2:
        return
    for ready in pending:
        for locale, (_, planned, _, _) in ready.pending.items():
            todo.setdefault(locale, {}).update(dict.fromkeys(planned.plan.todo))
    for locale, msgids in todo.items():
        if msgids:
            route = check_route(runner.config.route_for(locale))
            made = runner.made_for(route)
            translate_raw(
                list(msgids), route, runner.memory(), runner.executor, CHUNK, locale, made, runner.config.glossary
            )


def segment(runner, sources) -> None:
    """`pipeline segment --catalogs per-document|per-folder`: each catalogue's sentences."""
    files = runner.collect(sources)
    domains = assign_domains(files, runner.layout, runner.paths.domain)
    by_name = {name: file for file, name in files}
    for domain, names in domains.items():
        with runner.in_domain(domain):
            runner.segment_payloads(read_payloads([(by_name[name], name) for name in names]))
    previous = runner.ledger.catalog_set()
    kept = previous.stamps if previous is not None and previous.layout == runner.layout else {}
    runner.ledger.put_catalog_set(CatalogSet(runner.layout, domains, {d: kept[d] for d in domains if d in kept}))
    runner.report.count_skipped(len(domains))


def each_domain(runner, stage: Callable[[], object]) -> None:
    """A stage run alone (`translate`, `localize`), for every catalogue the last segment stage left."""
    found = left_set(runner)
    for domain in found.domains:
        with runner.in_domain(domain):
            stage()
    runner.report.count_skipped(len(found.domains))


def catalog(runner, locales: list[str]) -> list[Path]:
    """`pipeline catalog --catalogs per-document|per-folder`: every catalogue of the set; every
    catalogue's stage results are checked before the first write."""
    found = left_set(runner)
    runner.paths.check_inside(locales, list(found.domains))
    pofile.source_date()
    changed: list[Path] = []
    with catalog_lock(runner.paths.locales_dir):
        for domain in found.domains:
            with runner.in_domain(domain):
                runner.segmented()
                runner.stages_left(locales)
        for domain in found.domains:
            with runner.in_domain(domain):
                changed += runner.catalog_files(locales)
        changed += retire_orphans(runner, found.domains, found)
    runner.report.count_skipped(len(found.domains))
    return changed


def left_set(runner) -> CatalogSet:
    """The set the last segment stage left, in the layout asked for."""
    found = runner.ledger.catalog_set()
    if found is None or found.layout != runner.layout:
        said = "did not group the sources" if found is None else f"grouped the sources --catalogs {found.layout}"
        raise PipelineError(
            f"the last segment stage {said}: run `pipeline segment --catalogs {runner.layout} SOURCES` first"
            + (f", or pass --catalogs {found.layout}" if found is not None else ""),
            path=runner.ledger.file(entries.CATALOG_SET),
        )
    return found


def check_single(runner) -> None:
    """A stage run alone with one catalogue, after a segment stage that grouped the sources otherwise."""
    found = runner.ledger.catalog_set()
    if found is not None and found.layout != SINGLE:
        raise PipelineError(
            f"the last segment stage grouped the sources --catalogs {found.layout}: pass the same "
            "--catalogs, or run `pipeline segment SOURCES` first",
            path=runner.ledger.file(entries.CATALOG_SET),
        )


def orphans(runner, current, previous: CatalogSet | None) -> list[str]:
    """The catalogues this project wrote that no source leads to any more: with a set, every
    template in the catalogue folder (the set owns the folder) and the catalogues of the last set;
    with one catalogue, the last set's alone (other domains in the folder are another project's)."""
    found = set(previous.domains) if previous is not None else set()
    if runner.layout != SINGLE:
        found.update(runner.paths.found_templates())
    return sorted(found - set(current))


def retire_orphans(runner, current, previous: CatalogSet | None) -> list[Path]:
    """Retire each orphaned catalogue (see `orphans`), after every current catalogue was merged
    (so their merges could still read its reviewed text); returns the files written or removed."""
    changed: list[Path] = []
    locales = runner.paths.found_locales_any_domain()
    for domain in orphans(runner, current, previous):
        paths = runner.paths.for_domain(domain)
        for locale in locales:
            changed += retire_catalog(runner, paths, locale)
        if paths.pot().is_file():
            paths.pot().unlink()
            changed.append(paths.pot())
        remove_empty_folders(paths.pot().parent, Path(paths.locales_dir))
        retired = runner.ledger.for_domain(domain)
        retired.clear()
        remove_empty_folders(retired.workdir, runner.ledger.workdir)
    return changed


def retire_catalog(runner, paths, locale: str) -> list[Path]:
    """One orphaned catalogue: its entries obsolete (or the file removed with --purge-obsolete),
    and its .mo removed, so a site loads no text of sources that are gone."""
    po, mo = paths.po(locale), paths.mo(locale)
    changed: list[Path] = []
    if po.is_file():
        if runner.options.purge_obsolete:
            po.unlink()
            changed.append(po)
            runner.wrote_catalog(locale, paths.domain, None, None)
        else:
            file = runner.catalogs.read(po)
            merged = catalog_stage.merge(
                locale, file.parsed(), file.text, [], {}, runner.options, None, None, str(po), mo.name
            )
            if merged.rendered.text is not None:
                changed.append(po)
            digest = runner.write_file(file, merged.rendered.text)
            runner.wrote_catalog(locale, paths.domain, digest, merged.po)  # the next run parses it no more
    if mo.is_file():
        mo.unlink()
        changed.append(mo)
    remove_empty_folders(po.parent, Path(paths.locales_dir) / locale / CATALOGUE_FOLDER)
    return changed


def remove_empty_folders(folder: Path, root: Path) -> None:
    """`folder` and its parents up to (not including) `root`, while they are empty: a nested
    catalogue's folders go with it."""
    folder, root = Path(folder), Path(root)
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
