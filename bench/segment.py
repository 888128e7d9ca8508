"""Sentence-boundary accuracy and speed of the project's Gujarati splitter against ICU, indic-nlp and a regex.

Test set: FLORES-200 dev, Gujarati (`guj_Gujr.dev`). Consecutive lines with the same URL in
`metadata_dev.tsv` come from one article; they are joined with a single space into a paragraph, and
every line end inside a paragraph is a gold boundary (the paragraph's own end is not scored: every
splitter gets it for free). Lines the file quotes CSV-style (`"..."` with `""` inside, a known quirk
of this copy) are unquoted first, the way a CSV reader would.

Lines that hold two sentences. FLORES aligns lines, not sentences, and about one line in ten holds
more than one sentence. A split inside a line is scored against the English reference line: when the
English holds k sentences (counted by a conservative regex that skips initials and common
abbreviations), up to k-1 splits inside the Gujarati line are neutral (neither right nor wrong); any
further split inside a line is a false positive. `--strict` counts every split inside a line as a
false positive instead; both figures are printed with --json.

Precision = correct boundaries / boundaries predicted (neutral ones left out), recall = correct /
gold, F1 their harmonic mean. A boundary is a position between two sentences with surrounding
whitespace ignored, so `છે." આ` must be cut after the closing quote, not before it.

Speed: MB (UTF-8) of the joined Gujarati paragraphs per second, one process pinned to one core,
best of several passes; other splitters are timed in the same run for the ratio.

    python bench/segment.py [--data ../shared/data/flores200-dev] [--json] [--show-errors NAME] [--limit N]
    python bench/segment.py --short      # seconds: 100 lines of the sample in tests/data (CI)

The short setting checks that the benchmark runs; its figures mean little.

Needs the `bench` extra (PyICU, indic-nlp-library); a splitter whose library is missing is skipped.
"""

from __future__ import annotations

import os
import sys

# bench/numbers.py would shadow the stdlib's `numbers` for every script in bench/: the repository
# root goes first on sys.path instead of this folder.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.segment.splitter import split_sentences  # noqa: E402

Splitter = Callable[[str], list[int]]  # text -> boundary positions (end of each sentence but the last)


@dataclass(frozen=True)
class Paragraph:
    text: str
    gold: frozenset[int]  # line ends inside the paragraph
    lines: tuple[tuple[int, int], ...]  # (start, end) of each line in `text`
    extra: tuple[int, ...]  # per line: sentences beyond the first in the English reference


# --- data -----------------------------------------------------------------------------------------

_EN_SENTENCE_END = re.compile(
    r"(?<!\b"
    + "\\b)(?<!\\b".join(["Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "vs", "v"])
    + r"\b)(?<![A-Z]\.[A-Z])(?<!\b[A-Z])[.!?][\"”')\]]*\s+[\"“'(]?[A-Z0-9]"
)


def english_sentences(line: str) -> int:
    """Sentences in an English reference line, counted conservatively (initials, Mr., U.S. not ends)."""
    return 1 + len(_EN_SENTENCE_END.findall(line))


def unquote_csv(line: str) -> str:
    line = line.strip()
    if len(line) >= 2 and line[0] == '"' and line[-1] == '"':
        return line[1:-1].replace('""', '"').strip()
    return line


SAMPLE = ROOT / "tests" / "data" / "flores-sample"  # the first 300 dev lines: *.txt and metadata.tsv


def _dev_file(data: Path, *names: str) -> Path:
    """The first of `names` in `data`: the FLORES dev folder's name, then the test sample's."""
    return next((data / name for name in names if (data / name).exists()), data / names[0])


def load_paragraphs(data: Path, limit: int | None = None) -> list[Paragraph]:
    gu = _dev_file(data, "guj_Gujr.dev", "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()[:limit]
    en = _dev_file(data, "eng_Latn.dev", "eng_Latn.txt").read_text(encoding="utf-8").splitlines()[:limit]
    metadata = _dev_file(data, "metadata_dev.tsv", "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]
    urls = [row.split("\t")[0] for row in metadata][:limit]
    if not len(gu) == len(en) == len(urls):
        raise SystemExit(f"{data}: guj_Gujr.dev, eng_Latn.dev and metadata_dev.tsv differ in length")
    groups: list[list[int]] = []
    for i, url in enumerate(urls):
        if groups and urls[groups[-1][-1]] == url:
            groups[-1].append(i)
        else:
            groups.append([i])
    paragraphs = []
    for group in groups:
        parts, lines, pos = [], [], 0
        for i in group:
            line = unquote_csv(gu[i])
            lines.append((pos, pos + len(line)))
            parts.append(line)
            pos += len(line) + 1
        text = " ".join(parts)
        paragraphs.append(
            Paragraph(
                text=text,
                gold=frozenset(end for _, end in lines[:-1]),
                lines=tuple(lines),
                extra=tuple(english_sentences(unquote_csv(en[i])) - 1 for i in group),
            )
        )
    return paragraphs


# --- splitters ------------------------------------------------------------------------------------


def _trim_back(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def ours(text: str) -> list[int]:
    return [end for _, end in split_sentences(text)[:-1]]


_NAIVE = re.compile(r"[.।॥?!]+(?=\s)")


def naive_regex(text: str) -> list[int]:
    """Cut after every run of . । ॥ ? ! that whitespace follows."""
    cuts = [m.end() for m in _NAIVE.finditer(text)]
    return [c for c in cuts if text[c:].strip()]


def make_icu() -> Splitter | None:
    try:
        import icu
    except ImportError:
        return None
    iterator = icu.BreakIterator.createSentenceInstance(icu.Locale("gu"))

    def icu_gu(text: str) -> list[int]:
        iterator.setText(text)
        units = list(iterator)  # UTF-16 offsets
        if any(ord(c) > 0xFFFF for c in text):
            to_char, u = {}, 0
            for i, c in enumerate(text):
                to_char[u] = i
                u += 2 if ord(c) > 0xFFFF else 1
            to_char[u] = len(text)
            units = [to_char[x] for x in units]
        cuts = [_trim_back(text, x) for x in units if 0 < x]
        return [c for c in cuts if text[c:].strip()]

    return icu_gu


def make_indic_nlp() -> Splitter | None:
    try:
        from indicnlp.tokenize.sentence_tokenize import sentence_split
    except ImportError:
        return None

    def indic_nlp(text: str) -> list[int]:
        # It returns edited sentences (it may add spaces, e.g. after dots in URLs), so map each one back
        # to the input by counting the non-space characters it covers.
        sentences = sentence_split(text, "gu")
        nonspace = [i for i, c in enumerate(text) if not c.isspace()]
        cuts, seen = [], 0
        for sentence in sentences[:-1]:
            seen += sum(1 for c in sentence if not c.isspace())
            if seen > len(nonspace):
                raise RuntimeError("indic-nlp changed the text beyond whitespace; cannot align")
            cuts.append(nonspace[seen - 1] + 1)
        return cuts

    return indic_nlp


def splitters() -> dict[str, Splitter]:
    found = {"ours (pipeline.segment)": ours}
    for name, make in (("ICU BreakIterator gu", make_icu), ("indic-nlp sentence_split", make_indic_nlp)):
        splitter = make()
        if splitter is None:
            print(f"skipped {name}: library not installed (pip install '.[bench]')", file=sys.stderr)
        else:
            found[name] = splitter
    found["naive regex"] = naive_regex
    return found


# --- scoring --------------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    neutral: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "neutral": self.neutral,
        }


def score(paragraph: Paragraph, cuts: list[int], total: Score, strict: bool, errors: list | None = None) -> None:
    text = paragraph.text
    predicted = {_trim_back(text, c) for c in cuts if text[:c].strip() and text[c:].strip()}
    hits = predicted & paragraph.gold
    total.tp += len(hits)
    total.fn += len(paragraph.gold - predicted)
    for i, (start, end) in enumerate(paragraph.lines):
        inside = sorted(c for c in predicted - hits if start < c < end)
        allowed = 0 if strict else min(len(inside), paragraph.extra[i])
        total.neutral += allowed
        total.fp += len(inside) - allowed
        if errors is not None and len(inside) > allowed:
            errors.append(("FP", text[start:end], inside))
    if errors is not None:
        for g in sorted(paragraph.gold - predicted):
            errors.append(("FN", text[max(0, g - 60) : g + 40], [g]))


def evaluate(paragraphs: list[Paragraph], split: Splitter, strict: bool, errors: list | None = None) -> Score:
    total = Score()
    for paragraph in paragraphs:
        score(paragraph, split(paragraph.text), total, strict, errors)
    return total


def megabytes_per_second(paragraphs: list[Paragraph], split: Splitter, seconds: float = 1.0) -> float:
    size = sum(len(p.text.encode("utf-8")) for p in paragraphs) / 1e6
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        for p in paragraphs:
            split(p.text)
        best = min(best, time.perf_counter() - start)
        if time.perf_counter() > deadline:
            return size / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "flores200-dev")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--strict", action="store_true", help="table shows strict scores (every split inside a line is wrong)"
    )
    parser.add_argument(
        "--show-errors", metavar="NAME", help="list the errors of the splitter whose name starts with NAME"
    )
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--limit", type=int, help="only the first N lines")
    parser.add_argument(
        "--short", action="store_true", help="a check that the benchmark runs, in seconds: 100 lines of the test sample"
    )
    args = parser.parse_args(argv)
    if args.short:
        args.data, args.limit = SAMPLE, args.limit or 100
    if not _dev_file(args.data, "guj_Gujr.dev", "guj_Gujr.txt").exists():
        raise SystemExit(f"{args.data}: no guj_Gujr.dev here; pass --data DIR (the FLORES-200 dev folder)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    paragraphs = load_paragraphs(args.data, args.limit)
    results = {}
    for name, split in splitters().items():
        errors: list | None = [] if args.show_errors and name.startswith(args.show_errors) else None
        main_score = evaluate(paragraphs, split, strict=False, errors=None if args.strict else errors)
        strict_score = evaluate(paragraphs, split, strict=True, errors=errors if args.strict else None)
        speed = None if args.no_speed else megabytes_per_second(paragraphs, split, 0.1 if args.short else 1.0)
        results[name] = {
            "scored": main_score.as_dict(),
            "strict": strict_score.as_dict(),
            "mb_per_s": None if speed is None else round(speed, 2),
        }
        if errors:
            for kind, where, cuts in errors:
                print(kind, cuts, where, sep="\t")
    gold = sum(len(p.gold) for p in paragraphs)
    unmarked = sum(1 for p in paragraphs for g in p.gold if not re.search(r"[.।॥?!…]['\"”’)\]]*$", p.text[:g]))
    meta = {
        "paragraphs": len(paragraphs),
        "lines": sum(len(p.lines) for p in paragraphs),
        "gold_boundaries": gold,
        "gold_without_end_punctuation": unmarked,
        "megabytes": round(sum(len(p.text.encode()) for p in paragraphs) / 1e6, 3),
    }
    if args.json:
        print(json.dumps({"data": meta, "splitters": results}, ensure_ascii=False, indent=2))
        return
    print(
        f"FLORES-200 dev gu: {meta['paragraphs']} paragraphs, {meta['lines']} lines, {gold} gold boundaries "
        f"({unmarked} after a line with no end punctuation), {meta['megabytes']} MB"
    )
    key = "strict" if args.strict else "scored"
    print(f"{'splitter':28} {'P':>7} {'R':>7} {'F1':>7} {'strictF1':>9} {'MB/s':>8} {'speed×':>7}")
    base = results["ours (pipeline.segment)"]["mb_per_s"]
    for name, r in results.items():
        s = r[key]
        speed = "" if r["mb_per_s"] is None else f"{r['mb_per_s']:8.2f} {r['mb_per_s'] / base:7.2f}"
        print(f"{name:28} {s['precision']:7.4f} {s['recall']:7.4f} {s['f1']:7.4f} {r['strict']['f1']:9.4f} {speed}")


if __name__ == "__main__":
    main()
