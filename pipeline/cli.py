"""`pipeline` command: maps arguments onto the runner (`jobs.Runner`) and the other commands'
functions, and prints what they return; no locks, no stage logic."""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from pipeline.arguments import build_parser, check_arguments, parse_args
from pipeline.catalog.header import ProjectId
from pipeline.config import load_config
from pipeline.errors import PipelineError, machine_fault, os_error_text
from pipeline.fsutil import require_folder
from pipeline.jobs import CatalogOptions, Runner, RunReport
from pipeline.layout import DEFAULT_MODELS, SINGLE, Paths, normalise_locales, written_otherwise
from pipeline.memory import error_text as memory_error_text
from pipeline.mt.executors import make_executor
from pipeline.mt.route import check_route

__all__ = ["build_parser", "main"]  # build_parser: the docs' CLI reference reads it from here


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with _terminate_as_interrupt():
            check_arguments(args)
            return COMMANDS[args.command](args)
    except PipelineError as exc:
        print(f"pipeline: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `pipeline segment --jsonl | head`; an OSError, so before the next
        sys.stderr.close()
        return 0
    except OSError as exc:
        if not machine_fault(exc):
            raise
        print(f"pipeline: error: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError as exc:
        print(f"pipeline: error: {memory_error_text(exc, getattr(args, 'workdir', None))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        said, code = ("terminated", 128 + signal.SIGTERM) if isinstance(exc, Terminated) else ("interrupted", 130)
        print(f"pipeline: {said}; run again to resume", file=sys.stderr)
        return code


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, a stopped container), raised where the program is, so that it
    unwinds as Ctrl-C does: locks released, a first run's empty catalogue folder removed."""


@contextmanager
def _terminate_as_interrupt():
    if threading.current_thread() is not threading.main_thread():  # only the main thread takes signals
        yield
        return

    def terminated(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _paths(args: argparse.Namespace) -> Paths:
    """The catalogue folder and work directory, which must be folders if they exist."""
    require_folder(args.locales_dir, "--locales")
    require_folder(args.workdir, "--workdir")
    return Paths(args.workdir, args.locales_dir, args.domain)


def _check(args: argparse.Namespace) -> int:
    from pipeline.qa.catalog import as_json, as_text, check_files

    glossary = None
    if args.glossary is not None:
        from pipeline.glossary import load_glossary

        glossary = load_glossary(args.glossary)
    findings = check_files(args.po_files, glossary=glossary)
    if args.json:
        print(as_json(findings))
    elif findings:
        print(as_text(findings))
        print(f"{len(findings)} finding(s) in {len({f.file for f in findings})} file(s)", file=sys.stderr)
    return 1 if findings else 0


def _run(args: argparse.Namespace) -> int:
    return _stages(
        args,
        lambda runner, locales: runner.run(args.sources, locales),
        catalog=True,
        executor=True,
        artefacts=tuple(args.artefacts),
    )


def _translate(args: argparse.Namespace) -> int:
    return _stages(args, lambda runner, locales: runner.translate(locales), executor=True)


def _localise(args: argparse.Namespace) -> int:
    return _stages(args, lambda runner, locales: runner.localise(locales))


def _catalog(args: argparse.Namespace) -> int:
    return _stages(args, lambda runner, locales: runner.catalog(locales), catalog=True)


def _stages(
    args: argparse.Namespace,
    stage: Callable[[Runner, list[str]], object],
    *,
    catalog: bool = False,
    executor: bool = False,
    artefacts: tuple[str, ...] = (),
) -> int:
    """A run, or one stage, for the --to locales; `catalog`: the command takes the catalogue options,
    `executor`: it translates, so --executor says where; `artefacts`: it segments."""
    paths = _paths(args)
    locales = _target_locales(args.to)
    config = load_config(args.models).with_glossary(args.glossary)
    for locale in locales:
        check_route(config.route_for(locale))  # fail on an unrouted pair or script before any work
    with Runner(
        paths,
        config,
        options=_catalog_options(args, config) if catalog else CatalogOptions(),
        artefact_patterns=artefacts,
        executor=_executor(args) if executor else None,
        layout=_layout(args, config),
    ) as runner:
        done = stage(runner, locales)
    return _print_report(args, runner.report, done if isinstance(done, list) else [])


def _segment(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if args.jsonl:
        _print_segments(args)
        return 0
    with Runner(paths, None, artefact_patterns=tuple(args.artefacts), layout=_layout(args, None)) as runner:
        runner.segment(args.sources)
    return _print_report(args, runner.report, [])


def _print_report(args: argparse.Namespace, report: RunReport, written: list[Path]) -> int:
    """What a run did, and its exit status: 3 when sentences were left untranslated."""
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    for warning in report.warnings:
        print(f"pipeline: warning: {warning}", file=sys.stderr)
    if report.skipped:
        print("unchanged, skipped: " + ", ".join(report.skipped), file=sys.stderr)
    print(report.summary() if args.command in ("run", "segment") else report.stage_summary())
    left = sum(s.untranslated for s in report.locales.values())
    if left:
        print(
            f"pipeline: {left} sentence(s) left untranslated because their batches failed on every retry "
            "(see the errors above); run again to retry them",
            file=sys.stderr,
        )
        return 3
    return 0


def _target_locales(text: str) -> list[str]:
    """--to as locale names, saying where Babel's name differs from the one given (zh_TW is
    written zh_Hant_TW), so nobody looks for a folder under the name they typed."""
    names = text.split(",")
    for name, written in written_otherwise(names):
        print(f"pipeline: note: locale {name} is written {written} (Babel's name for it)", file=sys.stderr)
    return normalise_locales(names)


def _layout(args: argparse.Namespace, config) -> str:
    """--catalogs, else `catalogs:` in the models file (for `segment`, which takes none: the
    default models file, when there is one), else one catalogue."""
    if getattr(args, "catalogs", None) is not None:
        return args.catalogs
    if config is None and args.command == "segment" and Path(DEFAULT_MODELS).is_file():
        config = load_config(DEFAULT_MODELS)
    return config.catalogs if config is not None else SINGLE


def _catalog_options(args: argparse.Namespace, config) -> CatalogOptions:
    return CatalogOptions(args.purge_obsolete, not args.no_wrap, _project(args, config))


def _project(args: argparse.Namespace, config) -> ProjectId:
    """Project-Id-Version: --project, else the models file's `project:`, else the catalogue's own, else the domain."""
    chosen = args.project or (config.project if config is not None else None)
    return ProjectId(chosen or args.domain, explicit=chosen is not None)


def _print_models(args: argparse.Namespace) -> int:
    from pipeline.mt.inventory import describe, table_lines

    rows = describe(load_config(args.models))
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1))
    else:
        print("\n".join(table_lines(rows)))
    return 0


def _print_status(args: argparse.Namespace) -> int:
    from pipeline.catalog.status import catalogs_found, catalogs_json, catalogs_lines, one_catalog
    from pipeline.jobs.status import catalogs_status, project_status

    paths = _paths(args)
    locales = _target_locales(args.to) if args.to else None
    if locales is None:
        for name in paths.not_locales():
            print(
                f"pipeline: note: {Path(args.locales_dir) / name}: not a locale folder (no locale is named so); "
                "skipped",
                file=sys.stderr,
            )
    found_catalogs = catalogs_found(paths)
    if args.worst is not None:
        return _print_worst(args, paths, found_catalogs, locales)
    if not one_catalog(found_catalogs, paths):  # per-document or per-folder catalogues
        found_catalogs = catalogs_status(paths, locales, found_catalogs)
        if args.json:
            print(json.dumps(catalogs_json(found_catalogs), ensure_ascii=False, indent=1, sort_keys=True))
        else:
            print("\n".join(catalogs_lines(found_catalogs)))
        return 0
    found = project_status(paths, locales)
    if not found:
        raise PipelineError(f"no {args.domain}.po catalogues under {args.locales_dir}: run `pipeline run` first")
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in found.items()}, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        for status in found.values():
            print(status.line())
    return 0


def _print_worst(args: argparse.Namespace, paths: Paths, found: dict[str, list[str]], locales: list[str] | None) -> int:
    from pipeline.catalog.review_order import worst
    from pipeline.catalog.status import one_catalog
    from pipeline.jobs.status import catalogs_review_items, project_review_items

    if one_catalog(found, paths):
        items = project_review_items(paths, locales)
    else:
        items = catalogs_review_items(paths, locales, found)
    if not items and not locales and not found:
        raise PipelineError(f"no {args.domain}.po catalogues under {args.locales_dir}: run `pipeline run` first")
    chosen = worst(items, args.worst)
    if args.json:
        print(json.dumps([item.to_dict() for item in chosen], ensure_ascii=False, indent=1))
    else:
        for item in chosen:
            print(item.line_text())
        print(f"{len(chosen)} of {len(items)} machine translation(s) awaiting review", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from pipeline.export.catalogues import export_locales

    paths = _paths(args)
    require_folder(args.out, "--out")

    def shown(locale, report) -> None:
        for warning in report.warnings:
            print(f"pipeline: warning: {warning}", file=sys.stderr)
        for path in report.written:
            print(f"wrote {path}", file=sys.stderr)
        print(report.summary(locale, args.fmt))

    export_locales(
        args.fmt,
        _target_locales(args.to),
        paths=paths,
        out=args.out,
        include_fuzzy=args.include_fuzzy,
        sources=args.sources,
        artefact_patterns=tuple(args.artefacts),
        merge=args.merge,
        shown=shown,
    )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline import evaluate
    from pipeline.mt import load_translator

    if args.output is not None and args.output.is_dir():
        raise PipelineError("--output must name a file, but this is a folder", path=args.output)
    locale = normalise_locales([args.to])[0]
    configs = [load_config(path) for path in args.models or [Path(DEFAULT_MODELS)]]
    for config in configs:
        check_route(config.route_for(locale))  # fail on an unrouted pair or script before any work
    src, ref = evaluate.read_test_set(args.src, args.ref, args.limit)
    scores = evaluate.evaluate(configs, src, ref, locale, load_translator, args.output)
    if args.json:
        print(json.dumps([s.as_dict() for s in scores], ensure_ascii=False, indent=1))
    else:
        print(f"{len(src)} lines, gu → {locale}")
        print(evaluate.format_table(scores))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pipeline.serve import Connections, Listen, ServeSettings, serve
    from pipeline.serve.auth import load_api_keys
    from pipeline.serve.batching import BatchSettings
    from pipeline.serve.cors import parse_origins
    from pipeline.serve.limits import Limits

    require_folder(args.workdir, "--workdir")
    limits = Limits(args.max_body, args.max_texts, args.max_chars, args.max_requests)
    batching = BatchSettings(not args.no_batching, args.batch_wait / 1000, args.max_batch, args.max_queue, args.timeout)
    keys = load_api_keys(args.api_keys) if args.api_keys is not None else None
    origins = parse_origins(args.cors_origins)
    connections = Connections(args.read_timeout, args.keep_alive)
    return serve(
        args.models,
        args.workdir,
        Listen(args.host, args.port),
        ServeSettings(limits, batching, keys, origins, connections),
        args.glossary,
    )


def _executor(args: argparse.Namespace):
    """None (translate here) or a RayExecutor; a missing Ray fails here, before any work."""
    return make_executor(
        args.executor,
        args.ray_address,
        workers=args.ray_workers,
        cpus_per_worker=args.ray_cpus_per_worker,
        gpus_per_worker=args.ray_gpus_per_worker,
    )


def _print_segments(args: argparse.Namespace) -> None:
    """`segment --jsonl`: the segment stage's sentences, one JSON object a line, nothing stored."""
    from pipeline.ingest import collect_sources
    from pipeline.jobs.segment_stage import read_payloads, segment

    payloads = read_payloads(collect_sources(args.sources, skip=[args.workdir, args.locales_dir]))
    for stored in segment(payloads, tuple(args.artefacts)).stored:
        print(json.dumps(stored, ensure_ascii=False))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _run,
    "segment": _segment,
    "translate": _translate,
    "localize": _localise,
    "catalog": _catalog,
    "models": _print_models,
    "check": _check,
    "status": _print_status,
    "export": _export,
    "serve": _serve,
    "evaluate": _evaluate,
}

if __name__ == "__main__":
    sys.exit(main())
