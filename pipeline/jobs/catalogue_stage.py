"""The catalogue stage: the .pot, and each locale's .po merged with reviewers' work and its .mo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline import cache as caching
from pipeline.cache import Cache
from pipeline.catalog import catalogue as catalog
from pipeline.catalog import merge, poformat
from pipeline.catalog.entry import QA_COMMENT, reviewed_texts, ships
from pipeline.catalog.poreader import Parsed
from pipeline.catalog.status import catalog_status
from pipeline.errors import PipelineError
from pipeline.jobs.localise_stage import Localised, cached_translations
from pipeline.jobs.plan_stage import ParsedCatalogues, Planned, legacy_owned, remember_plan
from pipeline.jobs.report import RunReport
from pipeline.jobs.segment_stage import Segmented, load_segmented
from pipeline.layout import Paths
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.qa.remembered import RememberedChecks, rules_key
from pipeline.qa.shipping import shipping_problem

CATALOGUE_VERSION = "2"  # bump when merge or the writers change: catalogues are merged again (2: a person's
# fuzzy edit is checked as it reads, with the glossary)


def _written_texts(stamp: dict | None, digest: str | None, read: Parsed | None, wrap: bool,
                   name: str) -> dict[str, str] | None:
    """When the file read is byte for byte this stage's last write (`stamp`), with the same
    layout: each entry's text by the digest of the fields it was written from, so entries that
    did not change are copied instead of formatted again (see `poformat.format_entries`)."""
    if read is None or stamp is None or stamp.get(name) != digest or stamp.get("wrap") != wrap:
        return None
    written = stamp.get("entries")
    return dict(zip(written, read.blocks)) if isinstance(written, list) and len(written) == len(read.blocks) else None


def write_template(segmented: Segmented, paths: Paths, wrap: bool, project: catalog.ProjectId | None = None) -> bool:
    """The .pot, rendered only when the messages changed or the file is not what was last written."""
    store = Cache(paths.workdir)
    key = caching.key(segmented.key, CATALOGUE_VERSION, wrap, repr(project))
    last = store.read("template")
    digest = caching.file_digest(paths.pot())
    if last is not None and last.get("key") == key and last.get("pot") == digest:
        return False
    ours = last is not None and last.get("pot") == digest and digest is not None
    read = catalog.read_catalogue(paths.pot()) if ours else None  # else only its header matters
    template = catalog.build_template(list(segmented.messages))
    digests = [poformat.fields_digest(e) for e in template]
    changed = catalog.save_catalog(paths.pot(), template, None,
                                   read.po if read is not None else catalog.read_header(paths.pot()), wrap=wrap,
                                   project=project, known=_written_texts(last, digest, read, wrap, "pot"),
                                   digests=digests)
    store.put("template", key, {"pot": caching.file_digest(paths.pot()), "wrap": wrap, "entries": digests})
    return changed


def _catalogue_key(locale: str, segmented: Segmented, localised_key: str, paths: Paths, options: dict) -> str:
    glossary = options.get("glossary")
    options = {"purge_obsolete": options.get("purge_obsolete", False), "wrap": options.get("wrap", True),
               "project": repr(options.get("project")), "glossary": glossary.digest if glossary is not None else None}
    return caching.key(segmented.key, localised_key, CATALOGUE_VERSION, sorted(options.items()),
                       caching.file_digest(paths.artefact(f"owned-{locale}")))


def catalogue_is_current(locale: str, segmented: Segmented, localised_key: str, paths: Paths, report: RunReport,
                         **options) -> bool:
    """True when `locale`'s catalogue and .mo are byte for byte what this stage last wrote from the
    same messages and translations: then nothing needs parsing, merging or rendering."""
    stamp = Cache(paths.workdir).read(f"catalogue-{locale}")
    wanted = _catalogue_key(locale, segmented, localised_key, paths, options)
    if stamp is None or wanted not in (stamp.get("key"), stamp.get("next")) or stamp.get("po") != caching.file_digest(paths.po(locale)) or \
            stamp.get("mo") != caching.file_digest(paths.mo(locale)):
        return False
    report.skipped.append(f"catalog {locale}")
    stats = report.stats(locale)
    stats.findings, stats.reviewed, stats.edited = stamp.get("findings", 0), stamp.get("reviewed", 0), stamp.get("edited", 0)
    return True


def catalogue_locale(locale: str, segmented: Segmented, localised: Localised, paths: Paths, *,
                     purge_obsolete: bool = False, wrap: bool = True,
                     project: catalog.ProjectId | None = None, parsed: ParsedCatalogues | None = None,
                     following: Callable[[Planned], str] | None = None, glossary=None,
                     report: RunReport | None = None) -> list[Path]:
    """Merge into `locale`'s catalogue and compile its .mo; returns the files changed. An approved
    entry whose placeholders or markup differ from its source stays out of the .mo, with a
    warning in `report` naming its line (see `qa.shipping`).

    `following`: the localise key a run would compute from a plan. The merge itself changes who
    owns some entries (a reviewed similar source makes a new entry a person's), so the next run
    plans differently from this one, yet would merge to these same files: the stamp accepts its
    key too, and the run after a daily update is a no-change run."""
    po_path, mo_path = paths.po(locale), paths.mo(locale)
    digest, read = (parsed or ParsedCatalogues(0)).read(po_path, keep=False)  # the merge changes it
    existing = read.po if read is not None else None
    store = Cache(paths.workdir)
    known = _written_texts(store.read(f"catalogue-{locale}"), digest, read, wrap, "po")
    context = CheckContext(locale, glossary)
    checked = store.get(f"checked-{locale}", rules_key(context))
    check = RememberedChecks(lambda source, text: run_checks(source, text, context=context),
                             checked["pairs"] if checked is not None else None)
    legacy = legacy_owned(paths, locale)
    po = merge.merge_catalog(existing, list(segmented.messages), localised.translations, legacy,
                             reviewed=reviewed_texts(existing), purge_obsolete=purge_obsolete, check=check)
    changed = []
    digests = [poformat.fields_digest(e) for e in po]
    if catalog.save_catalog(po_path, po, locale, existing, wrap, project, known, digests):
        changed.append(po_path)
    held = held_back(po)
    if catalog.save_mo(mo_path, po, lambda e: ships(e) and id(e) not in held):
        changed.append(mo_path)
    if held and report is not None:
        report.warnings += _held_back_warnings(po_path, mo_path, po, held)
    replanned = remember_plan(segmented, locale, paths, po)
    options = {"purge_obsolete": purge_obsolete, "wrap": wrap, "project": project, "glossary": glossary}
    status = catalog_status(locale, po, legacy)  # the summary says what `pipeline status` will
    if report is not None:
        stats = report.stats(locale)
        stats.findings, stats.reviewed, stats.edited = status.qa_findings, status.reviewed, status.edited
    if check.computed or checked is None or len(check.record()) != len(checked["pairs"]):
        store.put(f"checked-{locale}", rules_key(context), {"pairs": check.record()})
    stamp = {"po": caching.file_digest(po_path), "mo": caching.file_digest(mo_path), "findings": status.qa_findings,
             "reviewed": status.reviewed, "edited": status.edited,
             "wrap": wrap, "entries": digests}
    if following is not None and set(replanned.plan.todo) <= set(localised.translations):
        stamp["next"] = _catalogue_key(locale, segmented, following(replanned), paths, options)
    store.put(f"catalogue-{locale}", _catalogue_key(locale, segmented, localised.key, paths, options), stamp)
    return changed


def held_back(po) -> dict[int, str]:
    """id → why, for approved entries that must not go into the .mo. The merge has just checked
    every approved entry (its `qa:` notes): only those with a placeholders or markup note, and
    plural entries (checked form by form), are looked at again."""
    suspect = (f"{QA_COMMENT}: placeholders:", f"{QA_COMMENT}: markup:")
    held = {}
    for e in po:
        if ships(e) and (e.msgid_plural or any(note in e.comment for note in suspect)):
            problem = shipping_problem(e)
            if problem is not None:
                held[id(e)] = problem
    return held


def _held_back_warnings(po_path: Path, mo_path: Path, po, held: dict[int, str]) -> list[str]:
    """Warnings naming each held entry's line in the catalogue as written (read back: rare)."""
    written = catalog.read_catalogue(po_path)
    lines = {(e.msgctxt, e.msgid): e.linenum for e in written.po} if written is not None else {}
    return [f"{po_path}:{lines.get((e.msgctxt, e.msgid), '?')}: left out of {mo_path.name}: {held[id(e)]}"
            for e in po if id(e) in held]


def stage_catalog(locales: list[str], paths: Paths, report: RunReport, *, purge_obsolete: bool = False,
                  wrap: bool = True, project: catalog.ProjectId | None = None, glossary=None) -> list[Path]:
    """`pipeline catalog`: write the .pot and each locale's .po and .mo from what the stages left."""
    paths.check_inside(locales)
    catalog.source_date()  # a malformed SOURCE_DATE_EPOCH fails before any write
    segmented = load_segmented(paths)
    changed = [paths.pot()] if write_template(segmented, paths, wrap, project) else []
    store = Cache(paths.workdir)
    for locale in locales:
        data = store.read(f"localize-{locale}")
        if data is None:
            raise PipelineError(f"no localize-{locale}.json in the work directory: run `pipeline localize --to {locale}` first",
                                path=paths.artefact(f"localize-{locale}"))
        report.stats(locale).findings = data.get("findings", 0)
        if not catalogue_is_current(locale, segmented, data["key"], paths, report, purge_obsolete=purge_obsolete,
                                    wrap=wrap, project=project, glossary=glossary):
            changed += catalogue_locale(locale, segmented, Localised(data["key"], cached_translations(data)), paths,
                                        purge_obsolete=purge_obsolete, wrap=wrap, project=project,
                                        glossary=glossary, report=report)
    return changed
