"""`bench/scale.py --archive SIZES`: an archive of short documents with one catalogue each.

An archive of N unique sentences in documents of about 30 (25 to 35), a hundred documents to a
section folder (`section-03/article-00317.txt`), run with `--catalogs per-document` (or the layout
`--catalogs` names) through the same memory-filled stub model as the single-catalogue mode, so
no model runs. Each step is its own `pipeline run` process, as a user or a CI job runs it, so its
seconds include the interpreter's start and the imports, and its peak RSS is its own:

- `first`: the first build (then reviewers approve half of every catalogue, and one untimed run
  re-checks those entries);
- `no-change`: the same run again;
- `daily`: a run after the same fixed set of documents (200 by default, whatever the archive's
  size) each got sentences edited, added and removed;
- `after-daily`: the run after that, which should be a no-change run too.

The growth exponent of each step is measured between the two largest sizes, and a daily update
of a 1,000,000-sentence archive is projected from the daily step's exponent.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scale import (
    ROOT,
    SentenceMaker,
    edit_one_word,
    fill_memory,
    growth,
    models_file,
    read_flores,
    review,
    stages_text,
)

SENTENCES_PER_DOC = (25, 35)
DOCS_PER_SECTION = 100
DAILY_EDITS = DAILY_ADDS = DAILY_REMOVALS = 2  # per document touched
STEPS = ("first", "no-change", "daily", "after-daily")
PROJECTED = 1_000_000
TARGETS = {  # what a daily update of an archive must cost on a small machine
    "daily growth exponent": 0.25,
    "no-change seconds at the largest size": 2.0,
    f"projected daily seconds at {PROJECTED:,}": 30.0,
}


def documents(n: int, maker: SentenceMaker, rng: random.Random) -> dict[str, list[str]]:
    """name → sentences, N sentences in all."""
    docs: dict[str, list[str]] = {}
    left = n
    while left > 0:
        d = len(docs)
        take = min(left, rng.randint(*SENTENCES_PER_DOC))
        docs[f"section-{d // DOCS_PER_SECTION:02d}/article-{d:05d}.txt"] = [maker.make() for _ in range(take)]
        left -= take
    return docs


def write_documents(folder: Path, docs: dict[str, list[str]]) -> list[Path]:
    written = []
    for name, lines in docs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(lines) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def daily_update(docs: dict[str, list[str]], touched: int, maker: SentenceMaker, rng: random.Random) -> dict:
    """The same `touched` documents each day (the first ones of a fixed shuffle, whatever the
    archive's size): sentences edited, added and removed in each."""
    names = sorted(docs)
    random.Random(31).shuffle(names)
    updated = dict(docs)
    for name in names[:touched]:
        lines = list(docs[name])
        for i in rng.sample(range(len(lines)), min(DAILY_EDITS, len(lines))):
            lines[i] = edit_one_word(lines[i], rng)
        for _ in range(min(DAILY_REMOVALS, len(lines) - 1)):
            del lines[rng.randrange(len(lines))]
        for _ in range(DAILY_ADDS):
            lines.insert(rng.randrange(len(lines) + 1), maker.make())
        updated[name] = lines
    return updated


def step_environment(folder: Path) -> dict[str, str]:
    """The steps' environment: the package's bytecode cached (in the bench's folder), as an
    installed package has it, even where the caller's environment says not to write it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(folder.parent / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_step(folder: Path, catalogs: str) -> dict:
    """One `pipeline run` in a process of its own: wall seconds (start-up and imports included),
    the seconds inside the command, per stage, and the process's peak RSS."""
    command = [sys.executable, str(ROOT / "bench" / "scale.py"), "--step", str(folder), "--catalogs", catalogs]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=step_environment(folder))
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        sys.exit(f"step failed in {folder}:\n{stderr[-3000:]}{stdout[-2000:]}")
    inside = json.loads(stdout.strip().splitlines()[-1])
    return {
        "seconds": round(seconds, 2),
        "in_command_s": inside["seconds"],
        "stages": inside["stages"],
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def one_archive(n: int, folder: Path, data: Path, catalogs: str, touched: int) -> dict:
    rng = random.Random(n)
    maker = SentenceMaker(read_flores(data), seed=n)
    docs = documents(n, maker, rng)
    models = models_file(folder)
    sources = folder / "sources"
    write_documents(sources, docs)
    fill_memory(folder / ".pipeline", models, sources)
    result = {"sentences": n, "documents": len(docs), "catalogs": catalogs, "touched": touched, "steps": {}}
    result["steps"]["first"] = run_step(folder, catalogs)
    review(folder, 0.5, rng)
    result["after-review"] = run_step(folder, catalogs)  # approved entries' QA notes re-checked once
    result["steps"]["no-change"] = run_step(folder, catalogs)
    updated = daily_update(docs, touched, maker, rng)
    changed = write_documents(sources, updated)
    fill_memory(folder / ".pipeline", models, changed)
    result["steps"]["daily"] = run_step(folder, catalogs)
    result["steps"]["after-daily"] = run_step(folder, catalogs)
    result["changed_documents"] = len(changed)
    catalogues = list((folder / "locales").rglob("*.po"))
    result["po_files"] = len(catalogues)
    result["locales_mb"] = round(sum(p.stat().st_size for p in catalogues) / 1e6, 1)
    return result


def targets(results: list[dict], exponents: dict[str, float]) -> dict[str, dict]:
    """Each target, the figure measured (or projected), and whether it is met."""
    largest = results[-1]
    daily_k = exponents.get("daily")
    projected = (
        largest["steps"]["daily"]["seconds"] * (PROJECTED / largest["sentences"]) ** daily_k
        if daily_k is not None
        else None
    )
    figures = {
        "daily growth exponent": daily_k,
        "no-change seconds at the largest size": largest["steps"]["no-change"]["seconds"],
        f"projected daily seconds at {PROJECTED:,}": round(projected, 1) if projected is not None else None,
    }
    return {
        name: {
            "target": f"<= {limit}",
            "measured": figures[name],
            "met": figures[name] is not None and figures[name] <= limit,
        }
        for name, limit in TARGETS.items()
    }


def run_archives(sizes: list[int], base: Path, data: Path, catalogs: str, touched: int) -> dict:
    results = []
    for n in sizes:
        folder = base / f"archive-{catalogs}-{n}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        results.append(one_archive(n, folder, data, catalogs, min(touched, max(1, n // sum(SENTENCES_PER_DOC)))))
        print(f"archive of {n} sentences done", file=sys.stderr, flush=True)
    exponents = growth(results, STEPS)
    return {"sizes": results, "growth": exponents, "targets": targets(results, exponents)}


def print_archive(report: dict) -> None:
    first = report["sizes"][0]
    print(
        f"\nArchive: documents of {SENTENCES_PER_DOC[0]}-{SENTENCES_PER_DOC[1]} sentences, "
        f"--catalogs {first['catalogs']}; each step a `pipeline run` process of its own"
    )
    print("| sentences | documents | step | seconds | in command | stages (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for r in report["sizes"]:
        for step in STEPS:
            s = r["steps"][step]
            print(
                f"| {r['sentences']:,} | {r['documents']:,} | {step} | {s['seconds']} | {s['in_command_s']} "
                f"| {stages_text(s)} | {s['peak_rss_mb']} |"
            )
    print(
        "daily update: "
        + "; ".join(f"{r['touched']} documents of {r['documents']:,} touched" for r in report["sizes"])
        + f" ({DAILY_EDITS} sentences edited, {DAILY_ADDS} added, {DAILY_REMOVALS} removed in each)"
    )
    print("catalogues: " + "; ".join(f"{r['po_files']:,} .po files, {r['locales_mb']} MB" for r in report["sizes"]))
    print("growth exponent between the two largest sizes:", report["growth"])
    for name, t in report["targets"].items():
        print(f"target {name} {t['target']}: {t['measured']} ({'met' if t['met'] else 'NOT met'})")
