"""The documentation builds without a warning (HTML and the man page), its CLI reference names
every command and option that `--help` shows, and the offline walk-through in Getting started
runs as written, on the tiny models."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GETTING_STARTED = DOCS / "getting-started.md"
OFFLINE_SECTION = "## Try it offline"


def sphinx_build(builder: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder, str(DOCS), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    proc = sphinx_build("html", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_html_builds_with_warnings_as_errors(html):
    for page in ("index", "getting-started", "reference/cli", "explanation/design", "guides/review"):
        assert (html / f"{page}.html").is_file(), page


def test_man_page_builds_with_warnings_as_errors_and_describes_every_command(tmp_path, pipeline):
    proc = sphinx_build("man", tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (tmp_path / "pipeline.1").read_text(encoding="utf-8")
    assert '.TH "PIPELINE" "1"' in page
    for command in help_commands(pipeline):
        assert re.search(rf"^\.SS {re.escape(command)}$", page, re.MULTILINE), command
    assert ".SH EXIT STATUS" in page.upper()


def help_text(pipeline, *argv: str) -> str:
    """What `pipeline ARGV --help` prints."""
    return pipeline(*argv, "--help").out


def help_commands(pipeline) -> list[str]:
    """The commands `pipeline --help` lists, in its order."""
    listed = help_text(pipeline).split("positional arguments:", 1)[1].split("options:", 1)[0]
    return re.findall(r"^    (\w[\w-]*)", listed, re.MULTILINE)


def help_options(text: str) -> set[str]:
    """Every option string after `options:` in a --help text: `-h`, `--help`, `--to`, ..."""
    lines = text.split("options:", 1)[1].splitlines()
    heads = [re.split(r"\s{2,}", line.strip())[0] for line in lines if line.startswith("  -")]
    return {option for head in heads for option in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", head)}


def section(page: str, section_id: str | None = None):
    """The section with that id, or the page's outermost one."""
    from lxml import html as lxml_html

    found = lxml_html.fromstring(page).xpath(f'//section[@id="{section_id}"]' if section_id else "//section")
    assert found, f"no section {section_id} in the CLI reference"
    return found[0]


def documented_options(element) -> set[str]:
    """The options a section of the CLI reference documents (sphinx-argparse sets each in <kbd>)."""
    return {kbd.text_content() for kbd in element.xpath(".//kbd") if kbd.text_content().startswith("-")}


def test_cli_reference_names_every_command_and_every_option_help_shows(html, pipeline):
    page = (html / "reference" / "cli.html").read_text(encoding="utf-8")
    commands = help_commands(pipeline)
    assert {"run", "status", "export", "check"} <= set(commands)
    whole = section(page)
    # -h/--help is described once, for every command, in the page's text
    assert {"-h", "--help", "--version"} <= set(re.findall(r"--?[a-z][\w-]*", whole.text_content()))
    assert help_options(help_text(pipeline)) - {"-h", "--help"} <= documented_options(
        section(page, "pipeline-named-arguments")
    )
    for command in commands:
        shown = help_options(help_text(pipeline, command)) - {"-h", "--help"}
        assert shown, command
        # exactly what --help shows: nothing missing, and nothing --help hides (a suppressed alias)
        assert documented_options(section(page, f"pipeline-{command}")) == shown, command


# --- the offline walk-through in Getting started ---------------------------------------------------


def offline_steps() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of the console blocks in the offline section."""
    text = GETTING_STARTED.read_text(encoding="utf-8")
    section = text.split(OFFLINE_SECTION, 1)[1].split("\n## ", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", section, re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
    return [(command, "".join(line + "\n" for line in lines)) for command, lines in steps]


def test_the_offline_section_has_the_documented_steps():
    commands = [command for command, _ in offline_steps()]
    assert commands[0] == "python tests/make_tiny_models.py tiny"
    assert sum(command.startswith("pipeline run ") for command in commands) == 2
    assert any(command.startswith("pipeline export ") for command in commands)


def shim(folder: Path, name: str, *args: str) -> None:
    path = folder / name
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" {" ".join(args)} "$@"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_the_offline_walk_through_runs_as_written(tmp_path, tiny_models):
    """Each command runs in a shell from a copy of the repository's root, where `python` and
    `pipeline` are this Python and this checkout's package; `tiny` is the tiny-models fixture's
    folder, so the documented build finds its models current and leaves them as they are."""
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copytree(ROOT / "examples", clone / "examples")
    (clone / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    (clone / "tiny").symlink_to(tiny_models.parent, target_is_directory=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim(bin_dir, "python")
    shim(bin_dir, "pipeline", "-m", "pipeline")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    checker = doctest.OutputChecker()
    for command, expected in offline_steps():
        proc = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"$ {command}\n{proc.stdout}{proc.stderr}"
        assert checker.check_output(expected, proc.stdout, doctest.ELLIPSIS), (
            f"$ {command}\nthe page shows:\n{expected}\nthe command printed:\n{proc.stdout}"
        )
    assert (clone / "locales" / "zh_Hans" / "LC_MESSAGES" / "messages.po").is_file()
    assert (clone / "dist" / "en" / "messages.json").is_file()
    assert (clone / "dist" / "en" / "gujarat.gu.txt").read_text(encoding="utf-8").strip()


def test_the_models_yaml_reference_shows_the_error_the_command_gives(tmp_path, pipeline):
    page = (DOCS / "reference" / "models-yaml.md").read_text(encoding="utf-8")
    shown = re.search(
        r"With `beams:` in place of `beam_size:` in the shipped file:\n\n```text\n(.*?)\n```", page, re.DOTALL
    ).group(1)
    shipped = (ROOT / "models.yaml").read_text(encoding="utf-8")
    (tmp_path / "models.yaml").write_text(shipped.replace("beam_size: 4", "beams: 4", 1), encoding="utf-8")
    assert pipeline("models", cwd=tmp_path, code=2).err.strip() == shown


def test_the_models_yaml_reference_gives_each_generation_setting_its_default_and_maximum():
    from dataclasses import fields

    from pipeline.config.models import GENERATION_MAXIMA, GenerationSettings

    page = (DOCS / "reference" / "models-yaml.md").read_text(encoding="utf-8")
    rows = {
        m[0]: (float(m[1]), float(m[2]))
        for m in re.findall(r"^  \| `(\w+)` \| ([\d.]+) \| ([\d.]+) \|", page, re.MULTILINE)
    }
    assert rows == {f.name: (float(f.default), float(GENERATION_MAXIMA[f.name])) for f in fields(GenerationSettings)}


def test_the_design_page_names_every_module_and_package():
    """The package's shape as the design page shows it is the package's shape."""
    page = (DOCS / "explanation" / "design.md").read_text(encoding="utf-8")
    package = ROOT / "pipeline"
    names = [
        f"pipeline/{p.name}/" if p.is_dir() else f"pipeline/{p.name}"
        for p in sorted(package.iterdir())
        if not p.name.startswith("__") and (p.is_dir() or p.suffix == ".py")
    ]
    assert names and [name for name in names if name not in page] == []
