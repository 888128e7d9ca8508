"""`pipeline evaluate`: translation quality of one or more model set-ups on a test set.

Each source line goes through the pipeline's own path (sentence split, then `translate.translate_now`:
`localise.prepare`, the model, `localise.restore`, exactly as `run` does) and is scored against its reference line
with sacrebleu: BLEU (the `zh` tokenizer for Chinese, 13a otherwise) and chrF++. Also reported:
the share of source numbers that come out with the right value (the QA `numbers` check's own
comparison, counted: a line it finds nothing wrong with has all its numbers right),
and the speed, so int8 and float32, or two backends, can be weighed in one table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.fsutil import write_atomic
from pipeline.ingest.text import read_text_document
from pipeline.layout import target_language
from pipeline.qa.checks import compare_numbers
from pipeline.segment.splitter import segment_document
from pipeline.translate import translate_now

_NO_SPACE_LANGUAGES = {"zh", "ja"}


@dataclass(frozen=True)
class Score:
    label: str  # which models file, model and backend
    bleu: float
    chrf: float  # chrF++ (word n-grams of order 2)
    numbers_right: int  # source numbers found with the same value in the translation
    numbers_total: int
    lines: int
    seconds: float

    @property
    def numbers_share(self) -> float | None:
        return self.numbers_right / self.numbers_total if self.numbers_total else None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "bleu": round(self.bleu, 2),
            "chrf++": round(self.chrf, 2),
            "numbers_right": self.numbers_right,
            "numbers_total": self.numbers_total,
            "numbers_share": None if self.numbers_share is None else round(self.numbers_share, 4),
            "lines": self.lines,
            "lines_per_s": round(self.lines / self.seconds, 2) if self.seconds else None,
        }


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (one sentence or paragraph per line)."""
    if Path(path).exists() and not Path(path).is_file():  # a folder; a FIFO would block the read for ever
        raise PipelineError("not a regular file: give a text file, one sentence or paragraph per line", path=path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError("not UTF-8 text", path=path, line=line) from None
    return text.removeprefix("\ufeff").splitlines()


def check_parallel(src: list[str], ref: list[str], src_path: Path, ref_path: Path) -> None:
    if len(src) != len(ref):
        raise PipelineError(
            f"{len(src)} source lines but {len(ref)} reference lines in {ref_path}; the files must be line-aligned",
            path=src_path,
        )
    for i, (s, r) in enumerate(zip(src, ref), 1):
        if s.strip() and not r.strip():
            raise PipelineError("empty reference for a non-empty source line", path=ref_path, line=i)


def check_not_empty(src: list[str], src_path: Path) -> None:
    """Scores of nothing are no scores (and sacrebleu fails on an empty corpus)."""
    if not any(line.strip() for line in src):
        raise PipelineError("no lines to evaluate (the file is empty, or holds blank lines only)", path=src_path)


def read_test_set(src_path: Path, ref_path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    """The source and reference lines, line-aligned, the first `limit` of them, at least one."""
    src, ref = read_lines(src_path), read_lines(ref_path)
    check_parallel(src, ref, src_path, ref_path)
    if limit is not None:
        src, ref = src[:limit], ref[:limit]
    check_not_empty(src, src_path)
    return src, ref


def line_sentences(line: str) -> list[str]:
    """The catalogue msgids `run` makes of one line of plain text (the same reader and splitter)."""
    if not line.strip():
        return []
    doc = read_text_document(Path("line.txt"), "line.txt", line.encode("utf-8"))
    return [seg.text for seg in segment_document(doc)]


def translate_lines(translator, lines: list[str], locale: str, number_style: str, glossary=None) -> list[str]:
    """Each line as `run` would translate it: sentence by sentence, each as its catalogue entry reads."""
    sentences = [line_sentences(line) for line in lines]
    done = translate_now(
        translator, list(dict.fromkeys(s for line in sentences for s in line)), locale, number_style, glossary
    )
    sep = "" if target_language(locale) in _NO_SPACE_LANGUAGES else " "
    return [sep.join(done[s].text for s in line) for line in sentences]


def numbers_kept(sources: list[str], outputs: list[str]) -> tuple[int, int]:
    """(source numbers found by value in the output, source numbers), over all lines, as the QA
    `numbers` check compares them."""
    right = total = 0
    for src, out in zip(sources, outputs):
        compared = compare_numbers(src, out)
        total += compared.wanted.total()
        right += (compared.wanted - compared.missing).total()
    return right, total


def score(label: str, sources: list[str], outputs: list[str], refs: list[str], locale: str, seconds: float) -> Score:
    try:
        import sacrebleu
    except ImportError:
        raise PipelineError("scoring needs sacrebleu: pip install '.[eval]'") from None

    tokenize = "zh" if target_language(locale) == "zh" else "13a"
    bleu = sacrebleu.corpus_bleu(outputs, [refs], tokenize=tokenize).score
    chrf = sacrebleu.corpus_chrf(outputs, [refs], word_order=2).score
    right, total = numbers_kept(sources, outputs)
    return Score(label, bleu, chrf, right, total, len(sources), seconds)


def evaluate(
    configs: list[Config],
    src: list[str],
    ref: list[str],
    locale: str,
    load: Callable,
    output: Path | None = None,
) -> list[Score]:
    """One Score per models file, each for the model it routes gu → `locale`; `load(spec)` gives
    the translator. Models are loaded one at a time and dropped after use. `output`: a file for
    the translations, one line per source line (with one models file: `--output`)."""
    from pipeline.mt import resolve_backend

    scores = []
    for config in configs:
        route = config.route_for(locale)
        spec = route.legs[-1].spec  # a pivot route is labelled by its models, described by its last
        backend = resolve_backend(spec)
        quant = f", {spec.quantization}" if backend == "ctranslate2" else ""
        names = " → ".join(leg.spec.name for leg in route.legs)
        label = f"{config.path.name}: {names} ({backend}{quant}, beam {spec.generation.beam_size})"
        translator = load(spec if len(route.legs) == 1 else route)
        start = time.perf_counter()
        outputs = translate_lines(translator, src, locale, config.locale_options(locale).number_style, config.glossary)
        if output is not None:
            write_atomic(output, "".join(line + "\n" for line in outputs))
        scores.append(score(label, src, outputs, ref, locale, time.perf_counter() - start))
        del translator
    return scores


def format_table(scores: list[Score]) -> str:
    head = ("model", "BLEU", "chrF++", "numbers right", "lines/s")
    rows = [
        (
            s.label,
            f"{s.bleu:.2f}",
            f"{s.chrf:.2f}",
            f"{s.numbers_right}/{s.numbers_total}" + (f" ({s.numbers_share:.0%})" if s.numbers_total else ""),
            f"{s.lines / s.seconds:.2f}" if s.seconds else "-",
        )
        for s in scores
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
