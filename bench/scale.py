"""How the work around the model grows with the archive: catalogue builds at several sizes.

    python bench/scale.py [--json] [--sizes 1000,10000,100000] [--fuzzy 2000] [--data DIR]
    python bench/scale.py --archive 30000,120000 [--catalogs per-document] [--sizes ...]
    python bench/scale.py --short       # seconds: sizes 100,200 and a tiny archive on the test sample (CI)

`--archive` times an archive of short documents with one catalogue each: see
bench/scaling/archive.py. Given with `--sizes`, both are run and both tables printed.

For each size N it writes sources of N unique Gujarati sentences (thirds of three FLORES dev lines
joined, so sentences are new but read like news), a reviewed memory of N/2 of them and machine
translations for all of them, stored in the translation memory under the key the translate stage
uses, so no model runs (the models file points at a stub folder that cannot be loaded: a sentence
missing from the memory fails the run instead of being timed). Then, through `pipeline.cli.main`
like a user's `pipeline run ... --to en,zh_Hans`, it times:

- `first`: the first catalogue build;
- `no-change`: the same run again;
- `daily`: a run after 2% of the sentences got one word edited, 2% were added and 2% removed.

After the first build reviewers approve half of each catalogue (the reviewed memory of N/2
entries lives in the catalogues), and one untimed run re-checks those entries' QA notes.

Each step reports wall seconds, seconds per runner stage (the steps `jobs.Runner.run` chains:
segment, plan, translate, localize, template, catalog) and the peak RSS of the process
(each size runs in its own process). The growth exponent of each step is measured between the
two largest sizes (1.0 is linear). On the largest catalogues it also times GNU `msgcat` and
`msgmerge` beside this project's reader and writer on the same files, and, in the same run,
fuzzy matching of FLORES dev edits: `--fuzzy` new against as many old sentences, with the
all-pairs scorer the project used before (`exhaustive_before`, copied below) and with the
indexed `best_matches` (best of three runs), checking that both find the same matches.
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bench/numbers.py shadows numbers

import argparse
import contextlib
import io
import json
import math
import random
import resource
import shutil
import subprocess
import tempfile
import time
import zlib
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("en", "zh_Hans")
LINES_PER_DOC = 500
STEPS = ("first", "no-change", "daily")


# --- data ------------------------------------------------------------------------------------


def read_flores(data: Path) -> list[str]:
    path = data / "guj_Gujr.dev"
    if not path.exists() and (data / "guj_Gujr.txt").exists():  # the sample shipped with the tests
        path = data / "guj_Gujr.txt"
    if not path.exists():
        sys.exit(f"{path} not found: pass --data DIR holding FLORES-200 dev (guj_Gujr.dev)")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def thirds(line: str) -> tuple[str, str, str]:
    words = line.split()
    a, b = len(words) // 3, 2 * len(words) // 3
    return " ".join(words[:a]), " ".join(words[a:b]), " ".join(words[b:])


class SentenceMaker:
    """Unique sentences: the first, middle and last third of three different FLORES lines."""

    def __init__(self, lines: list[str], seed: int):
        self.parts = [thirds(line) for line in lines if len(line.split()) >= 6]
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def make(self) -> str:
        while True:
            a, b, c = self.rng.sample(range(len(self.parts)), 3)
            text = " ".join([self.parts[a][0], self.parts[b][1], self.parts[c][2]])
            if text not in self.seen:
                self.seen.add(text)
                return text


def edit_one_word(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    i = rng.randrange(len(words) - 1)  # not the last word: it carries the full stop
    words[i] = rng.choice(["નવું", "બદલાયેલું", "સુધારેલું", "તાજું"])
    return " ".join(words)


def write_sources(folder: Path, lines: list[str]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for d, start in enumerate(range(0, len(lines), LINES_PER_DOC)):
        (folder / f"article-{d:04d}.txt").write_text(
            "\n".join(lines[start : start + LINES_PER_DOC]) + "\n", encoding="utf-8"
        )


def models_file(folder: Path) -> Path:
    """A models file routing both pairs to a stub model folder: it has an identity (fingerprint)
    for the memory's key, and no weights, so a sentence the memory lacks fails the run."""
    stub = folder / "stub-model"
    stub.mkdir(parents=True, exist_ok=True)
    (stub / "config.json").write_text('{"note": "benchmark stub: never loaded"}\n', encoding="utf-8")
    path = folder / "models.yaml"
    path.write_text(
        "models:\n  stub:\n    family: nllb\n    source: ./stub-model\npairs:\n  gu-en: stub\n  gu-zh: stub\n",
        encoding="utf-8",
    )
    return path


def fill_memory(workdir: Path, models: Path, sources: Path | list[Path]) -> None:
    """Machine translations for every sentence of `sources` (a folder, or files), stored the way
    the translate stage would find them (what the model is given, the route's key, the target
    with its script)."""
    from pipeline import localise
    from pipeline.config import load_config
    from pipeline.ingest import collect_sources, read_document
    from pipeline.layout import MEMORY_FILE, SOURCE_LANGUAGE
    from pipeline.memory import TranslationMemory
    from pipeline.segment.splitter import segment_document

    config = load_config(models)
    texts = list(
        dict.fromkeys(
            seg.text
            for path, name in collect_sources(sources if isinstance(sources, list) else [sources])
            for seg in segment_document(read_document(path, name))
        )
    )
    en, zh = reference_lines()
    with TranslationMemory(workdir / MEMORY_FILE) as memory:
        for locale, refs in zip(LOCALES, (en, zh)):
            route = config.route_for(locale)
            inputs = {localise.prepare(t).model_input for t in texts}
            stand_in = {s: refs[zlib.crc32(s.encode()) % len(refs)] for s in inputs}  # reference text of some sentence
            memory.store(stand_in, SOURCE_LANGUAGE, route.tgt, route.settings_key(), route.model_id)


def reference_lines() -> tuple[list[str], list[str]]:
    sample = ROOT / "tests/data/flores-sample"
    return tuple(
        [line.strip() for line in (sample / name).read_text(encoding="utf-8").splitlines()]
        for name in ("eng_Latn.txt", "zho_Hans.txt")
    )


def review(folder: Path, share: float, rng: random.Random) -> None:
    """Reviewers approve `share` of each catalogue's entries (of every catalogue of a locale, in
    an archive with one per document): the reviewed memory, which lives in the catalogues
    themselves (untimed)."""
    refs = dict(zip(LOCALES, reference_lines()))
    for locale in LOCALES:
        for path in sorted((folder / "locales" / locale / "LC_MESSAGES").rglob("*.po")):
            review_one(path, locale, refs[locale], share, rng)


def review_one(path: Path, locale: str, refs: list[str], share: float, rng: random.Random) -> None:
    from pipeline.catalog import pofile

    po = pofile.read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    for e in rng.sample(live, int(len(live) * share)):
        e.msgstr = refs[zlib.crc32(e.msgid.encode()) % len(refs)]
        e.flags = [f for f in e.flags if f != "fuzzy"]
    pofile.save_catalog(path, po, locale, po)


# --- timing ----------------------------------------------------------------------------------


# The runner's methods that run a stage with its caching (instrumented here only; see jobs.runner).
STAGES = {  # methods of earlier versions too: a name the runner lacks is simply not timed
    "segment": "segment",
    "segment_payloads": "segment",
    "_plan": "plan",
    "plan_catalog": "plan",
    "_translate": "translate",
    "_localise": "localize",
    "_template": "template",
    "template": "template",
    "_current": "catalog-check",
    "current": "catalog-check",
    "_merge": "catalog",
    "merge": "catalog",
}


class StageTimer:
    """Seconds spent in each stage the runner chains (outermost calls only)."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.depth = 0

    def install(self) -> None:
        from pipeline.jobs.runner import Runner

        for name, label in STAGES.items():
            if hasattr(Runner, name):  # a stage the runner no longer has is simply not timed
                setattr(Runner, name, self._wrap(label, getattr(Runner, name)))

    def _wrap(self, name, func):
        def timed(*args, **kwargs):
            self.depth += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.seconds[name] += time.perf_counter() - start

        return timed

    def take(self) -> dict[str, float]:
        out = {k: round(v, 2) for k, v in self.seconds.items()}
        self.seconds.clear()
        return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_pipeline(folder: Path, timer: StageTimer, catalogs: str = "single") -> dict:
    from pipeline.cli import main

    layout = ["--catalogs", catalogs] if catalogs != "single" else []  # single: the default
    argv = [
        "run",
        str(folder / "sources"),
        "--to",
        ",".join(LOCALES),
        "--models",
        str(folder / "models.yaml"),
        "--locales",
        str(folder / "locales"),
        "--workdir",
        str(folder / ".pipeline"),
        *layout,
    ]
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"pipeline run failed ({status}): {err.getvalue()[-2000:]}")
    summary = out.getvalue().strip()
    if " translated by" in summary and any(f"{loc}: 0 translated" not in summary for loc in LOCALES):
        sys.exit(f"the model ran (the memory should have served everything): {summary}")
    stages = timer.take()
    stages["other"] = round(max(0.0, seconds - sum(stages.values())), 2)  # collecting sources, the report, ...
    return {"seconds": round(seconds, 2), "stages": stages, "peak_rss_mb": round(peak_rss_mb())}


def one_size(n: int, folder: Path, data: Path) -> dict:
    """All three steps for one size, in this process (so its peak RSS is this size's)."""
    rng = random.Random(n)
    maker = SentenceMaker(read_flores(data), seed=n)
    lines = [maker.make() for _ in range(n)]
    models = models_file(folder)
    write_sources(folder / "sources", lines)
    fill_memory(folder / ".pipeline", models, folder / "sources")
    timer = StageTimer()
    timer.install()
    result = {"sentences": n, "steps": {}}
    result["steps"]["first"] = run_pipeline(folder, timer)
    review(folder, 0.5, rng)  # a reviewed memory of N/2 entries, in the catalogues
    result["after-review"] = run_pipeline(folder, timer)  # approved entries' QA notes re-checked once
    result["steps"]["no-change"] = run_pipeline(folder, timer)

    share = max(1, n // 50)  # 2%
    order = list(range(n))
    rng.shuffle(order)
    edited, removed = set(order[:share]), set(order[share : 2 * share])
    updated = [edit_one_word(line, rng) if i in edited else line for i, line in enumerate(lines) if i not in removed]
    for _ in range(share):
        updated.insert(rng.randrange(len(updated) + 1), maker.make())
    write_sources(folder / "sources", updated)
    fill_memory(folder / ".pipeline", models, folder / "sources")
    result["steps"]["daily"] = run_pipeline(folder, timer)
    result["catalogues"] = catalogue_tools(folder)
    return result


def catalogue_tools(folder: Path) -> dict:
    """GNU msgcat and msgmerge beside this project's reader and writer, on the same catalogues."""
    from pipeline.catalog import pofile, poformat

    pot = folder / "locales" / "messages.pot"
    pos = [folder / "locales" / loc / "LC_MESSAGES" / "messages.po" for loc in LOCALES]
    out: dict[str, float] = {"mb": round(sum(p.stat().st_size for p in pos) / 1e6, 1)}

    def timed(work) -> float:
        start = time.perf_counter()
        work()
        return round(time.perf_counter() - start, 2)

    read = {}
    out["reader_s"] = timed(lambda: read.update({p: pofile.read_po(p) for p in pos}))
    texts = {}
    out["writer_s"] = timed(lambda: texts.update({p: poformat.format_catalog(read[p]) for p in pos}))
    out["writer_identical"] = all(texts[p] == p.read_text(encoding="utf-8") for p in pos)
    if shutil.which("msgcat") and shutil.which("msgmerge"):
        with tempfile.TemporaryDirectory() as tmp:
            out["msgcat_s"] = timed(
                lambda: [subprocess.run(["msgcat", "-o", f"{tmp}/a.po", str(p)], check=True) for p in pos]
            )
            out["msgmerge_s"] = timed(
                lambda: [
                    subprocess.run(["msgmerge", "--quiet", "-o", f"{tmp}/b.po", str(p), str(pot)], check=True)
                    for p in pos
                ]
            )
    return out


# --- fuzzy matching --------------------------------------------------------------------------


def exhaustive_before(new, old, threshold=0.6):
    """The all-pairs matcher as it was before the index (difflib only), for timing."""
    from pipeline.catalog.similarity import FLOOR, Units

    def ratio(a, b):
        m = SequenceMatcher(None, a, b, autojunk=False)
        if m.real_quick_ratio() < FLOOR or m.quick_ratio() < FLOOR:
            return 0.0
        return m.ratio()

    def similarity(a, b):
        if not (a.long_enough and b.long_enough):
            return 0.0
        words = ratio(a.words, b.words)
        if words < FLOOR:
            return 0.0
        graphemes = ratio(a.graphemes, b.graphemes)
        return 0.0 if graphemes < FLOOR else (words + graphemes) / 2

    new_units = [Units.of(t) for t in dict.fromkeys(new)]
    old_units = [Units.of(t) for t in dict.fromkeys(old)]
    candidates = sorted(
        (-s, i, j)
        for i, n in enumerate(new_units)
        if n.long_enough
        for j, o in enumerate(old_units)
        for s in [similarity(n, o)]
        if s >= threshold
    )
    used_new, used_old, out = set(), set(), {}
    for neg, i, j in candidates:
        if i not in used_new and j not in used_old:
            used_new.add(i)
            used_old.add(j)
            out[new_units[i].text] = (old_units[j].text, -neg)
    return out


def fuzzy(size: int, data: Path) -> dict:
    """`size` new sentences (one- and two-word edits of FLORES dev lines, and unrelated ones)
    against `size` old ones (the dev lines and other sentences), before and after the index."""
    from pipeline.catalog.similarity import best_matches

    lines = read_flores(data)
    rng = random.Random(1)
    new = []
    for line in lines:
        for edits in (1, 2):
            words = line.split()
            for i in rng.sample(range(len(words)), min(edits, len(words))):
                words[i] = rng.choice(["નવું", "બદલાયેલું", "જૂનું"])
            new.append(" ".join(words))
    maker = SentenceMaker(lines, seed=2)
    new = list(dict.fromkeys(new))[: size - size // 10]
    new += [maker.make() for _ in range(size - len(new))]  # a tenth unrelated to every old sentence
    old = lines[:size] + [maker.make() for _ in range(size - min(size, len(lines)))]
    start = time.perf_counter()
    before = exhaustive_before(new, old)
    before_s = time.perf_counter() - start
    after_s = math.inf
    for _ in range(3):  # best of three, as timeit reports: one sub-second run after 40 s of difflib is noise
        start = time.perf_counter()
        after = best_matches(new, old)
        after_s = min(after_s, time.perf_counter() - start)
    differ = sorted(set(before.items()) ^ set(after.items()))
    # The case that took hours: a day's edits against a 50,000-entry reviewed memory (index only).
    memory = lines + [maker.make() for _ in range(50_000 - len(lines))]
    start = time.perf_counter()
    against_memory = best_matches(new[: size // 2], memory)
    memory_s = time.perf_counter() - start
    return {
        "pairs": f"{len(new)} x {len(old)}",
        "before_s": round(before_s, 2),
        "after_s": round(after_s, 3),
        "speedup": round(before_s / after_s, 1),
        "matches": len(after),
        "same_matches": not differ,
        "differences": differ[:5],
        "against_memory": f"{size // 2} x {len(memory)}",
        "against_memory_s": round(memory_s, 2),
        "against_memory_matches": len(against_memory),
    }


# --- report ----------------------------------------------------------------------------------


def growth(results: list[dict], steps: tuple[str, ...] = STEPS) -> dict[str, float]:
    """Exponent k in time ~ N^k between the two largest sizes, per step."""
    if len(results) < 2:
        return {}
    a, b = results[-2], results[-1]
    span = math.log(b["sentences"] / a["sentences"])
    return {
        step: round(math.log(max(b["steps"][step]["seconds"], 0.01) / max(a["steps"][step]["seconds"], 0.01)) / span, 2)
        for step in steps
    }


def stages_text(step: dict) -> str:
    """A step's seconds per stage, as one table cell."""
    return ", ".join(f"{k} {v}" for k, v in step["stages"].items())


def print_table(report: dict) -> None:
    if report.get("sizes"):
        print("One catalogue per locale; each size in a process of its own, seconds inside the command")
        print("| sentences | step | seconds | stages (s) | peak RSS (MB) |")
        print("|---|---|---|---|---|")
        for r in report["sizes"]:
            for step in STEPS:
                s = r["steps"][step]
                print(f"| {r['sentences']:,} | {step} | {s['seconds']} | {stages_text(s)} | {s['peak_rss_mb']} |")
        print("growth exponent between the two largest sizes:", report["growth"])
        largest = report["sizes"][-1]
        print(f"largest catalogues ({largest['sentences']:,} sentences, {', '.join(LOCALES)}):", largest["catalogues"])
    if report.get("archive"):
        from bench.scaling.archive import print_archive

        print_archive(report["archive"])
    if report.get("fuzzy"):
        print("fuzzy matching:", report["fuzzy"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        help="comma-separated sentence counts of one catalogue (default 1000,10000,100000 unless --archive alone)",
    )
    parser.add_argument(
        "--archive",
        help="comma-separated sentence counts of an archive of short documents, one catalogue each "
        "(e.g. 30000,120000; see bench/scaling/archive.py)",
    )
    parser.add_argument(
        "--catalogs",
        default="per-document",
        choices=("single", "per-document", "per-folder"),
        help="the archive's catalogue layout (default per-document)",
    )
    parser.add_argument(
        "--daily-documents", type=int, default=200, help="documents the archive's daily update touches (default 200)"
    )
    parser.add_argument("--fuzzy", type=int, default=2000, help="new and old sentences for fuzzy matching (0: skip)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "flores200-dev")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="build here and keep the files (default: a temporary folder)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in a child process
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--step", type=Path, help=argparse.SUPPRESS)  # one archive run, in a child process
    parser.add_argument(
        "--short",
        action="store_true",
        help="a check that the benchmark runs, in seconds: sizes 100,200, an archive of 150,300 "
        "sentences (2 documents touched daily) and fuzzy 50 on the test sample (its figures mean little)",
    )
    args = parser.parse_args()
    if args.step:
        timer = StageTimer()
        timer.install()
        print(json.dumps(run_pipeline(args.step, timer, args.catalogs)))
        return
    if args.short:
        args.sizes, args.archive, args.fuzzy = "100,200", "150,300", 50
        args.daily_documents, args.data = 2, ROOT / "tests" / "data" / "flores-sample"
    if args.one:
        print(json.dumps(one_size(args.one, args.folder, args.data)))
        return
    if args.sizes is None and args.archive is None:
        args.sizes = "1000,10000,100000"
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        report = {}
        if args.sizes:
            results = single_catalogues(sorted(int(s) for s in args.sizes.split(",")), base, args.data)
            report.update({"sizes": results, "growth": growth(results)})
        if args.archive:
            from bench.scaling.archive import run_archives

            sizes = sorted(int(s) for s in args.archive.split(","))
            report["archive"] = run_archives(sizes, base, args.data, args.catalogs, args.daily_documents)
        if args.fuzzy:
            report["fuzzy"] = fuzzy(args.fuzzy, args.data)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print_table(report)


def single_catalogues(sizes: list[int], base: Path, data: Path) -> list[dict]:
    """Each size in a process of its own (so its peak RSS is that size's)."""
    results = []
    for n in sizes:
        folder = base / f"n{n}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--folder", str(folder), "--data", str(data)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if child.returncode != 0:
            sys.exit(f"size {n} failed:\n{child.stderr[-3000:]}{child.stdout[-2000:]}")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"{n} sentences done", file=sys.stderr, flush=True)
    return results


if __name__ == "__main__":
    main()
