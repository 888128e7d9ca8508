"""`pipeline` command: maps arguments onto the runner (`jobs.Runner`) and the other commands'
functions, and prints what they return; no locks, no stage logic."""

from __future__ import annotations

import argparse
import errno
import json
import signal
import sqlite3
import sys
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path

from pipeline.arguments import build_parser
from pipeline.catalog.header import ProjectId
from pipeline.config import load_config, project_name_problem
from pipeline.errors import PipelineError
from pipeline.fsutil import require_folder, workdir_lock, write_atomic
from pipeline.jobs import CatalogOptions, Runner, RunReport
from pipeline.layout import DEFAULT_MODELS, MEMORY_FILE, SINGLE, Paths, normalise_locales, written_otherwise
from pipeline.mt.executors import make_executor
from pipeline.mt.route import check_route

__all__ = ["build_parser", "main"]  # build_parser: the docs' CLI reference reads it from here


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "export" and args.to is None:
        parser.error("export: the following arguments are required: --to")
    try:
        with _terminate_as_interrupt():
            return _dispatch(args)
    except PipelineError as exc:
        print(f"pipeline: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `pipeline segment --jsonl | head`; an OSError, so before the next
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.errno not in _USER_FIXABLE:
            raise
        print(f"pipeline: error: {_os_error_text(exc)}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError as exc:
        print(f"pipeline: error: {_memory_error_text(args, exc)}", file=sys.stderr)
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


# Errors of the machine, not of the program: a full disk, a file in the way, a folder one cannot write.
_USER_FIXABLE = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.EEXIST,
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.ENXIO,
    errno.ETXTBSY,
}


def _os_error_text(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename is not None else ""
    also = f" (and {exc.filename2})" if exc.filename2 is not None else ""
    return f"{where}{exc.strerror or exc}{also}"


def _memory_error_text(args: argparse.Namespace, exc: sqlite3.OperationalError) -> str:
    """SQLite names no file; the one the pipeline keeps is the work directory's translation memory."""
    where = f"{Path(args.workdir) / MEMORY_FILE}: " if hasattr(args, "workdir") else ""
    text = str(exc)
    hint = (
        "free some space and run again; what was stored before is kept"
        if "full" in text
        else "run again; if it persists, move the file away (it is rebuilt from the catalogues)"
    )
    return f"{where}translation memory: {text}: {hint}"


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


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "models":
        return _print_models(args)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "serve":
        return _serve(args)
    require_folder(args.locales_dir, "--locales")
    require_folder(args.workdir, "--workdir")
    paths = Paths(args.workdir, args.locales_dir, args.domain)
    if args.command == "status":
        return _print_status(args)
    if args.command == "export":
        return _export(args)
    if args.command == "segment" and args.jsonl:
        _print_segments(args.sources, tuple(args.artefacts), [args.workdir, args.locales_dir])
        return 0
    locales = _target_locales(args.to) if hasattr(args, "to") else []
    config = (
        load_config(args.models).with_glossary(getattr(args, "glossary", None)) if hasattr(args, "models") else None
    )
    if config is not None:
        for locale in locales:
            check_route(config.route_for(locale))  # fail on an unrouted pair or script before any work
    options = _catalog_options(args, config) if hasattr(args, "purge_obsolete") else CatalogOptions()
    written: list[Path] = []
    with Runner(
        paths,
        config,
        options=options,
        artefact_patterns=tuple(getattr(args, "artefacts", ())),
        executor=_executor(args),
        layout=_layout(args, config),
    ) as runner:
        if args.command == "run":
            runner.run(args.sources, locales)
        elif args.command == "segment":
            runner.segment(args.sources)
        elif args.command == "translate":
            runner.translate(locales)
        elif args.command == "localize":
            runner.localise(locales)
        elif args.command == "catalog":
            written = runner.catalog(locales)
    return _print_report(args, runner.report, written)


def _print_report(args: argparse.Namespace, report: RunReport, written: list[Path]) -> int:
    """What a run did, and its exit status: 3 when sentences were left untranslated."""
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    for warning in report.warnings:
        print(f"pipeline: warning: {warning}", file=sys.stderr)
    if report.skipped:
        print("unchanged, skipped: " + ", ".join(report.skipped), file=sys.stderr)
    print(report.summary() if args.command in ("run", "segment") else _stage_summary(report))
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
    if args.project is not None and project_name_problem(args.project):
        raise PipelineError(f"--project {project_name_problem(args.project)}")
    chosen = args.project or (config.project if config is not None else None)
    return ProjectId(chosen or args.domain, explicit=chosen is not None)


def _print_models(args: argparse.Namespace) -> int:
    from pipeline.mt.inventory import credits, describe
    from pipeline.mt.licences import credit_line

    rows = describe(load_config(args.models))
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1))
        return 0
    header = ("pair", "writes", "step", "model", "family", "licence", "parameters", "cached", "backend")
    table = [header] + [
        (
            r.pair,
            ",".join(r.writes) or "-",
            r.step,
            f"{r.model} ({r.source})",
            r.family,
            (r.licence or "not stated") + (" NON-COMMERCIAL" if r.non_commercial else ""),
            r.parameters or "?",
            "yes" if r.cached else "no",
            r.backend,
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    if any(r.non_commercial for r in rows):
        print(
            "NON-COMMERCIAL: translations made with these models may not be used in anything sold or "
            "published for profit; see the README for routes a business may use"
        )
    for credit in credits(rows):
        print(credit_line(credit))
    if not all(r.cached for r in rows):
        print("not cached: fetch with `hf download SOURCE --revision REVISION` (see models.yaml)")
    return 0


def _print_status(args: argparse.Namespace) -> int:
    from pipeline.ledger import project_status

    locales = _target_locales(args.to) if args.to else None
    if locales is None:
        for name in Paths(args.workdir, args.locales_dir, args.domain).not_locales():
            print(
                f"pipeline: note: {Path(args.locales_dir) / name}: not a locale folder (no locale is named so); "
                "skipped",
                file=sys.stderr,
            )
    if args.worst is not None:
        return _print_worst(args, locales)
    found = project_status(Paths(args.workdir, args.locales_dir, args.domain), locales)
    if not found:
        raise PipelineError(f"no {args.domain}.po catalogues under {args.locales_dir}: run `pipeline run` first")
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in found.items()}, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        for status in found.values():
            print(status.line())
    return 0


def _print_worst(args: argparse.Namespace, locales: list[str] | None) -> int:
    from pipeline.catalog.review_order import worst
    from pipeline.ledger import project_review_items

    if args.worst < 1:
        raise PipelineError("--worst takes a positive number of entries")
    items = project_review_items(Paths(args.workdir, args.locales_dir, args.domain), locales)
    if not items and not locales and not Paths(args.workdir, args.locales_dir, args.domain).found_locales():
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
    from pipeline.export.documents import prepare_export, write_export
    from pipeline.ingest import artefact_matcher
    from pipeline.ingest.sources import read_sources

    require_folder(args.out, "--out")
    paths = Paths(args.workdir, args.locales_dir, args.domain)
    rebuilds = args.fmt in ("txt", "md", "html")
    documents = read_sources(args.sources) if rebuilds and args.sources else None
    artefacts = artefact_matcher(tuple(args.artefacts))
    # only the work directory's copy of the sources needs its lock (and its folder)
    with workdir_lock(args.workdir) if rebuilds and documents is None else nullcontext():
        # every locale's files are made before the first is written
        reports = {
            locale: prepare_export(
                args.fmt,
                locale,
                paths=paths,
                out=args.out,
                include_fuzzy=args.include_fuzzy,
                documents=documents,
                artefacts=artefacts,
            )
            for locale in _target_locales(args.to)
        }
        for locale, report in reports.items():
            write_export(report)
            for warning in report.warnings:
                print(f"pipeline: warning: {warning}", file=sys.stderr)
            for path in report.written:
                print(f"wrote {path}", file=sys.stderr)
            print(report.summary(locale, args.fmt))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline import evaluate
    from pipeline.mt import load_translator

    if "," in args.to:
        raise PipelineError(f"--to takes one locale for evaluate (the references' language), not {args.to!r}")
    if args.limit is not None and args.limit < 1:
        raise PipelineError(f"--limit takes a positive number of lines, not {args.limit}")
    if args.output is not None and args.output.is_dir():
        raise PipelineError("--output must name a file, but this is a folder", path=args.output)
    locale = normalise_locales([args.to])[0]
    configs = [load_config(path) for path in args.models or [Path(DEFAULT_MODELS)]]
    for config in configs:
        check_route(config.route_for(locale))  # fail on an unrouted pair or script before any work
    src, ref = evaluate.read_lines(args.src), evaluate.read_lines(args.ref)
    evaluate.check_parallel(src, ref, args.src, args.ref)
    if args.limit is not None:
        src, ref = src[: args.limit], ref[: args.limit]
    evaluate.check_not_empty(src, args.src)
    if args.output is not None and len(configs) != 1:
        raise PipelineError("--output takes one --models file (each set-up would write the same file)")

    def write_output(config, lines):
        write_atomic(args.output, "".join(line + "\n" for line in lines))

    scores = evaluate.evaluate(
        configs, src, ref, locale, load_translator, write_output if args.output is not None else None
    )
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
    if not hasattr(args, "executor"):
        return None
    return make_executor(
        args.executor,
        args.ray_address,
        workers=args.ray_workers,
        cpus_per_worker=args.ray_cpus_per_worker,
        gpus_per_worker=args.ray_gpus_per_worker,
    )


def _stage_summary(report: RunReport) -> str:
    if not report.locales:
        return "done"
    return "; ".join(
        f"{s.locale}: {s.by_model} translated by model, {s.from_memory} from memory, {s.findings} QA findings"
        + (f", {s.untranslated} left untranslated" if s.untranslated else "")
        for s in report.locales.values()
    )


def _print_segments(sources: list[str], artefact_patterns: tuple[str, ...] = (), skip: list[Path] = ()) -> None:
    from pipeline.ingest import artefact_matcher, collect_sources, read_document
    from pipeline.segment.splitter import segment_document

    artefacts = artefact_matcher(artefact_patterns)
    for path, name in collect_sources(sources, skip):
        for seg in segment_document(read_document(path, name, artefacts=artefacts)):
            print(json.dumps(seg.to_dict(), ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
