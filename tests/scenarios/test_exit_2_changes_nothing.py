"""Exit status 2 means nothing a user keeps was changed: every file outside the work directory
(sources, catalogues, `.mo`, exports, settings) has the same bytes and mode, and no file or folder
appeared or went. A command refused before it starts leaves the work directory as it was too; one
that stops on the way (a missing model) may leave there what it worked out, for the next run.

Each case snapshots a project's whole tree, runs a failing command and compares."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

SENTENCES = ["ગુજરાત સરકારે નવી યોજના શરૂ કરી છે.", "આ એક વાક્ય છે."]
NEW = "હવામાન વિભાગે આવતીકાલે ભારે વરસાદની આગાહી કરી છે."
WORKDIR = ".pipeline"


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file, folder and link under `folder`: its kind, mode and bytes (or target)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                found[str(path.relative_to(folder))] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                found[str(path.relative_to(folder))] = ("folder", stat.S_IMODE(st.st_mode))
            else:
                found[str(path.relative_to(folder))] = ("file", stat.S_IMODE(st.st_mode), path.read_bytes())
    return found


def outside_workdir(tree: dict[str, tuple]) -> dict[str, tuple]:
    return {k: v for k, v in tree.items() if k != WORKDIR and not k.startswith(WORKDIR + os.sep)}


@pytest.fixture(scope="module")
def base(tmp_path_factory, tiny_models, models_file, pipeline) -> Path:
    """A project after `run --to en,zh_Hans` and an export, with a set-up for each failure."""
    folder = tmp_path_factory.mktemp("base")
    (folder / "articles").mkdir()
    (folder / "articles" / "news.txt").write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    text = models_file.text(beam_size=1)
    (folder / "models.yaml").write_text(text, encoding="utf-8")
    absent = text.replace(
        f"source: {tiny_models.parent}/nllb-tiny", "source: example/not-cached-nllb\n    revision: " + "0" * 40, 1
    )
    (folder / "absent.yaml").write_text(absent, encoding="utf-8")
    (folder / "typo.yaml").write_text(text.replace("    family: nllb", "    famly: nllb", 1), encoding="utf-8")
    (folder / "ref.txt").write_text("one line\n", encoding="utf-8")
    (folder / "notes.txt").write_text("a file where a folder belongs\n", encoding="utf-8")
    pipeline("run", "articles", "--to", "en,zh_Hans", cwd=folder)
    pipeline("export", "--format", "mo", "--to", "en", cwd=folder)
    (folder / "articles" / "news.txt").chmod(0o640)  # modes are compared too
    return folder


def new_sentence(project: Path) -> None:
    (project / "articles" / "news.txt").write_text("\n".join(SENTENCES + [NEW]) + "\n", encoding="utf-8")


def break_catalogue(project: Path, locale: str) -> None:
    po = project / "locales" / locale / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unclosed\n', encoding="utf-8")


def stages_ahead(pipeline):
    """Changed articles taken through segment, translate and localize: catalog would write."""

    def prepare(project: Path) -> None:
        new_sentence(project)
        for stage in (["segment", "articles"], ["translate", "--to", "en,zh_Hans"], ["localize", "--to", "en,zh_Hans"]):
            pipeline(*stage, cwd=project)

    return prepare


# name: (set-up, arguments, words of the message, whether the work directory may change)
CASES = {
    "catalog without a localised stage": (
        lambda p, run: (new_sentence(p), run("segment", "articles", cwd=p)),
        ["catalog", "--to", "zh_Hans,en_IN"],
        "no localise-en_IN.json",
        False,
    ),
    "catalog with one catalogue broken": (
        lambda p, run: (stages_ahead(run)(p), break_catalogue(p, "zh_Hans")),
        ["catalog", "--to", "en,zh_Hans"],
        "syntax error in catalogue",
        False,
    ),
    "export with one locale missing": (
        None,
        ["export", "--format", "mo", "--to", "en,zh_Hans,zh_Hant"],
        "no catalogue for zh_Hant",
        False,
    ),
    "export of documents with one locale missing": (
        None,
        ["export", "--format", "txt", "--to", "en,zh_Hant", "articles"],
        "no catalogue for zh_Hant",
        False,
    ),
    "export in a format no source has": (
        None,
        ["export", "--format", "html", "--to", "en", "articles"],
        "no .html, .htm documents",
        False,
    ),
    "export into a file": (
        None,
        ["export", "--format", "mo", "--to", "en", "--out", "notes.txt"],
        "--out must name a folder",
        False,
    ),
    "run stopping for a missing model": (
        lambda p, run: new_sentence(p),
        ["run", "articles", "--to", "en", "--models", "absent.yaml"],
        "not in the Hugging Face cache",
        True,
    ),
    "first run stopping for a missing model": (
        lambda p, run: (shutil.rmtree(p / WORKDIR), shutil.rmtree(p / "locales")),
        ["run", "articles", "--to", "en", "--models", "absent.yaml"],
        "not in the Hugging Face cache",
        True,
    ),
    "run with a later locale's catalogue broken": (
        lambda p, run: (new_sentence(p), break_catalogue(p, "zh_Hans")),
        ["run", "articles", "--to", "en,zh_Hans"],
        "syntax error in catalogue",
        True,
    ),
    "run with a models file typo": (
        lambda p, run: new_sentence(p),
        ["run", "articles", "--to", "en", "--models", "typo.yaml"],
        "unknown key 'famly'",
        False,
    ),
    "run to an unknown locale": (
        lambda p, run: new_sentence(p),
        ["run", "articles", "--to", "en,xx_YY"],
        "unknown locale 'xx_YY'",
        False,
    ),
    "run of a binary source": (
        lambda p, run: (p / "articles" / "bad.txt").write_bytes(b"text\x00binary\n"),
        ["run", "articles", "--to", "en"],
        "articles/bad.txt",
        False,
    ),
    "run with the catalogues in a file": (
        lambda p, run: new_sentence(p),
        ["run", "articles", "--to", "en", "--locales", "notes.txt"],
        "--locales must name a folder",
        False,
    ),
    "catalog in a fresh clone": (
        lambda p, run: shutil.rmtree(p / WORKDIR),
        ["catalog", "--to", "en"],
        "no segments.json",
        False,
    ),
    "translate in a fresh clone": (
        lambda p, run: shutil.rmtree(p / WORKDIR),
        ["translate", "--to", "en"],
        "no segments.json",
        False,
    ),
    "export of the kept sources in a fresh clone": (
        lambda p, run: shutil.rmtree(p / WORKDIR),
        ["export", "--format", "txt", "--to", "en"],
        "no sources named and no copy of them",
        False,
    ),
    "localize before translate": (None, ["localize", "--to", "en_IN"], "no translate-en_IN.json", False),
    "status of a locale without a catalogue": (
        None,
        ["status", "--worst", "0"],
        "--worst takes a positive number",
        False,
    ),
    "check of a broken catalogue": (
        lambda p, run: break_catalogue(p, "zh_Hans"),
        ["check", "locales/zh_Hans/LC_MESSAGES/messages.po"],
        "syntax error in catalogue",
        False,
    ),
    "evaluate with unequal files": (
        None,
        ["evaluate", "--src", "articles/news.txt", "--ref", "ref.txt", "--to", "en"],
        "ref.txt",
        False,
    ),
    "serve with a bad option": (
        None,
        ["serve", "--max-body", "0"],
        "argument --max-body: must be an integer, at least 1, not 0",
        False,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_exit_2_changes_nothing_a_user_keeps(base, tmp_path, pipeline, case):
    prepare, args, message, workdir_may_change = CASES[case]
    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    if prepare is not None:
        prepare(project, pipeline)
    before = snapshot(project)
    ran = pipeline(*args, cwd=project, code=2)
    assert message in ran.err and "Traceback" not in ran.err
    after = snapshot(project)
    if workdir_may_change:
        assert outside_workdir(after) == outside_workdir(before)
    else:
        assert after == before
