"""Files the pipeline writes are readable the way msgfmt's are: 0666 less the umask, and a file
being replaced keeps its mode (a web server or app running as another user must read the .mo)."""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_cli import EXAMPLE

SITE = Path(__file__).resolve().parents[1] / "data" / "site"
LOCKS = {"lock", ".pipeline.lock"}  # lock files: held open, never shipped


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def modes(*folders: Path) -> dict[str, int]:
    return {
        str(p): stat.S_IMODE(p.stat().st_mode)
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in LOCKS
    }


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    shutil.copy(SITE / "news.html", folder / "news.html")
    return folder


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_every_written_file_honours_the_umask(tmp_path, articles, tiny_models, mask, pipeline):
    locales, work, dist = tmp_path / "locales", tmp_path / "work", tmp_path / "dist"
    with umask(mask):
        pipeline(
            "run", articles, "--to", "en,zh_Hans", "--models", tiny_models, "--locales", locales, "--workdir", work
        )
        for fmt in ("mo", "json", "html", "txt"):
            pipeline(
                "export",
                "--format",
                fmt,
                "--locale",
                "en",
                "--include-fuzzy",
                "--locales",
                locales,
                "--workdir",
                work,
                "--out",
                dist / fmt,
            )
    written = modes(locales, work, dist)
    names = {Path(p).name for p in written}
    assert {
        "messages.pot",
        "messages.po",
        "messages.mo",
        "memory.sqlite",
        "segments.json",
        "news.html",
        "messages.json",
        "smart-communities.gu.txt",
    } <= names
    assert written == {p: 0o666 & ~mask for p in written}


def test_a_replaced_file_keeps_its_mode(tmp_path, articles, tiny_models, pipeline):
    locales, work = tmp_path / "locales", tmp_path / "work"
    pipeline("run", articles, "--to", "en", "--models", tiny_models, "--locales", locales, "--workdir", work)
    po = locales / "en" / "LC_MESSAGES" / "messages.po"
    mo, pot = po.with_suffix(".mo"), locales / "messages.pot"
    po.chmod(0o640)
    mo.chmod(0o644)
    pot.chmod(0o664)
    before = po.read_bytes()
    (articles / "extra.txt").write_text("આ નવું વાક્ય છે.\n", encoding="utf-8")
    with umask(0o077):  # a stricter umask must not tighten files that already exist
        pipeline("run", articles, "--to", "en", "--models", tiny_models, "--locales", locales, "--workdir", work)
    assert po.read_bytes() != before  # it was rewritten
    assert modes(locales) == {str(pot): 0o664, str(po): 0o640, str(mo): 0o644}
