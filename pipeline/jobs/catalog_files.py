"""Catalogue files as one run reads them: each file's bytes once, their digest, the parse on demand.

A daily update asks of a locale's catalogue whether the last run wrote it (its digest), what it
owns (the plan's parse), and what the merge starts from (the same parse, and the text the writer
compares with): one read answers all three. Between the plan and the merge a model may run for
hours, so the merge looks again (a `stat`, no read) and reads the file anew only if someone saved
it in between: a reviewer's work is never merged from a stale copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import cache as caching
from pipeline.catalog import pofile
from pipeline.catalog.poreader import Parsed


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        s = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (s.st_mtime_ns, s.st_size, s.st_ino)


@dataclass
class CatalogFile:
    path: Path
    data: bytes | None  # None: there is no file
    stat: tuple[int, int, int] | None = field(default=None, repr=False)
    _parsed: Parsed | None = field(default=None, repr=False)

    @property
    def digest(self) -> str | None:
        return caching.bytes_digest(self.data) if self.data is not None else None

    @property
    def text(self) -> str | None:
        """The text a writer compares with (see `pofile.render_catalog`)."""
        return pofile.file_text(self.data)

    def parsed(self) -> Parsed | None:
        if self._parsed is None and self.data is not None:
            self._parsed = pofile.read_for_merge(self.path, self.data)
        return self._parsed

    def drop_parse(self) -> None:
        self._parsed = None

    def changed_on_disk(self) -> bool:
        return _stat(self.path) != self.stat


class CatalogFiles:
    """The catalogues a run has read, their parses held for the merge within `budget` entries in
    all (some 4 kB each); beyond it a parse is made again from the bytes held."""

    def __init__(self, budget: int = 250_000):
        self.budget = budget
        self.files: dict[Path, CatalogFile] = {}

    def read(self, path: Path) -> CatalogFile:
        """The file as read before in this run, unless it changed on disk since; else read now."""
        held = self.files.get(path)
        if held is not None and not held.changed_on_disk():
            return held
        stat = _stat(path)
        try:
            data = path.read_bytes() if stat is not None else None
        except (FileNotFoundError, NotADirectoryError):
            data, stat = None, None
        self.files[path] = CatalogFile(path, data, stat)
        return self.files[path]

    def done(self, path: Path) -> None:
        """The run has finished with the file: its bytes and parse are let go."""
        self.files.pop(path, None)

    def keep_within_budget(self) -> None:
        """Drop parses, oldest first, until those held fit the budget."""
        held = [f for f in self.files.values() if f._parsed is not None]
        total = sum(len(f._parsed.po) for f in held)
        for f in held:
            if total <= self.budget:
                break
            total -= len(f._parsed.po)
            f.drop_parse()
