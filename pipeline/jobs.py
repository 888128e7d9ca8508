"""The runner: chains the stages in memory, caches each result in the work directory, holds no truth.

    segment → messages → plan (from the catalogue) → translate → localise → catalogue

`run_all` hands each stage's result to the next as a value; nothing is read back from disk. Each
result is also stored as a cache entry keyed by its inputs (see `cache`), so a stage whose inputs
did not change is skipped, and a stage run alone (`pipeline translate`, `localize`, `catalog`)
continues from what the previous one left. The catalogues alone decide who owns an entry, so
deleting the work directory costs translation time, never content. The model's raw output goes to
the SQLite memory batch by batch, so a killed run resumes where it stopped, and a run that needs
no new translation never loads a model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import cache as caching
from pipeline import localise
from pipeline.cache import Cache
from pipeline.catalog import catalogue as catalog
from pipeline.catalog import merge, poformat
from pipeline.catalog.entry import reviewed_texts
from pipeline.catalog.plan import Plan, make_plan
from pipeline.catalog.poreader import Parsed
from pipeline.config import Config, ModelSpec, parse_locale
from pipeline.errors import PipelineError
from pipeline.fsutil import check_plain_name
from pipeline.ingest import artefact_matcher, collect_sources, read_document
from pipeline.mt.licences import licence_notes
from pipeline.mt.route import check_route
from pipeline.ingest.sources import save_sources
from pipeline.memory import TranslationMemory
from pipeline.mt import translate_scored
from pipeline.model import Finding, Segment, Translation
from pipeline.mt.executors import LocalExecutor
from pipeline.mt.scoring import Scored
from pipeline.qa.checks import run_checks
from pipeline.qa.remembered import RememberedChecks, rules_key
from pipeline.segment.limits import check_sentence_lengths
from pipeline.segment.splitter import segment_document
from pipeline.translate import finish, translate_raw

SEGMENTER_VERSION = "3"  # bump when pipeline.segment rules change: the segments entry is rebuilt
CATALOGUE_VERSION = "1"  # bump when merge or the writers change: catalogues are merged again
TRANSLATE_VERSION = "2"  # 2: each translation carries the model's confidence
CHUNK = 32  # sentences per memory write: what a crash can cost


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


# --- segment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segmented:
    key: str  # of the sources' bytes and the segmenter's rules: every later key builds on it
    segments: tuple[Segment, ...]
    messages: tuple[catalog.Message, ...]


def stage_segment(sources: list[str | Path], paths: Paths, report: RunReport,
                  artefact_patterns: tuple[str, ...] = ()) -> list[Segment]:
    """`artefact_patterns`: regular expressions for more page-debris lines (besides the defaults)."""
    return list(segment_sources(sources, paths, report, artefact_patterns).segments)


def segment_sources(sources, paths: Paths, report: RunReport, artefact_patterns: tuple[str, ...] = ()) -> Segmented:
    artefacts = artefact_matcher(artefact_patterns)
    files = collect_sources(sources)
    payloads = [(f, name, f.read_bytes()) for f, name in files]
    key = caching.key(SEGMENTER_VERSION, list(artefact_patterns),
                      [(name, hashlib.sha256(data).hexdigest()) for _, name, data in payloads])
    store = Cache(paths.workdir)
    cached = store.get("segments", key)
    if cached is not None:
        report.skipped.append("segment")
        segments = [Segment(**s) for s in cached["segments"]]
    else:
        segments = []
        for f, name, data in payloads:
            doc = read_document(f, name, data, artefacts)
            found = list(segment_document(doc))
            check_sentence_lengths(doc, found, f)
            segments.extend(found)
        store.put("segments", key, {"documents": [name for _, name, _ in payloads],
                                    "segments": [s.to_dict() for s in segments]})
    save_sources(paths.artefact("sources"), key, payloads)  # what export rebuilds documents from
    report.documents = len(files)
    report.segments = len(segments)
    messages = catalog.collect_messages(segments)
    report.messages = len(messages)
    return Segmented(key, tuple(segments), tuple(messages))


def load_segmented(paths: Paths) -> Segmented:
    """What the last segment stage left, for a stage run alone."""
    data = Cache(paths.workdir).read("segments")
    if data is None:
        raise PipelineError("no segments.json in the work directory: run `pipeline segment SOURCES` first",
                            path=paths.artefact("segments"))
    segments = tuple(Segment(**s) for s in data["segments"])
    return Segmented(data["key"], segments, tuple(catalog.collect_messages(segments)))


def load_segments(paths: Paths) -> list[Segment]:
    return list(load_segmented(paths).segments)


# --- plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    key: str  # of what the plan says (see `_planned`)
    plan: Plan


def legacy_owned(paths: Paths, locale: str) -> dict[str, str] | None:
    """`owned-<locale>.json`, the ownership record of versions before digests (see `entry.owner`)."""
    path = paths.artefact(f"owned-{locale}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _plan_entry_key(segmented: Segmented, locale: str, paths: Paths) -> str:
    return caching.key(segmented.key, caching.file_digest(paths.po(locale)),
                       caching.file_digest(paths.artefact(f"owned-{locale}")))


def _planned(plan: Plan) -> Planned:
    """Keyed by what the plan says, not by the catalogue's bytes: a catalogue this stage rewrote
    without changing who owns what leads to the same translations and the same cache entries."""
    return Planned(caching.key(plan.to_dict()), plan)


class ParsedCatalogues:
    """Catalogues the plan parsed, held for the merge of the same run so a daily update parses
    each once; up to `budget` entries in all (some 4 kB each), beyond that they are read again."""

    def __init__(self, budget: int = 250_000):
        self.budget = budget
        self.held: dict[Path, tuple[str | None, Parsed]] = {}

    def read(self, path: Path, keep: bool = True) -> tuple[str | None, Parsed | None]:
        """(digest of the file's bytes, the catalogue parsed): the one held if the file has not
        changed since, else parsed now (and held, with `keep`, for a later read)."""
        digest = caching.file_digest(path)
        held = self.held.pop(path, None)
        parsed = held[1] if held is not None and held[0] == digest else catalog.read_catalogue(path)
        if keep and parsed is not None and \
                len(parsed.po) + sum(len(p.po) for _, p in self.held.values()) <= self.budget:
            self.held[path] = (digest, parsed)
        return digest, parsed


def plan_locale(segmented: Segmented, locale: str, paths: Paths, parsed: ParsedCatalogues | None = None) -> Planned:
    """Which messages the pipeline owns in `locale`'s catalogue; the catalogue is parsed only when
    it, or the messages, changed since the plan was cached."""
    store = Cache(paths.workdir)
    key = _plan_entry_key(segmented, locale, paths)
    cached = store.get(f"plan-{locale}", key)
    if cached is not None:
        return _planned(Plan.from_dict(cached))
    _, existing = (parsed or ParsedCatalogues(0)).read(paths.po(locale))
    plan = make_plan(existing.po if existing is not None else None, list(segmented.messages),
                     legacy_owned(paths, locale))
    store.put(f"plan-{locale}", key, plan.to_dict())
    return _planned(plan)


def remember_plan(segmented: Segmented, locale: str, paths: Paths, po) -> Planned:
    """The plan of the catalogue just written, from the merged entries in memory (no parse), so
    the next run need not read the file back to know what it owns."""
    plan = make_plan(po, list(segmented.messages), legacy_owned(paths, locale))
    Cache(paths.workdir).put(f"plan-{locale}", _plan_entry_key(segmented, locale, paths), plan.to_dict())
    return _planned(plan)


# --- translate -------------------------------------------------------------------------------


TranslatorFactory = Callable[[ModelSpec], object]


def _default_factory(spec: ModelSpec):
    from pipeline.mt import load_translator

    return load_translator(spec)


@dataclass(frozen=True)
class Raw:
    key: str
    outputs: dict[str, Scored]  # msgid -> the model's raw output and its confidence
    model_id: str


def stage_translate(config: Config, locale: str, segmented: Segmented, planned: Planned, paths: Paths,
                    report: RunReport, memory: TranslationMemory, executor, made: dict) -> Raw:
    """Raw machine translations for every message the pipeline owns in `locale`'s catalogue."""
    route = check_route(config.route_for(locale))
    stats = report.stats(locale)
    stats.model_id, stats.licence = route.model_id, route.licence
    stats.reviewed = planned.plan.kept
    key = translate_key(config, locale, planned)
    store = Cache(paths.workdir)
    cached = store.get(f"translate-{locale}", key)
    if cached is not None:
        report.skipped.append(f"translate {locale}")
        stats.from_memory = len(cached["translations"])
        return _raw(cached)
    # Incremental: a message the last result translated with the same route and settings keeps
    # that output, so a daily update prepares and looks up only the messages it has not seen.
    settings = caching.key(TRANSLATE_VERSION, route.settings_key(), route.tgt, config.glossary_key)
    previous = store.read(f"translate-{locale}")
    known = previous["translations"] if previous is not None and previous.get("settings") == settings else {}
    reused = {m: Scored(known[m]["mt"], known[m].get("confidence")) for m in planned.plan.todo if m in known}
    shared = made.setdefault((route.settings_key(), route.tgt), set())
    raw = translate_raw([m for m in planned.plan.todo if m not in reused], route, memory, executor, CHUNK, locale,
                        shared, config.glossary)
    outputs = {m: reused[m] if m in reused else raw.outputs[m]
               for m in planned.plan.todo if m in reused or m in raw.outputs}
    stats.by_model, stats.from_memory, stats.untranslated = raw.by_model, raw.from_memory + len(reused), raw.untranslated
    stamp = key if not raw.untranslated else caching.key(key, "incomplete")  # the next run retries the rest
    store.put(f"translate-{locale}", stamp, {"locale": locale, "model_id": route.model_id, "settings": settings,
                                             "translations": {m: {"mt": out.text, "confidence": out.confidence}
                                                              for m, out in outputs.items()}})
    return Raw(stamp, outputs, route.model_id)


def translate_key(config: Config, locale: str, planned: Planned) -> str:
    # tgt carries the script: zh_Hans and zh_Hant never share memory rows or cache entries
    route = config.route_for(locale)
    return caching.key(TRANSLATE_VERSION, planned.key, route.settings_key(), route.tgt, config.glossary_key)


def _raw(data: dict) -> Raw:
    outputs = {m: Scored(rec["mt"], rec.get("confidence")) for m, rec in data["translations"].items()}
    return Raw(data["key"], outputs, data["model_id"])


def translate_locales(config: Config, locales: list[str], paths: Paths, report: RunReport,
                      factory: TranslatorFactory = _default_factory, executor=None) -> None:
    """`pipeline translate`: the translate stage alone, from the segments the last segment stage left."""
    segmented = load_segmented(paths)
    with TranslationMemory(paths.workdir / "memory.sqlite") as memory, \
            (executor or LocalExecutor(factory)) as runner:
        made: dict = {}
        for locale in locales:
            stage_translate(config, locale, segmented, plan_locale(segmented, locale, paths), paths, report,
                            memory, runner, made)


# --- localise --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Localised:
    key: str
    translations: dict[str, Translation]


def localise_key(config: Config, locale: str, raw_key: str) -> str:
    return caching.key(raw_key, localise.VERSION, config.locale_options(locale).number_style, config.glossary_key)


def localise_locale(config: Config, locale: str, raw: Raw, paths: Paths, report: RunReport) -> Localised:
    """Spans put back, numbers and dates rendered for the locale, loops cut, QA findings attached.

    Incremental: an entry whose raw output, model and localise settings are those of the last
    result is taken from it, so a daily update re-renders only what changed."""
    options = config.locale_options(locale)
    key = localise_key(config, locale, raw.key)
    store = Cache(paths.workdir)
    stats = report.stats(locale)
    name = f"localize-{locale}"
    previous = store.read(name)
    if previous is not None and previous.get("key") == key:
        report.skipped.append(f"localize {locale}")
        stats.findings = previous.get("findings", 0)
        return Localised(key, _translations(previous))
    settings = caching.key(localise.VERSION, options.number_style, config.glossary_key, raw.model_id)
    reusable = previous["translations"] if previous is not None and previous.get("settings") == settings else {}
    translations = {}
    for msgid, out in raw.outputs.items():
        done = reusable.get(msgid)
        if done is not None and done.get("mt") == out.text and done.get("confidence") == out.confidence:
            translations[msgid] = _translation(msgid, done)
        else:
            translations[msgid] = finish(msgid, out.text, locale, options.number_style, raw.model_id,
                                         config.glossary, out.confidence)
    stats.findings = sum(len(t.findings) for t in translations.values())
    store.put(name, key, {"locale": locale, "findings": stats.findings, "settings": settings, "translations": {
        m: {"text": t.text, "mt": raw.outputs[m].text, "model_id": t.model_id, "confidence": t.confidence,
            "findings": [[f.check, f.message] for f in t.findings]}
        for m, t in translations.items()}})
    return Localised(key, translations)


def _translation(msgid: str, rec: dict) -> Translation:
    return Translation(msgid, rec["text"], "model", rec["model_id"], tuple(Finding(c, m) for c, m in rec["findings"]),
                       rec.get("confidence"))


def _translations(data: dict) -> dict[str, Translation]:
    return {msgid: _translation(msgid, rec) for msgid, rec in data["translations"].items()}


def stage_localize(config: Config, locale: str, paths: Paths, report: RunReport) -> None:
    """`pipeline localize`: the localise stage alone, from what the translate stage left."""
    data = Cache(paths.workdir).read(f"translate-{locale}")
    if data is None:
        raise PipelineError(f"no translate-{locale}.json in the work directory: run `pipeline translate --to {locale}` first",
                            path=paths.artefact(f"translate-{locale}"))
    localise_locale(config, locale, _raw(data), paths, report)


# --- catalogue -------------------------------------------------------------------------------


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
    options = {"purge_obsolete": options.get("purge_obsolete", False), "wrap": options.get("wrap", True),
               "project": repr(options.get("project"))}
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
    report.stats(locale).findings = stamp.get("findings", 0)
    return True


def catalogue_locale(locale: str, segmented: Segmented, localised: Localised, paths: Paths, *,
                     purge_obsolete: bool = False, wrap: bool = True,
                     project: catalog.ProjectId | None = None, parsed: ParsedCatalogues | None = None,
                     following: Callable[[Planned], str] | None = None) -> list[Path]:
    """Merge into `locale`'s catalogue and compile its .mo; returns the files changed.

    `following`: the localise key a run would compute from a plan. The merge itself changes who
    owns some entries (a reviewed similar source makes a new entry a person's), so the next run
    plans differently from this one, yet would merge to these same files: the stamp accepts its
    key too, and the run after a daily update is a no-change run."""
    po_path, mo_path = paths.po(locale), paths.mo(locale)
    digest, read = (parsed or ParsedCatalogues(0)).read(po_path, keep=False)  # the merge changes it
    existing = read.po if read is not None else None
    store = Cache(paths.workdir)
    known = _written_texts(store.read(f"catalogue-{locale}"), digest, read, wrap, "po")
    checked = store.get(f"checked-{locale}", rules_key())
    check = RememberedChecks(run_checks, checked["pairs"] if checked is not None else None)
    po = merge.merge_catalog(existing, list(segmented.messages), localised.translations, legacy_owned(paths, locale),
                             reviewed=reviewed_texts(existing), purge_obsolete=purge_obsolete, check=check)
    changed = []
    digests = [poformat.fields_digest(e) for e in po]
    if catalog.save_catalog(po_path, po, locale, existing, wrap, project, known, digests):
        changed.append(po_path)
    if catalog.save_mo(mo_path, po):
        changed.append(mo_path)
    replanned = remember_plan(segmented, locale, paths, po)
    options = {"purge_obsolete": purge_obsolete, "wrap": wrap, "project": project}
    findings = sum(len(t.findings) for t in localised.translations.values())
    if check.computed or checked is None or len(check.record()) != len(checked["pairs"]):
        store.put(f"checked-{locale}", rules_key(), {"pairs": check.record()})
    stamp = {"po": caching.file_digest(po_path), "mo": caching.file_digest(mo_path), "findings": findings,
             "wrap": wrap, "entries": digests}
    if following is not None and set(replanned.plan.todo) <= set(localised.translations):
        stamp["next"] = _catalogue_key(locale, segmented, following(replanned), paths, options)
    store.put(f"catalogue-{locale}", _catalogue_key(locale, segmented, localised.key, paths, options), stamp)
    return changed


def stage_catalog(locales: list[str], paths: Paths, report: RunReport, *, purge_obsolete: bool = False,
                  wrap: bool = True, project: catalog.ProjectId | None = None) -> list[Path]:
    """`pipeline catalog`: write the .pot and each locale's .po and .mo from what the stages left."""
    segmented = load_segmented(paths)
    changed = [paths.pot()] if write_template(segmented, paths, wrap, project) else []
    store = Cache(paths.workdir)
    for locale in locales:
        data = store.read(f"localize-{locale}")
        if data is None:
            raise PipelineError(f"no localize-{locale}.json in the work directory: run `pipeline localize --to {locale}` first",
                                path=paths.artefact(f"localize-{locale}"))
        report.stats(locale).findings = data.get("findings", 0)
        if not catalogue_is_current(locale, segmented, data["key"], paths, report,
                                    purge_obsolete=purge_obsolete, wrap=wrap, project=project):
            changed += catalogue_locale(locale, segmented, Localised(data["key"], _translations(data)), paths,
                                        purge_obsolete=purge_obsolete, wrap=wrap, project=project)
    return changed


# --- run -------------------------------------------------------------------------------------


def run_all(sources, locales, config: Config, paths: Paths, factory: TranslatorFactory = _default_factory,
            artefact_patterns: tuple[str, ...] = (), executor=None, **catalog_options) -> RunReport:
    """Every stage for every locale, each result handed on in memory."""
    report = RunReport()
    segmented = segment_sources(sources, paths, report, artefact_patterns)
    raws: dict[str, Raw] = {}
    complete: dict[str, bool] = {}  # every owned message translated: the next run's keys are predictable
    parsed = ParsedCatalogues()
    with TranslationMemory(paths.workdir / "memory.sqlite") as memory, \
            (executor or LocalExecutor(factory)) as runner:
        made: dict = {}
        for locale in locales:  # every translation first: a run killed on the way leaves the old catalogues
            planned = plan_locale(segmented, locale, paths, parsed)
            raws[locale] = stage_translate(config, locale, segmented, planned, paths, report, memory, runner, made)
            complete[locale] = raws[locale].key == translate_key(config, locale, planned)
    write_template(segmented, paths, catalog_options.get("wrap", True), catalog_options.get("project"))
    for locale, raw in raws.items():
        if not catalogue_is_current(locale, segmented, localise_key(config, locale, raw.key), paths, report,
                                    **catalog_options):
            localised = localise_locale(config, locale, raw, paths, report)

            def following(planned: Planned, locale=locale) -> str:
                return localise_key(config, locale, translate_key(config, locale, planned))

            catalogue_locale(locale, segmented, localised, paths, parsed=parsed,
                             following=following if complete[locale] else None, **catalog_options)
    return report
