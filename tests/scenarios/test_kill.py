"""A real `pipeline run` killed with SIGKILL: mid-translation, and while a catalogue is being written.
The next run translates only what was not finished, and every catalogue on disk is the old one or
the new one, never a partial file."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
FLORES = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8")


def short_sentences(count: int) -> list[str]:
    """`count` distinct short Gujarati sentences made of FLORES words: many segments, quick to
    translate (the tiny model spends its time per token)."""
    words = list(dict.fromkeys(w.strip(".,:;?!()\"'ઃ") for w in FLORES.split()))
    words = [w for w in words if w and not any(c.isdigit() for c in w)]
    return [" ".join(words[i * 3 : i * 3 + 3]) + " છે." for i in range(count)]


SENTENCES = short_sentences(400)


def env() -> dict:
    # One torch thread: tiny models gain nothing from more, and lose a lot on a busy machine.
    return dict(
        os.environ,
        OMP_NUM_THREADS="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )


def memory_rows(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(str(db), timeout=30) as con:
        try:
            return con.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        except sqlite3.OperationalError:  # the table is not there yet
            return 0


def catalogues(locales: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(locales)): p.read_bytes()
        for p in sorted(locales.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def wait_for(condition, proc: subprocess.Popen, what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"the run ended before {what}:\n{proc.stderr.read()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_sigkill_mid_translation_then_the_next_run_translates_only_the_rest(tmp_path, pipeline, models_file):
    models = models_file(tmp_path, beam_size=1)
    article = tmp_path / "articles" / "news.txt"
    article.parent.mkdir()
    common = ["--to", "en", "--models", models]
    article.write_text("\n".join(SENTENCES[:5]) + "\n", encoding="utf-8")
    pipeline(
        "run", "articles", *common, cwd=tmp_path, separate=True, env=env(), timeout=300
    )  # the reviewers' catalogues as they are
    locales, db = tmp_path / "locales", tmp_path / ".pipeline" / "memory.sqlite"
    old = catalogues(locales)
    before = memory_rows(db)

    article.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")  # 395 new sentences
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "articles", *map(str, common)],
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: memory_rows(db) > before, proc, "the first translations reached the memory")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    at_kill = memory_rows(db)
    assert catalogues(locales) == old  # killed mid-translation: the catalogues are the old ones

    resumed = pipeline("run", "articles", *common, cwd=tmp_path, separate=True, env=env(), timeout=300)
    summary = resumed.stdout
    unique = int(re.search(r"\((\d+) unique\)", summary).group(1))
    by_model, from_memory = map(
        int, re.search(r"en: (\d+) translated by .*?, (\d+) reused from memory", summary).groups()
    )
    assert 0 < by_model < unique - before  # the kill came mid-translation ...
    assert from_memory == at_kill and by_model == unique - at_kill  # ... and nothing finished was redone
    assert memory_rows(db) == unique
    po = polib.pofile(str(locales / "en" / "LC_MESSAGES" / "messages.po"))
    assert len(po) == unique and all(e.msgstr and e.fuzzy for e in po)  # the new catalogue, complete
    assert not [p for p in locales.rglob("*.tmp")]


KILL_IN_RENAME = textwrap.dedent("""
    import os, sys, time
    real_replace = os.replace

    def replace(src, dst):  # the catalogue is written to its temporary file: stop before the rename
        if str(dst).endswith(".po"):
            with open(sys.argv[1], "w") as marker:
                marker.write(str(src))
            time.sleep(600)
        return real_replace(src, dst)

    os.replace = replace
    from pipeline.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def test_sigkill_while_a_catalogue_is_written_leaves_the_old_file_whole(tmp_path, pipeline, models_file):
    models = models_file(tmp_path, beam_size=1)
    article = tmp_path / "articles" / "news.txt"
    article.parent.mkdir()
    args = ["run", "articles", "--to", "en", "--models", str(models)]
    article.write_text("\n".join(SENTENCES[:4]) + "\n", encoding="utf-8")
    pipeline(*args, cwd=tmp_path, separate=True, env=env(), timeout=300)
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    old = po_path.read_bytes()

    article.write_text("\n".join(SENTENCES[:3]) + "\n", encoding="utf-8")  # one sentence goes obsolete
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_IN_RENAME, str(marker), *args],
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: marker.exists() and marker.read_text(), proc, "the catalogue was being written")
        temp = Path(marker.read_text())
        assert "#~ msgid" in temp.read_text(encoding="utf-8")  # the new catalogue, whole, not yet renamed
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert po_path.read_bytes() == old

    pipeline(*args, cwd=tmp_path, separate=True, env=env(), timeout=300)
    new = po_path.read_text(encoding="utf-8")
    assert new != old.decode() and "#~ msgid" in new and polib.pofile(new)
    assert not list(po_path.parent.glob("*.tmp"))  # the killed run's temporary file is cleared


@pytest.mark.parametrize(
    "signum,code,said", [(signal.SIGTERM, 128 + signal.SIGTERM, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_sigterm_mid_translation_is_treated_like_ctrl_c(tmp_path, signum, code, said, pipeline, models_file):
    """A CI job cancelled, a container stopped: SIGTERM says so, leaves no empty locales/ on a
    first run, and the next run resumes from the memory, as after Ctrl-C."""
    models = models_file(tmp_path, beam_size=1)
    article = tmp_path / "articles" / "news.txt"
    article.parent.mkdir()
    article.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    db = tmp_path / ".pipeline" / "memory.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "articles", "--to", "en", "--models", str(models)],
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: memory_rows(db) > 0, proc, "the first translations reached the memory")
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code, err
    assert f"pipeline: {said}; run again to resume" in err and "Traceback" not in err
    assert not (tmp_path / "locales").exists()  # the first run's catalogue folder, still empty, is gone
    resumed = pipeline(
        "run", "articles", "--to", "en", "--models", models, cwd=tmp_path, separate=True, env=env(), timeout=300
    )
    assert int(re.search(r"en: \d+ translated by .*?, (\d+) reused from memory", resumed.stdout).group(1)) > 0
