"""`pipeline` command: argument parsing and printing only; the work happens in `jobs`."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

from . import jobs
from .config import load_config
from .errors import PipelineError
from .executors import EXECUTORS, make_executor
from .fsutil import workdir_lock


def _add_common(p: argparse.ArgumentParser, *, models: bool = True) -> None:
    if models:
        p.add_argument("--models", default="models.yaml", type=Path,
                       help="which model serves which language pair (default: models.yaml)")
    p.add_argument("--locales", default="locales", type=Path, dest="locales_dir",
                   help="gettext folder for DOMAIN.pot and LOCALE/LC_MESSAGES/DOMAIN.po (default: locales)")
    p.add_argument("--domain", default="messages", help="gettext domain, the catalogue file name (default: messages)")
    p.add_argument("--workdir", default=".pipeline", type=Path,
                   help="stage artefacts, translation memory and lock (default: .pipeline)")


def _add_targets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", required=True, metavar="LOCALES",
                   help="comma-separated target locales as Babel names, e.g. en,en_IN,zh_Hans")


def _add_executor(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("where the model runs")
    g.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local: in this process (default); ray: on a Ray cluster (pip install '.[ray]')")
    g.add_argument("--ray-address", metavar="ADDRESS",
                   help="Ray cluster to join, e.g. auto or head-node:6379 (default: $RAY_ADDRESS, else a local instance)")
    g.add_argument("--ray-workers", type=int, metavar="N",
                   help="model copies (actors) on the cluster (default: as many as its CPUs or GPUs fit)")
    g.add_argument("--ray-cpus-per-worker", type=float, default=1.0, metavar="N",
                   help="CPUs each actor reserves and uses as threads (default: 1)")
    g.add_argument("--ray-gpus-per-worker", type=float, default=0.0, metavar="N",
                   help="GPUs each actor reserves, e.g. 1, or 0.5 for two copies per GPU (default: 0, CPU actors)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Gujarati articles in; machine-translated gettext catalogues for review out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="all stages: segment, translate, localize, catalog")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="UTF-8 .txt files or folders of them")
    _add_targets(p)
    _add_common(p)
    _add_executor(p)

    p = sub.add_parser("segment", help="split sources into sentences (stage 1)")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--jsonl", action="store_true", help="print one JSON object per segment instead")
    _add_common(p, models=False)

    for name, text in (
        ("translate", "machine-translate the segmented sentences (stage 2)"),
        ("localize", "render numbers for each locale and run QA checks (stage 3)"),
        ("catalog", "write the .pot, merged .po files and compiled .mo (stage 4)"),
    ):
        p = sub.add_parser(name, help=text)
        _add_targets(p)
        _add_common(p)
        if name == "translate":
            _add_executor(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except PipelineError as exc:
        print(f"pipeline: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `pipeline segment --jsonl | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("pipeline: interrupted; run again to resume", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    paths = jobs.Paths(args.workdir, args.locales_dir, args.domain)
    if args.command == "segment" and args.jsonl:
        _print_segments(args.sources)
        return 0
    locales = jobs.normalise_locales(args.to.split(",")) if hasattr(args, "to") else []
    config = load_config(args.models) if hasattr(args, "models") else None
    if config is not None:
        for locale in locales:
            config.model_for(locale)  # fail on an unrouted pair before any work
    report = jobs.RunReport()
    executor = _executor(args)
    with workdir_lock(args.workdir), executor or contextlib.nullcontext():
        if args.command == "run":
            report = jobs.run_all(args.sources, locales, config, paths, executor=executor)
        elif args.command == "segment":
            jobs.stage_segment(args.sources, paths, report)
        elif args.command == "translate":
            jobs.translate_locales(config, locales, paths, report, executor=executor)
        elif args.command == "localize":
            for locale in locales:
                jobs.stage_localize(config, locale, paths, report)
        elif args.command == "catalog":
            for path in jobs.stage_catalog(locales, paths, report):
                print(f"wrote {path}", file=sys.stderr)
    if report.skipped:
        print("unchanged, skipped: " + ", ".join(report.skipped), file=sys.stderr)
    print(report.summary() if args.command in ("run", "segment") else _stage_summary(report))
    left = sum(s.untranslated for s in report.locales.values())
    if left:
        print(f"pipeline: {left} sentence(s) left untranslated because their batches failed on every retry "
              "(see the errors above); run again to retry them", file=sys.stderr)
        return 3
    return 0


def _executor(args: argparse.Namespace):
    """None (translate here) or a RayExecutor; a missing Ray fails here, before any work."""
    if not hasattr(args, "executor"):
        return None
    return make_executor(args.executor, args.ray_address, workers=args.ray_workers,
                         cpus_per_worker=args.ray_cpus_per_worker, gpus_per_worker=args.ray_gpus_per_worker)


def _stage_summary(report: jobs.RunReport) -> str:
    if not report.locales:
        return "done"
    return "; ".join(
        f"{s.locale}: {s.by_model} translated by model, {s.from_memory} from memory, {s.findings} QA findings"
        + (f", {s.untranslated} left untranslated" if s.untranslated else "")
        for s in report.locales.values()
    )


def _print_segments(sources: list[str]) -> None:
    from .ingest import collect_sources, read_document
    from .segment import segment_document

    for path, name in collect_sources(sources):
        for seg in segment_document(read_document(path, name)):
            print(json.dumps(seg.to_dict(), ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
