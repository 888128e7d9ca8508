"""A run killed (SIGKILL) just before or just after any one of its file writes, then run again,
ends with exactly the catalogues of a run never interrupted: no kill can change who owns an entry.

Every file the pipeline writes goes through an atomic rename (`fsutil.write_atomic`); the run here
is a real `pipeline run` in a subprocess whose `os.replace` counts renames and kills the process at
the chosen one. The state before it holds reviewer work and source changes, so the catalogue stage
merges, re-checks approved entries, makes entries obsolete and rewrites the machine's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
GU = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()
S = GU[50:56]

KILLER = textwrap.dedent("""
    import os, signal, sys
    at, phase, count = int(os.environ["KILL_AT"]), os.environ.get("KILL_PHASE", ""), [0]
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        count[0] += 1
        if count[0] == at and phase == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, *args, **kwargs)
        if count[0] == at and phase == "after":
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace
    from pipeline.cli import main
    code = main(sys.argv[1:])
    print(f"renames: {count[0]}", file=sys.stderr)
    sys.exit(code)
""")


def run(state: Path, at: int = 0, phase: str = "") -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        KILL_AT=str(at),
        KILL_PHASE=phase,
        OMP_NUM_THREADS="1",
        SOURCE_DATE_EPOCH="1767225600",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return subprocess.run(
        [sys.executable, "killer.py", "run", "articles", "--to", "en,zh_Hans", "--models", "models.yaml"],
        cwd=state,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def catalogues(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / "locales").rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture(scope="module")
def state(models_file, tmp_path_factory) -> Path:
    """A project after a first run, then a review and an author's edit: the next run has work to do
    in every file but needs no model (everything it translates is in the memory)."""
    root = tmp_path_factory.mktemp("kill") / "state"
    (root / "articles").mkdir(parents=True)
    (root / "killer.py").write_text(KILLER, encoding="utf-8")
    models_file(root, beam_size=1)
    (root / "articles" / "a.gu.txt").write_text(f"{S[0]} {S[1]}\n{S[2]}\n{S[3]}\n", encoding="utf-8")
    first = run(root)
    assert first.returncode == 0, first.stderr
    po_path = root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr, po[0].flags = "Approved by a reviewer.", []
    po[1].msgstr = "Edited, still fuzzy."
    po.save()
    # the author drops a paragraph, and en now writes numbers compactly (the localise stage reruns)
    (root / "articles" / "a.gu.txt").write_text(f"{S[0]} {S[1]}\n{S[3]}\n", encoding="utf-8")
    with (root / "models.yaml").open("a", encoding="utf-8") as f:
        f.write("locales:\n  en:\n    number_style: compact\n")
    return root


def test_a_kill_at_any_write_then_a_rerun_gives_the_uninterrupted_catalogues(state, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(state, reference)
    done = run(reference)
    assert done.returncode == 0, done.stderr
    renames = int(done.stderr.rsplit("renames: ", 1)[1].split()[0])
    want = catalogues(reference)
    assert renames >= 6  # .pot, two .po, two .mo and the work directory's entries
    po = polib.pofile(want["locales/en/LC_MESSAGES/messages.po"].decode())
    assert {e.msgstr for e in po} >= {"Approved by a reviewer.", "Edited, still fuzzy."}
    for at in range(1, renames + 1):
        for phase in ("before", "after"):
            work = tmp_path / f"kill-{at}-{phase}"
            shutil.copytree(state, work)
            killed = run(work, at, phase)
            assert killed.returncode == -9, killed.stderr
            for path in (work / "locales").rglob("*.po"):
                polib.pofile(str(path))  # whole: the old file or the new one
            again = run(work)
            assert again.returncode == 0, again.stderr
            assert catalogues(work) == want, f"killed {phase} rename {at}"
            shutil.rmtree(work)
