"""Hostile paths and a hostile machine through the `pipeline` command: a file where a folder
belongs, a folder where a file belongs, a catalogue one cannot write, a full disk, a tagged
models file, a damaged work directory, a FIFO as a source. Each is exit status 2 with a message
naming the path, no traceback, and nothing that was there before is changed."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import fsutil
from pipeline.cli import main
from pipeline.memory import TranslationMemory

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"
NEW_SENTENCE = "નવી શાળા ગામમાં ખુલી છે.\n"
PO = Path("locales/en/LC_MESSAGES/messages.po")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def translated(tmp_path_factory, models_file) -> Path:
    """One real run, copied by each test that needs catalogues already there."""
    folder = tmp_path_factory.mktemp("translated")
    (folder / "articles").mkdir()
    shutil.copy(EXAMPLE, folder / "articles" / EXAMPLE.name)
    models_file(folder)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["run", "articles", "--to", "en"]) == 0
    finally:
        os.chdir(cwd)
    return folder


@pytest.fixture
def project(translated, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(translated, folder)
    monkeypatch.chdir(folder)
    return folder


def refused(capsys, argv: list[str], message: str) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err
    return err


def add_a_sentence(project: Path) -> None:
    with open(project / "articles" / EXAMPLE.name, "a", encoding="utf-8") as handle:
        handle.write(NEW_SENTENCE)


@pytest.mark.parametrize("option", ["--locales", "--workdir"])
def test_a_regular_file_given_as_a_folder_is_named(project, capsys, option):
    (project / "afile").write_text("mine\n")
    before = snapshot(project)
    refused(
        capsys,
        ["run", "articles", "--to", "en", option, "afile"],
        f"afile: {option} must name a folder, but this is a file",
    )
    assert snapshot(project) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_work_directory_where_no_folder_can_be_made_is_named(project, capsys):
    before = snapshot(project)
    refused(
        capsys,
        ["run", "articles", "--to", "en", "--workdir", "/proc/self/x"],
        "/proc/self/x: cannot create the work directory here",
    )
    assert snapshot(project) == before


def test_export_out_being_a_file_is_named(project, capsys):
    (project / "dist").write_text("mine\n")
    before = snapshot(project)
    refused(
        capsys,
        ["export", "--format", "json", "--to", "en", "--include-fuzzy"],
        "dist: --out must name a folder, but this is a file",
    )
    assert snapshot(project) == before


def test_a_folder_where_the_catalogue_belongs_is_named(tmp_path, tiny_models, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "articles" / EXAMPLE.name)
    (tmp_path / PO).mkdir(parents=True)
    refused(capsys, ["run", "articles", "--to", "en", "--models", str(tiny_models)], f"{PO}: Is a directory")
    assert (tmp_path / PO).is_dir() and not list((tmp_path / PO).iterdir())


def immutable(path: Path, on: bool) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_an_immutable_catalogue_is_named_and_kept(project, capsys):
    add_a_sentence(project)
    if not immutable(project / PO, True):
        pytest.skip("chattr +i does not work here (needs root and a file system with attributes)")
    try:
        before = (project / PO).read_bytes()
        refused(
            capsys,
            ["run", "articles", "--to", "en"],
            f"{PO}: cannot write: Operation not permitted; the file is left as it was",
        )
        assert (project / PO).read_bytes() == before
    finally:
        immutable(project / PO, False)
    assert not [p for p in (project / PO).parent.iterdir() if p.name.endswith(".tmp")]


def test_a_catalogue_folder_without_write_permission_is_named(project, capsys, monkeypatch):
    """Root ignores permission bits, so the refusal is the kernel's where the tests run as a user,
    and a PermissionError from creating the temporary file otherwise."""
    add_a_sentence(project)
    folder = project / PO.parent
    before = snapshot(folder)  # the .pot beside it is written; this run cannot write the .po
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:
        real = fsutil.tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):
            if Path(dir).resolve() == folder.resolve():
                raise PermissionError(errno.EACCES, "Permission denied", os.path.join(dir, ".x.tmp"))
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(fsutil.tempfile, "mkstemp", mkstemp)
    try:
        refused(capsys, ["run", "articles", "--to", "en"], f"{PO}: cannot write: Permission denied")
    finally:
        folder.chmod(0o755)
    assert snapshot(folder) == before


def test_disk_full_while_writing_a_catalogue_keeps_the_old_one(project, capsys, monkeypatch):
    add_a_sentence(project)
    before = snapshot(project / PO.parent)
    real = os.fsync

    def fsync(fd):  # where a full disk shows itself on a file system that allocates late
        if "LC_MESSAGES" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(fsutil.os, "fsync", fsync)
    refused(capsys, ["run", "articles", "--to", "en"], f"{PO}: cannot write: No space left on device")
    assert snapshot(project / PO.parent) == before


def test_disk_full_in_the_translation_memory_is_named(project, capsys, monkeypatch):
    add_a_sentence(project)
    before = snapshot(project / "locales")

    def store(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranslationMemory, "store", store)
    refused(
        capsys,
        ["run", "articles", "--to", "en"],
        ".pipeline/memory.sqlite: translation memory: database or disk is full: free some space",
    )
    assert snapshot(project / "locales") == before


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs: a real full disk (needs root and mount)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        shutil.which("mount") is None
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)  # lazily: an open file must not fail the test


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_really_full_disk_is_named_and_nothing_is_damaged(small_disk, tmp_path, tiny_models, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "articles" / EXAMPLE.name)
    where = ["--models", str(tiny_models), "--locales", "disk/locales", "--workdir", "disk/work"]
    assert main(["run", "articles", "--to", "en", *where]) == 0
    capsys.readouterr()
    before = snapshot(small_disk)
    filler = fill(small_disk)
    # A new locale: its plan is the first file written (the memory opens when a model is needed) ...
    refused(
        capsys,
        ["run", "articles", "--to", "en,zh_Hans", *where],
        "disk/work/plan-zh_Hans.json: cannot write: No space left on device",
    )
    # ... a changed source: the segment stage's artefact is the first file written.
    add_a_sentence(tmp_path)
    refused(capsys, ["run", "articles", "--to", "en", *where], "cannot write: No space left on device")
    filler.unlink()
    after = snapshot(small_disk)
    assert {k: v for k, v in after.items() if not k.startswith("work/memory.sqlite")} == {
        k: v for k, v in before.items() if not k.startswith("work/memory.sqlite")
    }
    assert not [p for p in small_disk.rglob("*.tmp")]
    # With space again, the same run goes through: the memory and the catalogues were not damaged.
    assert main(["run", "articles", "--to", "en,zh_Hans", *where]) == 0
    assert NEW_SENTENCE.strip() in (small_disk / "locales" / "zh_Hans" / "LC_MESSAGES" / "messages.po").read_text()


@pytest.mark.parametrize(
    "tagged",
    [
        "    source: !!python/name:os.system\n",
        '    source: !!python/object/apply:os.system ["touch pwned"]\n',
        "    source: !custom ./nllb-tiny\n",
    ],
)
def test_a_python_tag_in_the_models_file_is_refused_before_anything_runs(project, capsys, tagged):
    text = (project / "models.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("source:"))
    lines[at] = tagged
    (project / "models.yaml").write_text("".join(lines), encoding="utf-8")
    before = snapshot(project)
    tag = tagged.split()[1]
    err = refused(capsys, ["run", "articles", "--to", "en"], f"models.yaml:{at + 1}: YAML tag {tag} is not allowed")
    assert snapshot(project) == before and not (project / "pwned").exists(), err


@pytest.mark.parametrize("name", ["bad\x00name.txt", "", "a//b.txt"])
def test_a_damaged_document_name_in_the_work_directory_is_named(project, capsys, name):
    sources = project / ".pipeline" / "sources.json"
    data = json.loads(sources.read_text(encoding="utf-8"))
    data["documents"] = {name: list(data["documents"].values())[-1]}  # the one document, renamed
    sources.write_text(json.dumps(data), encoding="utf-8")
    refused(
        capsys,
        ["export", "--format", "txt", "--to", "en", "--include-fuzzy"],
        f".pipeline/sources.json: document name {name!r} is not usable as a file name",
    )
    assert not (project / "dist").exists()


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_as_a_source_is_not_a_regular_file(tmp_path, capsys, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.txt")
        source = "pipe.txt"
    else:
        source = os.devnull
    refused(capsys, ["segment", source, "--jsonl"], f"{source}: is not a regular file (a FIFO, device or socket)")


def test_a_fifo_inside_a_source_folder_is_passed_over_not_waited_on(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    os.mkfifo(tmp_path / "articles" / "pipe.txt")
    shutil.copy(EXAMPLE, tmp_path / "articles" / EXAMPLE.name)
    assert main(["segment", "articles", "--jsonl"]) == 0
    docs = {json.loads(line)["doc"] for line in capsys.readouterr().out.splitlines()}
    assert docs == {EXAMPLE.name}


def test_a_source_file_name_with_a_newline_is_refused_before_it_breaks_the_catalogue(tmp_path, capsys, monkeypatch):
    """The name becomes a `#:` reference; a newline there made the next run refuse its own .po."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "articles" / "new\nline.txt")
    refused(capsys, ["segment", "articles"], "document name 'new\\nline.txt' is not usable as a file name")
    assert not (tmp_path / ".pipeline" / "segments.json").exists()


def test_a_models_file_nested_too_deeply_or_not_a_regular_file_is_named(project, capsys):
    (project / "deep.yaml").write_text("[" * 20000 + "\n", encoding="utf-8")
    refused(
        capsys,
        ["run", "articles", "--to", "en", "--models", "deep.yaml"],
        "deep.yaml: not a models file: nested too deeply",
    )
    os.mkfifo(project / "fifo.yaml")  # read, it would block for ever
    refused(
        capsys,
        ["run", "articles", "--to", "en", "--models", "fifo.yaml"],
        "fifo.yaml: models file is not a regular file",
    )
    os.mkfifo(project / "fifo.po")
    refused(capsys, ["check", "fifo.po"], "fifo.po: is not a regular file")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    """`pipeline segment --jsonl | head -1`: the broken pipe is an OSError, but not a failure."""
    (tmp_path / "articles").mkdir()
    text = EXAMPLE.read_text(encoding="utf-8") * 3
    for i in range(40):  # well past a pipe's buffer
        (tmp_path / "articles" / f"a{i}.txt").write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "segment", "articles", "--jsonl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and json.loads(first)["doc"] == "a0.txt"
    assert "Traceback" not in err and "error" not in err
