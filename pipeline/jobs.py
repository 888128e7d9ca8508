"""The staged runner: segment → translate → localize → catalog over a work directory.

Each stage writes one JSON artefact into the work directory, stamped with a key derived from its
inputs and settings; a stage whose key did not change is skipped. Translations go to the SQLite
memory batch by batch, so a killed run resumes where it stopped, and a run that needs no new
translation never loads a model.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog import catalogue as catalog, merge
from pipeline.qa import checks as qa
from pipeline.config import SOURCE_LANGUAGE, Config, ModelSpec, parse_locale
from pipeline.errors import PipelineError
from pipeline.fsutil import check_plain_name, write_atomic
from pipeline.ingest import artefact_matcher, collect_sources, read_document
from pipeline.segment.limits import check_sentence_lengths
from pipeline.localise.loops import cut_loop
from pipeline.localise.markup import restore_placeholders, strip_placeholders
from pipeline.memory import TranslationMemory
from pipeline.mt.licences import licence_notes
from pipeline.mt.route import check_route, route_translator
from pipeline.model import Finding, Segment, Translation
from pipeline.localise.numbers import localise_numbers, prepare_for_model
from pipeline.localise.spans import restore_spans
from pipeline.segment.splitter import segment_document
from pipeline.ingest.sources import save_sources

SEGMENTER_VERSION = "2"  # bump when pipeline.segment rules change: old segments.json is rebuilt
LOCALISER_VERSION = "5"  # 2: spans restored, dates; 3: looping output cut off; 4: markup; 5: URLs beside Chinese
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


@dataclass
class RunReport:
    documents: int = 0
    segments: int = 0
    messages: int = 0
    skipped: list[str] = field(default_factory=list)
    locales: dict[str, LocaleStats] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.segments} segments ({self.messages} unique) from {self.documents} document(s)"]
        for s in self.locales.values():
            parts.append(
                f"{s.locale}: {s.by_model} translated by {s.model_id or 'no model'}, "
                f"{s.from_memory} reused from memory, {s.reviewed} reviewed kept, {s.findings} QA findings"
                + (f", {s.untranslated} left untranslated (failed batches)" if s.untranslated else "")
            )
        return "; ".join(parts + licence_notes(self.locales.values()))


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _load(path: Path, stage_hint: str) -> dict:
    if not path.exists():
        raise PipelineError(f"no {path.name} in the work directory: run `pipeline {stage_hint}` first", path=path)
    return json.loads(path.read_text(encoding="utf-8"))


def _fresh(path: Path, key: str) -> bool:
    if not path.exists():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("key") == key
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False  # a damaged artefact is simply rebuilt


def _save(path: Path, data: dict) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def normalise_locales(names: list[str]) -> list[str]:
    out = []
    for name in names:
        locale = str(parse_locale(name.strip()))
        if locale not in out:
            out.append(locale)
    return out


# --- segment ---------------------------------------------------------------------------------


def stage_segment(
    sources: list[str | Path], paths: Paths, report: RunReport, artefact_patterns: tuple[str, ...] = ()
) -> list[Segment]:
    """`artefact_patterns`: regular expressions for more page-debris lines (besides the defaults)."""
    artefacts = artefact_matcher(artefact_patterns)
    files = collect_sources(sources)
    payloads = [(f, name, f.read_bytes()) for f, name in files]
    key = _key(SEGMENTER_VERSION, list(artefact_patterns),
               [(name, hashlib.sha256(data).hexdigest()) for _, name, data in payloads])
    out = paths.artefact("segments")
    if _fresh(out, key):
        report.skipped.append("segment")
        segments = load_segments(paths)
    else:
        segments = []
        for f, name, data in payloads:
            doc = read_document(f, name, data, artefacts)
            found = list(segment_document(doc))
            check_sentence_lengths(doc, found, f)
            segments.extend(found)
        _save(out, {"key": key, "documents": [name for _, name, _ in payloads],
                    "segments": [s.to_dict() for s in segments]})
    save_sources(paths.artefact("sources"), key, payloads)  # what export rebuilds documents from
    report.documents = len(files)
    report.segments = len(segments)
    report.messages = len({s.text for s in segments})
    return segments


def load_segments(paths: Paths) -> list[Segment]:
    data = _load(paths.artefact("segments"), "segment SOURCES")
    return [Segment(**s) for s in data["segments"]]


# --- translate -------------------------------------------------------------------------------


TranslatorFactory = Callable[[ModelSpec], object]


def _default_factory(spec: ModelSpec):
    from pipeline.mt import load_translator

    return load_translator(spec)


def stage_translate(
    config: Config,
    locale: str,
    paths: Paths,
    report: RunReport,
    memory: TranslationMemory,
    translators: dict[str, object],
    segments_key: str,
    messages: list[catalog.Message],
    factory: TranslatorFactory = _default_factory,
    executor=None,
) -> None:
    """Raw machine translations for every message the pipeline owns in `locale`'s catalogue.

    `segments_key` and `messages` come from the segment stage's artefact (read once for all
    locales). With an `executor` (pipeline.executors.RayExecutor) the model runs there."""
    route = check_route(config.route_for(locale))
    model_key = route.settings_key()
    tgt = route.tgt  # the script too: zh_Hans and zh_Hant never share memory rows
    existing = catalog.read_po(paths.po(locale))
    owned = _owned_texts(paths, locale)
    keep = merge.reusable(existing, memory.reviewed(locale) | merge.reviewed_texts(existing))  # from memory
    if existing is not None:
        keep |= {e.msgid for e in existing if merge.owned_by_reviewer(e, owned)}
    todo = [m.msgid for m in messages if m.msgid not in keep]
    key = _key(segments_key, model_key, tgt, sorted(keep))  # tgt: a zh_Hant stage from before scripts is redone
    stats = report.locales.setdefault(locale, LocaleStats(locale))
    stats.model_id, stats.licence = route.model_id, route.licence
    stats.reviewed = len(messages) - len(todo)
    out = paths.artefact(f"translate-{locale}")
    if _fresh(out, key):
        report.skipped.append(f"translate {locale}")
        stats.from_memory = len(todo)
        return

    # Inline-markup placeholders (<1>…</1>) are not shown to the model; localize puts them back.
    inputs = {msgid: prepare_for_model(strip_placeholders(msgid)) for msgid in todo}
    cached = memory.lookup(set(inputs.values()), SOURCE_LANGUAGE, tgt, model_key)
    missing = sorted({t for t in inputs.values() if t not in cached}, key=len)
    left: set[str] = set()
    if missing and executor is not None:
        left = set(executor.translate_into_memory(route, missing, tgt, memory, model_key, locale, CHUNK).untranslated)
        cached.update(memory.lookup(missing, SOURCE_LANGUAGE, tgt, model_key))
    elif missing:
        translator = route_translator(route, factory, translators, _log)  # each model loaded once per run
        _translate_into_memory(translator, missing, tgt, memory, model_key, route.model_id, locale)
        cached.update(memory.lookup(missing, SOURCE_LANGUAGE, tgt, model_key))
    missing_set = set(missing) - left
    stats.by_model = sum(1 for t in inputs.values() if t in missing_set)
    stats.untranslated = sum(1 for t in inputs.values() if t in left)
    stats.from_memory = len(todo) - stats.by_model - stats.untranslated
    records = {msgid: {"mt": cached[text], "model_id": route.model_id} for msgid, text in inputs.items()
               if text not in left}
    if left:  # a key this stage never computes: the next run does it again and retries what is left
        key = _key(key, "incomplete", sorted(left))
    _save(out, {"key": key, "locale": locale, "translations": records})


def _translate_into_memory(translator, texts, tgt, memory, model_key, model_id, locale) -> None:
    from tqdm import tqdm

    with tqdm(total=len(texts), desc=f"translate {locale}", unit="seg", file=sys.stderr, disable=None) as bar:
        for i in range(0, len(texts), CHUNK):
            chunk = texts[i : i + CHUNK]
            outputs = translator.translate(chunk, SOURCE_LANGUAGE, tgt)
            if len(outputs) != len(chunk):
                raise RuntimeError(f"translator returned {len(outputs)} outputs for {len(chunk)} inputs")
            memory.store(dict(zip(chunk, outputs)), SOURCE_LANGUAGE, tgt, model_key, model_id)
            bar.update(len(chunk))


# --- localize --------------------------------------------------------------------------------


def stage_localize(config: Config, locale: str, paths: Paths, report: RunReport) -> None:
    """Protected spans put back, numbers and dates re-rendered for the locale, then QA findings
    attached to each translation (a span the model lost is flagged by the placeholders check)."""
    raw = _load(paths.artefact(f"translate-{locale}"), f"translate --to {locale}")
    options = config.locale_options(locale)
    key = _key(raw["key"], LOCALISER_VERSION, options.number_style)
    out = paths.artefact(f"localize-{locale}")
    stats = report.locales.setdefault(locale, LocaleStats(locale))
    if _fresh(out, key):
        report.skipped.append(f"localize {locale}")
        stats.findings = sum(len(r["findings"]) for r in _load(out, "")["translations"].values())
        return
    records = {}
    for msgid, rec in raw["translations"].items():
        plain = strip_placeholders(msgid)  # inline markup (<1>…</1>) never reached the model
        text, looped = cut_loop(rec["mt"], plain)  # a model stuck in a loop: cut off and flagged
        text = localise_numbers(restore_spans(plain, text), plain, locale, options.number_style)
        findings = ((looped,) if looped else ()) + tuple(qa.run_checks(plain, text))
        text, markup_findings = restore_placeholders(msgid, text)
        findings += tuple(markup_findings)
        records[msgid] = {"text": text, "model_id": rec["model_id"],
                          "findings": [[f.check, f.message] for f in findings]}
    stats.findings = sum(len(r["findings"]) for r in records.values())
    _save(out, {"key": key, "locale": locale, "translations": records})


# --- catalog ---------------------------------------------------------------------------------


def _owned_texts(paths: Paths, locale: str) -> dict[str, str]:
    path = paths.artefact(f"owned-{locale}")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stage_catalog(locales: list[str], paths: Paths, report: RunReport, *, purge_obsolete: bool = False,
                  wrap: bool = True) -> list[Path]:
    """Write the .pot, and each locale's merged .po and compiled .mo; returns the files changed.

    Reviewed translations are harvested into the memory after each merge, so they can be reused
    for the same sentence elsewhere even once their own entry is gone.
    """
    messages = catalog.collect_messages(load_segments(paths))
    changed = []
    if catalog.save_catalog(paths.pot(), catalog.build_template(messages), None, wrap=wrap):
        changed.append(paths.pot())
    with TranslationMemory(paths.workdir / "memory.sqlite") as memory:
        for locale in locales:
            loc = _load(paths.artefact(f"localize-{locale}"), f"localize --to {locale}")["translations"]
            translations = {
                msgid: Translation(msgid, rec["text"], "model", rec["model_id"],
                                   tuple(Finding(c, m) for c, m in rec["findings"]))
                for msgid, rec in loc.items()
            }
            po_path = paths.po(locale)
            existing = catalog.read_po(po_path)
            reviewed = memory.reviewed(locale) | merge.reviewed_texts(existing)
            previously_owned = _owned_texts(paths, locale)
            po = merge.merge_catalog(existing, messages, translations, previously_owned,
                                     reviewed=reviewed, purge_obsolete=purge_obsolete)
            if catalog.save_catalog(po_path, po, locale, existing, wrap):
                changed.append(po_path)
            if catalog.save_mo(paths.mo(locale), po):
                changed.append(paths.mo(locale))
            memory.store_reviewed(merge.reviewed_texts(po), locale)
            owned = {e.msgid: e.msgstr for e in po if "fuzzy" in e.flags and e.msgid in translations
                     and e.msgstr == translations[e.msgid].text}
            # Entries kept for a reviewer were not translated this run: keep what the pipeline had
            # written there, or their edit would pass for the pipeline's own text next time.
            live = {e.msgid for e in po if not e.obsolete}
            owned |= {k: v for k, v in previously_owned.items() if k in live and k not in translations}
            _save(paths.artefact(f"owned-{locale}"), owned)
    return changed


# --- run -------------------------------------------------------------------------------------


def run_all(sources, locales, config: Config, paths: Paths, factory: TranslatorFactory = _default_factory,
            artefact_patterns: tuple[str, ...] = (), executor=None, **catalog_options) -> RunReport:
    report = RunReport()
    stage_segment(sources, paths, report, artefact_patterns)
    translate_locales(config, locales, paths, report, factory, executor)
    for locale in locales:
        stage_localize(config, locale, paths, report)
    stage_catalog(locales, paths, report, **catalog_options)
    return report


def translate_locales(config, locales, paths, report, factory: TranslatorFactory = _default_factory,
                      executor=None) -> None:
    """Translate for every locale, loading each model at most once (gu→en and gu→zh share NLLB)."""
    translators: dict[str, object] = {}
    segments_data = _load(paths.artefact("segments"), "segment SOURCES")
    messages = catalog.collect_messages(Segment(**s) for s in segments_data["segments"])
    with TranslationMemory(paths.workdir / "memory.sqlite") as memory:
        for locale in locales:
            stage_translate(config, locale, paths, report, memory, translators, segments_data["key"], messages,
                            factory, executor)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

