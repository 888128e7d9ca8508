"""How well the `numbers` check judges human translations, measured on FLORES-200 dev.

Builds gu→en and gu→zh .po files from the human reference translations, runs `pipeline check`'s
numbers check over them, and reports:
  (a) false alarms: the share of entries with a number (either side) flagged although the human
      translation is right (target: ≤ 2% en, ≤ 4% zh);
  (b) catch rate: the share of deliberately broken copies flagged, where one digit of one number
      in the translation was changed, or one number was removed (target: ≥ 98%).

    python bench/numbers.py [FLORES_DIR] [--show N] [--limit N]
    python bench/numbers.py --short      # seconds: 100 lines of the sample in tests/data (CI)

FLORES_DIR defaults to ../shared/data/flores200-dev beside the repository (CC BY-SA 4.0). The
short setting checks that the benchmark runs; its figures mean little and it exits 0 whatever
they are.
"""

from __future__ import annotations

import os
import sys

# This file is bench/numbers.py: with bench/ first on sys.path it would shadow the stdlib's `numbers`.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import random
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

from pipeline.localise.numbers import find_source_numbers, find_target_numbers  # noqa: E402
from pipeline.qa.catalog import check_files  # noqa: E402

TARGETS = {"en": ("eng_Latn", 0.02), "zh_Hans": ("zho_Hans", 0.04)}
SAMPLE = ROOT / "tests" / "data" / "flores-sample"  # the first 300 dev lines, as *.txt


def default_flores() -> Path:
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (base / "data" / "flores200-dev").is_dir():
            return base / "data" / "flores200-dev"
    return ROOT.parent / "shared" / "data" / "flores200-dev"


def read_lines(folder: Path, language: str) -> list[str]:
    """`language`.dev of the FLORES dev folder, or `language`.txt of the test sample."""
    for suffix in (".dev", ".txt"):
        if (folder / (language + suffix)).exists():
            return (folder / (language + suffix)).read_text(encoding="utf-8").splitlines()
    sys.exit(f"{folder}: no {language}.dev here; pass the FLORES-200 dev folder")


def write_po(path: Path, locale: str, pairs: list[tuple[str, str]]) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": locale}
    for i, (source, translation) in enumerate(pairs):
        po.append(polib.POEntry(msgctxt=str(i), msgid=source, msgstr=translation))
    po.save(str(path))


def has_number(source: str, translation: str) -> bool:
    return any(not n.soft and not n.spelt for n in find_source_numbers(source)) or any(
        not n.soft for n in find_target_numbers(translation, words=False)
    )


def broken_copies(translation: str, rng: random.Random) -> list[tuple[str, str]]:
    """One copy with one digit of one number changed, one with one number removed (digits only)."""
    numbers = [n for n in find_target_numbers(translation, words=False) if n.start >= 0]
    if not numbers:
        return []
    n = rng.choice(numbers)
    digit_positions = [n.start + i for i, c in enumerate(translation[n.start : n.end]) if c.isdigit()]
    pos = rng.choice(digit_positions)
    new_digit = rng.choice([d for d in "0123456789" if d != translation[pos]])
    changed = translation[:pos] + new_digit + translation[pos + 1 :]
    removed = translation[: n.start] + translation[n.end :]
    return [("digit changed", changed), ("number removed", removed)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("flores", nargs="?", type=Path, default=default_flores())
    ap.add_argument("--show", type=int, default=0, help="print up to N false alarms and misses per locale")
    ap.add_argument("--limit", type=int, help="only the first N lines")
    ap.add_argument(
        "--short",
        action="store_true",
        help="a check that the benchmark runs, in seconds: 100 lines of the test sample, exit 0",
    )
    args = ap.parse_args()
    if args.short:
        args.flores, args.limit = SAMPLE, args.limit or 100
    gu = read_lines(args.flores, "guj_Gujr")[: args.limit]
    rng = random.Random(4)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for locale, (name, limit) in TARGETS.items():
            refs = read_lines(args.flores, name)[: args.limit]
            pairs = [(s.strip(), t.strip()) for s, t in zip(gu, refs) if has_number(s, t)]
            good = Path(tmp) / f"{locale}.po"
            write_po(good, locale, pairs)
            flagged = {f.msgctxt for f in check_files([good], only=("numbers",))}
            every = Path(tmp) / f"{locale}-all.po"
            write_po(every, locale, [(s.strip(), t.strip()) for s, t in zip(gu, refs)])
            flagged_all = len({f.msgctxt for f in check_files([every], only=("numbers",))})
            broken, kinds = [], []
            for source, translation in pairs:
                for kind, text in broken_copies(translation, rng):
                    broken.append((source, text))
                    kinds.append(kind)
            bad = Path(tmp) / f"{locale}-broken.po"
            write_po(bad, locale, broken)
            caught = {f.msgctxt for f in check_files([bad], only=("numbers",))}
            false_rate = len(flagged) / len(pairs)
            catch = len(caught) / len(broken)
            by_kind = {
                k: (sum(1 for i, kk in enumerate(kinds) if kk == k and str(i) in caught), kinds.count(k))
                for k in dict.fromkeys(kinds)
            }
            print(
                f"{locale}: {len(pairs)} entries with numbers; false alarms {len(flagged)} = {false_rate:.1%}"
                f" (target ≤ {limit:.0%}), {flagged_all}/{len(gu)} = {flagged_all / len(gu):.1%} of all entries;"
                f" broken copies caught {len(caught)}/{len(broken)} = {catch:.1%}"
                " (target ≥ 98%): " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in by_kind.items())
            )
            ok &= false_rate <= limit and catch >= 0.98
            if args.show:
                for i in sorted(flagged, key=int)[: args.show]:
                    print("  FALSE ALARM", pairs[int(i)][0], "\n             ", pairs[int(i)][1])
                missed = [i for i in range(len(broken)) if str(i) not in caught]
                for i in missed[: args.show]:
                    print("  MISSED", kinds[i], broken[i][0], "\n        ", broken[i][1])
    return 0 if ok or args.short else 1


if __name__ == "__main__":
    sys.exit(main())
