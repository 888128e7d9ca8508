"""Shared fixtures. The whole test session runs offline: nothing may try the network."""

from __future__ import annotations

import os

# Before anything imports huggingface_hub, which reads these once, at import time.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The tiny models gain nothing from threads, and on a loaded 2-core machine torch threads that
# wait for each other made the suite 10-30x slower; subprocesses (the CLI tests) inherit this.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import importlib.util  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

TESTS = Path(__file__).resolve().parent
# Persistent between runs (rebuilt when tests/make_tiny_models.py or its data change); the folder
# ignores itself in git.
TINY_MODELS_CACHE = TESTS / ".tiny-models-cache"
# CTranslate2 conversions of the tiny models go there too, never into the user's cache.
os.environ["PIPELINE_CT2_CACHE"] = str(TINY_MODELS_CACHE / "ctranslate2")


def load_builder():
    """tests/make_tiny_models.py as a module, whatever pytest's import mode."""
    spec = importlib.util.spec_from_file_location("make_tiny_models", TESTS / "make_tiny_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_models() -> Path:
    """Path of models.yaml routing gu-en and gu-zh to a tiny random NLLB; models-m2m100.yaml and
    models-marian.yaml lie beside it."""
    return load_builder().build_tiny_models(TINY_MODELS_CACHE)


@pytest.fixture(scope="session")
def trained_model(tiny_models) -> Path:
    """Path of models-trained.yaml: a tiny NLLB trained to reproduce tests/make_trained_model.PAIRS."""
    spec = importlib.util.spec_from_file_location("make_trained_model", TESTS / "make_trained_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_trained_model(TINY_MODELS_CACHE)


class TinyModelsFiles:
    """The tiny models' routing files (models.yaml and the models-*.yaml beside it) for a project in
    any folder: model folders made absolute, and settings changed for every model that has them
    (`beam_size=1`: greedy search, 10x faster on random weights; `backend="ctranslate2"`)."""

    def __init__(self, cache: Path):
        self.cache = cache

    def text(self, name: str = "models.yaml", **settings) -> str:
        text = (self.cache / name).read_text(encoding="utf-8").replace("source: ./", f"source: {self.cache}/")
        for key, value in settings.items():
            text, count = re.subn(rf"(?m)^(\s+{key}): .*$", lambda m, v=value: f"{m.group(1)}: {v}", text)
            assert count, f"{name} has no {key} to change"
        return text

    def __call__(self, folder: Path, name: str = "models.yaml", *, out: str = "models.yaml", **settings) -> Path:
        """Write `name`, changed as `settings` say, to `folder/out`; its path."""
        path = folder / out
        path.write_text(self.text(name, **settings), encoding="utf-8")
        return path


@pytest.fixture(scope="session")
def models_file(tiny_models) -> TinyModelsFiles:
    """models_file(folder, name="models.yaml", out="models.yaml", **settings) -> Path, and
    models_file.text(name, **settings) (see `TinyModelsFiles`)."""
    return TinyModelsFiles(tiny_models.parent)


@pytest.fixture
def new_project(tmp_path, models_file):
    """new_project(articles, folder=tmp_path, **settings) -> folder: a project as a user starts one,
    `articles/` holding `articles` ({name: text}, or files to copy) and models.yaml routing to the
    tiny models (with `settings`, as `models_file`)."""

    def make(articles: dict[str, str] | list[Path], folder: Path = tmp_path, **settings) -> Path:
        (folder / "articles").mkdir(parents=True)
        for name in articles:
            if isinstance(name, Path):
                shutil.copy(name, folder / "articles" / name.name)
            else:
                (folder / "articles" / name).write_text(articles[name], encoding="utf-8")
        models_file(folder, **settings)
        return folder

    return make


class Ran:
    """What one `pipeline` command did: its exit status and what it printed."""

    def __init__(self, code: int, out: str, err: str):
        self.returncode, self.stdout, self.stderr = code, out, err

    # the short names, for tests that read better with them
    code = property(lambda self: self.returncode)
    out = property(lambda self: self.stdout)
    err = property(lambda self: self.stderr)

    def __iter__(self):  # code, out, err = pipeline(...)
        return iter((self.returncode, self.stdout, self.stderr))


class PipelineCommand:
    """The `pipeline` command as a user runs it, from a folder, with its exit status checked.

    `pipeline(*args, cwd=..., code=0)` runs it in this process (no interpreter start-up); with
    `separate=True` in an interpreter of its own, with `env` and `timeout` (locks, signals, the
    environment a user's shell passes). Arguments may be paths; the result is a `Ran`.
    """

    ROOT = TESTS.parent

    def __call__(
        self, *args, cwd=None, code: int | None = 0, separate: bool = False, env=None, timeout: float | None = None
    ) -> Ran:
        if not separate and (env is not None or timeout is not None):
            raise TypeError("env and timeout apply to a separate interpreter: pass separate=True")
        argv = [str(a) for a in args]
        ran = self._separate(argv, cwd, env, timeout) if separate else self._here(argv, cwd)
        if code is not None:
            assert ran.returncode == code, f"exit {ran.returncode}, expected {code}\n{ran.stdout}\n{ran.stderr}"
        return ran

    def _here(self, argv: list[str], cwd) -> Ran:
        import contextlib
        import io

        from pipeline.cli import main

        out, err = io.StringIO(), io.StringIO()
        here = os.getcwd()
        try:
            if cwd is not None:
                os.chdir(cwd)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv)
                except SystemExit as exc:  # argparse: --help, --version, a usage error
                    code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
        finally:
            os.chdir(here)
        return Ran(code, out.getvalue(), err.getvalue())

    def _separate(self, argv: list[str], cwd, env, timeout) -> Ran:
        import subprocess
        import sys

        env = dict(os.environ if env is None else env)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.ROOT), env.get("PYTHONPATH")]))  # this checkout
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", *argv], cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout
        )
        return Ran(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def pipeline() -> PipelineCommand:
    """The one way tests run the `pipeline` command (see `PipelineCommand`)."""
    return PipelineCommand()


@pytest.fixture(scope="session")
def msgfmt_check():
    """msgfmt_check(path): GNU msgfmt -c accepts the catalogue (the test stops there, skipped, without
    gettext)."""
    import shutil
    import subprocess

    def check(path: Path) -> None:
        if shutil.which("msgfmt") is None:
            pytest.skip("msgfmt (Debian package gettext) not installed")
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True, capture_output=True)

    return check
