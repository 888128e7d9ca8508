"""Progress of a translation: a line at a steady interval when stderr is no terminal, a bar that
moves with every batch on one; through the runner with the tiny model's real batches."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pipeline import progress
from pipeline.progress import LineProgress, progress_line, progress_reporter

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "smart-communities.gu.txt"


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_says_done_total_and_rate():
    assert progress_line("translate en", 320, 1000, 26.0) == "translate en: 320/1000 sentences, 12.3/s"
    assert progress_line("translate en", 0, 1000, 0.0) == "translate en: 0/1000 sentences"


def test_lines_come_at_the_interval_and_at_the_end_not_per_batch():
    out, clock = io.StringIO(), Clock()
    lines = LineProgress("translate zh_Hans", 100, out, interval=10, clock=clock)
    for _ in range(9):  # nine batches in the first 9 seconds: no line yet
        clock.now += 1
        lines.advance(5)
    assert out.getvalue() == ""
    clock.now += 1
    lines.advance(5)  # 10 s in
    clock.now += 5
    lines.advance(30)  # 5 s later: still quiet
    clock.now += 5
    lines.advance(20)
    lines.close()
    assert out.getvalue().splitlines() == [
        "translate zh_Hans: 50/100 sentences, 5.0/s",
        "translate zh_Hans: 100/100 sentences, 5.0/s",  # once: the end says nothing new
    ]


def test_nothing_to_translate_prints_nothing():
    out = io.StringIO()
    with progress_reporter("translate en", 0, out):
        pass
    assert out.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_moves_with_every_batch():
    out = Terminal()
    with progress_reporter("translate en", 30, out) as advance:
        for _ in range(3):
            advance(10)
    frames = [f for f in re.split(r"[\r\n]", out.getvalue()) if f.strip()]
    shown = [int(m.group(1)) for f in frames if (m := re.search(r"(\d+)/30", f))]
    assert shown[-1] == 30 and {10, 20} <= set(shown)


def test_a_run_with_stderr_in_a_log_prints_progress_lines_as_batches_finish(new_project, pipeline, monkeypatch):
    """Small token batches make the 16 sentences several batches; interval 0 prints one line each."""
    project = new_project([EXAMPLE], batch_tokens=64)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    err = pipeline("run", "articles", "--to", "en", "--models", "models.yaml", cwd=project).err
    counts = [int(n) for n in re.findall(r"^translate en: (\d+)/16 sentences, [\d.]+/s$", err, re.M)]
    assert len(counts) >= 4 and counts == sorted(counts) and counts[-1] == 16, err
    assert counts[0] < 16  # the first line came after the first batch, not at the end
