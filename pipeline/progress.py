"""Progress of a long translation, as whoever watches stderr can read it.

On a terminal, a bar that moves after every batch the model finishes. Anywhere else (CI, `> log`,
nohup) a bar's carriage returns are noise and tqdm prints nothing at all, so instead a plain line
at a steady interval and one at the end:

    translate en: 320/1000 sentences, 12.3/s
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

INTERVAL = 10.0  # seconds between lines when stderr is not a terminal


def progress_line(label: str, done: int, total: int, elapsed: float) -> str:
    """`label: done/total sentences, rate/s` (the rate once any time has passed)."""
    rate = f", {done / elapsed:.1f}/s" if elapsed > 0 else ""
    return f"{label}: {done}/{total} sentences{rate}"


class LineProgress:
    """Counts finished sentences; prints a line when `interval` seconds passed since the last one."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.label, self.total, self.stream, self.interval, self.clock = label, total, stream, interval, clock
        self.done = self.shown = 0
        self.started = self.last = clock()

    def advance(self, n: int) -> None:
        self.done += n
        if self.clock() - self.last >= self.interval:
            self._print()

    def close(self) -> None:
        """The last line, unless the one printed last already said it."""
        if self.total and (self.done != self.shown or self.shown == 0):
            self._print()

    def _print(self) -> None:
        self.last, self.shown = self.clock(), self.done
        print(progress_line(self.label, self.done, self.total, self.last - self.started), file=self.stream, flush=True)


@contextmanager
def progress_reporter(
    label: str, total: int, stream: TextIO | None = None, interval: float | None = None
) -> Iterator[Callable[[int], None]]:
    """A `progress(n)` callback for a translator: a bar on a terminal, else lines every `interval`
    seconds (default INTERVAL)."""
    stream = sys.stderr if stream is None else stream
    interval = INTERVAL if interval is None else interval
    if stream.isatty():
        from tqdm import tqdm

        with tqdm(total=total, desc=label, unit="sentence", file=stream, mininterval=0) as bar:
            yield bar.update
        return
    lines = LineProgress(label, total, stream, interval)
    try:
        yield lines.advance
    finally:
        lines.close()
