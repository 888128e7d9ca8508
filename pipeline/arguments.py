"""The `pipeline` command's arguments: its subcommands, their options and help, and the checks
that need no file (`pipeline.cli` maps them onto the runner; the CLI reference in the docs is
generated from `build_parser`)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from pipeline import __version__
from pipeline.config import project_name_problem
from pipeline.errors import PipelineError
from pipeline.fsutil import check_plain_name
from pipeline.layout import CATALOG_LAYOUTS, DEFAULT_DOMAIN, DEFAULT_LOCALES_DIR, DEFAULT_MODELS, DEFAULT_WORKDIR
from pipeline.mt.executors import EXECUTORS


def number(kind: type, low: float, high: float | None = None, *, above: bool = False, unit: str = ""):
    """An argparse `type` reading an int or a finite float in a range (`above`: `low` itself is
    out), so `nan`, `inf` or `-1` stop at the command line with exit 2, as models.yaml's values do."""
    noun = ("an integer" if kind is int else "a finite number") + (f" of {unit}" if unit else "")
    bounds = (
        (f"above {low:g}" if above else f"at least {low:g}")
        if high is None
        else (f"above {low:g} and at most {high:g}" if above else f"from {low:g} to {high:g}")
    )
    wanted = f"{noun}, {bounds}"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {text!r}") from None
        if (
            (kind is float and not math.isfinite(value))
            or value < low
            or (above and value == low)
            or (high is not None and value > high)
        ):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


COUNT = number(int, 1)
SECONDS = number(float, 0, 3600, above=True, unit="seconds")


def _domain(text: str) -> str:
    """--domain names the one catalogue of the single layout: a plain file name."""
    try:
        return check_plain_name(text, "gettext domain")
    except PipelineError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line read by `build_parser`, with what argparse cannot say per option: export needs --to
    (not `required`, so that the old --locale name still fills it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "export" and args.to is None:
        parser.error("export: the following arguments are required: --to")
    return args


def check_arguments(args: argparse.Namespace) -> None:
    """Values argparse reads but the command cannot use, refused before any file is read or written."""
    if args.command == "status" and args.worst is not None and args.worst < 1:
        raise PipelineError("--worst takes a positive number of entries")
    if args.command == "evaluate":
        if "," in args.to:
            raise PipelineError(f"--to takes one locale for evaluate (the references' language), not {args.to!r}")
        if args.limit is not None and args.limit < 1:
            raise PipelineError(f"--limit takes a positive number of lines, not {args.limit}")
        if args.output is not None and args.models is not None and len(args.models) != 1:
            raise PipelineError("--output takes one --models file (each set-up would write the same file)")
    if args.command == "export" and args.merge and args.fmt != "mo":
        raise PipelineError(f"--merge makes one .mo per locale: it goes with --format mo, not {args.fmt}")
    project = getattr(args, "project", None)  # run and catalog
    if project is not None and (problem := project_name_problem(project)):
        raise PipelineError(f"--project {problem}")


def _add_common(p: argparse.ArgumentParser, *, models: bool = True) -> None:
    if models:
        p.add_argument(
            "--models",
            default=DEFAULT_MODELS,
            type=Path,
            help=f"which model serves which language pair (default: {DEFAULT_MODELS})",
        )
    p.add_argument(
        "--locales",
        default=DEFAULT_LOCALES_DIR,
        type=Path,
        dest="locales_dir",
        help=f"gettext folder for DOMAIN.pot and LOCALE/LC_MESSAGES/DOMAIN.po (default: {DEFAULT_LOCALES_DIR})",
    )
    p.add_argument(
        "--domain",
        default=DEFAULT_DOMAIN,
        type=_domain,
        help=f"gettext domain, the catalogue file name (default: {DEFAULT_DOMAIN})",
    )
    p.add_argument(
        "--workdir",
        default=DEFAULT_WORKDIR,
        type=Path,
        help=f"stage artefacts, translation memory and lock (default: {DEFAULT_WORKDIR})",
    )


def _add_layout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--catalogs",
        choices=CATALOG_LAYOUTS,
        help="one catalogue for every source (single), one per source file (per-document: "
        "LOCALE/LC_MESSAGES/PATH/OF/SOURCE.po), or one per top-level folder (per-folder) "
        "(default: catalogs: in the models file, else single)",
    )


def _add_artefacts(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--artefact",
        action="append",
        default=[],
        metavar="REGEX",
        dest="artefacts",
        help="a line matching REGEX whole is page debris, kept out of translation (repeatable; "
        "adds to the defaults: wps_doc_N, lone bullet/page numbers, rules)",
    )


def _add_glossary(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--glossary",
        type=Path,
        metavar="FILE",
        help="terms to use (CSV: gu,en,zh_Hans,... and optional note, fixed columns; or TBX); "
        "overrides glossary: in models.yaml",
    )


def _add_targets(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        required=True,
        metavar="LOCALES",
        help="comma-separated target locales as Babel names, e.g. en,en_IN,zh_Hans",
    )


def _add_catalog_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--purge-obsolete", action="store_true", help="drop obsolete (#~) entries instead of keeping them for reviewers"
    )
    p.add_argument(
        "--no-wrap",
        action="store_true",
        help="one line per string in .po/.pot files (like msgcat --no-wrap) instead of wrapping at 79 columns",
    )
    p.add_argument(
        "--project",
        metavar="'NAME VERSION'",
        help="Project-Id-Version of the catalogues, e.g. 'news-site 2.1' (default: project: in the "
        "models file, else what the catalogue has, else the domain)",
    )


def _add_executor(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("where the model runs")
    g.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: in this process (default); ray: on a Ray cluster (pip install '.[ray]')",
    )
    g.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="Ray cluster to join, e.g. auto or head-node:6379 (default: $RAY_ADDRESS, else a local instance)",
    )
    g.add_argument(
        "--ray-workers",
        type=COUNT,
        metavar="N",
        help="model copies (actors) on the cluster (default: as many as its CPUs or GPUs fit)",
    )
    g.add_argument(
        "--ray-cpus-per-worker",
        type=number(float, 0, 1024, above=True),
        default=1.0,
        metavar="N",
        help="CPUs each actor reserves and uses as threads (default: 1)",
    )
    g.add_argument(
        "--ray-gpus-per-worker",
        type=number(float, 0, 64),
        default=0.0,
        metavar="N",
        help="GPUs each actor reserves, e.g. 1, or 0.5 for two copies per GPU (default: 0, CPU actors)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Gujarati articles in; machine-translated gettext catalogues for review out.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="all stages: segment, translate, localize, catalog")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="UTF-8 .txt, .md or .html files, or folders of them")
    _add_targets(p)
    _add_common(p)
    _add_layout(p)
    _add_glossary(p)
    _add_artefacts(p)
    _add_catalog_options(p)
    _add_executor(p)

    p = sub.add_parser("segment", help="split sources into sentences (stage 1)")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="UTF-8 .txt, .md or .html files, or folders of them")
    p.add_argument("--jsonl", action="store_true", help="print one JSON object per segment instead")
    _add_common(p, models=False)
    _add_layout(p)
    _add_artefacts(p)

    for name, text in (
        ("translate", "machine-translate the segmented sentences (stage 2)"),
        ("localize", "render numbers for each locale and run QA checks (stage 3)"),
        ("catalog", "write the .pot, merged .po files and compiled .mo (stage 4)"),
    ):
        p = sub.add_parser(name, help=text)
        _add_targets(p)
        _add_common(p)
        _add_layout(p)
        if name in (
            "translate",
            "localize",
            "catalog",
        ):  # the same glossary: localize puts its terms back, QA asks for them
            _add_glossary(p)
        if name == "translate":
            _add_executor(p)
        if name == "catalog":
            _add_catalog_options(p)

    p = sub.add_parser("models", help="list the configured routes: models, licences, cached or not, backend")
    p.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        type=Path,
        help=f"which model serves which language pair (default: {DEFAULT_MODELS})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per model of each route")

    p = sub.add_parser("check", help="QA checks over .po files with Gujarati msgids (exit 1 on findings)")
    p.add_argument(
        "po_files",
        nargs="+",
        metavar="PO",
        type=Path,
        help=".po files to check, or folders holding them (at any depth)",
    )
    p.add_argument("--json", action="store_true", help="print the findings as a JSON array")
    _add_glossary(p)

    p = sub.add_parser("status", help="review progress per locale: reviewed, fuzzy, untranslated, obsolete, QA")
    p.add_argument("--to", metavar="LOCALES", help="comma-separated locales (default: every catalogue found)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object keyed by locale (by catalogue, then locale, with several catalogues per locale)",
    )
    p.add_argument(
        "--worst",
        type=int,
        metavar="N",
        help="list the N machine translations to review first: QA findings, then lowest confidence",
    )
    _add_common(p, models=False)

    p = sub.add_parser("export", help="ship translations: .mo, i18next JSON, or rebuilt txt/md/html documents")
    p.add_argument(
        "--format",
        required=True,
        choices=("mo", "json", "txt", "md", "html"),
        dest="fmt",
        help="mo: compiled catalogues for gettext; json: flat files for i18next; txt, md, html: "
        "the documents rebuilt in each language",
    )
    p.add_argument("--to", metavar="LOCALES", help="comma-separated target locales, e.g. en,zh_Hans (required)")
    p.add_argument("--locale", dest="to", help=argparse.SUPPRESS)  # the old name, still accepted
    p.add_argument(
        "--include-fuzzy",
        action="store_true",
        help="also ship machine translations not yet reviewed (default: reviewed only)",
    )
    p.add_argument(
        "--merge",
        action="store_true",
        help="with several catalogues per locale (per-document, per-folder): one .mo per locale, named "
        "after --domain, holding every catalogue's shipped entries (with --format mo)",
    )
    p.add_argument("--out", default="dist", type=Path, help="output folder (default: dist)")
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="txt, md, html: the sources to rebuild, as given to `run` (default: the copy the last "
        "run kept in the work directory)",
    )
    _add_common(p, models=False)
    _add_artefacts(p)

    _add_serve(sub)

    p = sub.add_parser("evaluate", help="score translation quality on a line-aligned test set (BLEU, chrF++, numbers)")
    p.add_argument("--src", required=True, type=Path, help="Gujarati source, one sentence or paragraph per line")
    p.add_argument("--ref", required=True, type=Path, help="reference translations, line-aligned with --src")
    p.add_argument("--to", required=True, metavar="LOCALE", help="target locale of the references, e.g. en or zh_Hans")
    p.add_argument(
        "--models",
        action="append",
        type=Path,
        metavar="FILE",
        help="models file to evaluate; repeat to compare several in one table (default: models.yaml)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="only the first N lines")
    p.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="also write the translations, one line per source line (with one --models file)",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    return parser


def _add_serve(sub) -> None:
    p = sub.add_parser("serve", help="translation service for Weblate and other tools (LibreTranslate's HTTP API)")
    p.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        type=Path,
        help=f"which model serves which language pair (default: {DEFAULT_MODELS})",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every interface)",
    )
    p.add_argument(
        "--port", default=5000, type=number(int, 0, 65535), help="port to listen on (default: 5000, LibreTranslate's)"
    )
    p.add_argument(
        "--api-keys",
        type=Path,
        metavar="FILE",
        help="require one of the keys in FILE (one a line) as api_key on every translation",
    )
    p.add_argument(
        "--cors-origins",
        default="*",
        metavar="ORIGINS",
        help="web pages that may call the service from a browser: * (default, any, as LibreTranslate), "
        "origins such as https://example.org separated by commas, or '' for none",
    )
    _add_glossary(p)
    p.add_argument(
        "--workdir",
        default=DEFAULT_WORKDIR,
        type=Path,
        help="work directory whose translation memory the service reads and adds to; "
        f"may be shared with `pipeline run` (default: {DEFAULT_WORKDIR})",
    )
    g = p.add_argument_group("limits and batching")
    g.add_argument(
        "--max-body",
        type=COUNT,
        default=1 << 20,
        metavar="BYTES",
        help="largest request body (default: 1048576; larger: HTTP 413)",
    )
    g.add_argument("--max-texts", type=COUNT, default=100, metavar="N", help="texts in one request (default: 100)")
    g.add_argument("--max-chars", type=COUNT, default=5000, metavar="N", help="characters in one text (default: 5000)")
    g.add_argument(
        "--max-requests",
        type=COUNT,
        default=64,
        metavar="N",
        help="translations in progress at once; more are answered 503 at once (default: 64)",
    )
    g.add_argument(
        "--max-queue",
        type=COUNT,
        default=1024,
        metavar="N",
        help="sentences waiting for the model at once; more are answered 503, and a request "
        "holding more on its own 413 (default: 1024)",
    )
    g.add_argument(
        "--timeout",
        type=SECONDS,
        default=15.0,
        metavar="SECONDS",
        help="a request that waited this long for the model is answered 503 (default: 15; Weblate gives up at 20)",
    )
    g.add_argument(
        "--batch-wait",
        type=number(float, 0, 60000, unit="milliseconds"),
        default=5.0,
        metavar="MS",
        help="how long a model call waits for more requests to join it (default: 5 ms)",
    )
    g.add_argument("--max-batch", type=COUNT, default=64, metavar="N", help="sentences per model call (default: 64)")
    g.add_argument("--no-batching", action="store_true", help="one model call per request, in arrival order")
    g = p.add_argument_group("connections")
    g.add_argument(
        "--read-timeout",
        type=SECONDS,
        default=20.0,
        metavar="SECONDS",
        help="time a client has to send a whole request, from connecting or from its "
        "previous answer; slower connections are closed (default: 20)",
    )
    g.add_argument(
        "--keep-alive",
        type=SECONDS,
        default=5.0,
        metavar="SECONDS",
        help="how long an idle connection is kept open after an answer (default: 5)",
    )
