"""Faults inside one process: out of memory on the accelerator, a model that loops, remote code,
output paths, locks. (Killed runs and bad input through the CLI: test_kill.py, test_bad_input.py.)"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from unittest import mock

import polib
import pytest
import torch

from pipeline import fsutil, jobs
from pipeline.config import ModelSpec, load_config
from pipeline.errors import PipelineError
from pipeline.mt import hf
from pipeline.mt.hf import HFTranslator
from pipeline.mt.scoring import Scored

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

ROOT = Path(__file__).resolve().parents[2]
GUJARATI = (ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Tiny models gain nothing from more threads, and lose a lot on a busy machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with mock.patch.dict(os.environ, OMP_NUM_THREADS="1"):
        yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def nllb(tmp_path_factory, models_file) -> HFTranslator:
    spec = load_config(models_file(tmp_path_factory.mktemp("models"), beam_size=1)).model_for("en")
    spec = dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, batch_tokens=4096))
    return HFTranslator(spec, device="cpu")


# --- out of memory ---------------------------------------------------------------------------


def fail_when_bigger_than(monkeypatch, tr, rows: int, error: Exception) -> list[int]:
    """model.generate raises `error` for batches of more than `rows` sentences, as a GPU would."""
    sizes: list[int] = []
    real = tr.model.generate

    def generate(*args, **kwargs):
        sizes.append(kwargs["input_ids"].shape[0])
        if kwargs["input_ids"].shape[0] > rows:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(tr.model, "generate", generate)
    return sizes


def test_out_of_memory_retries_the_batch_in_halves_with_the_same_result(nllb, monkeypatch):
    texts = GUJARATI[:8]
    oom = torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
    unhindered = fail_when_bigger_than(monkeypatch, nllb, 10**6, oom)
    expected = nllb.translate(texts, "gu", "en")
    pieces = sum(unhindered)  # sentences over max_input_tokens go as several pieces
    sizes = fail_when_bigger_than(monkeypatch, nllb, 2, oom)
    assert nllb.translate(texts, "gu", "en") == expected
    assert any(s > 2 for s in sizes)  # out of memory at least once ...
    assert sum(s for s in sizes if s <= 2) == pieces  # ... and each piece translated once it fitted


def test_out_of_memory_as_a_plain_runtime_error_is_retried_too(nllb, monkeypatch):
    expected = nllb.translate(GUJARATI[:3], "gu", "en")
    fail_when_bigger_than(monkeypatch, nllb, 1, RuntimeError("MPS backend out of memory (MPS allocated: 9 GB)"))
    assert nllb.translate(GUJARATI[:3], "gu", "en") == expected


def test_a_single_sentence_out_of_memory_is_a_clear_error_and_other_errors_pass(nllb, monkeypatch):
    fail_when_bigger_than(monkeypatch, nllb, 0, torch.OutOfMemoryError("CUDA out of memory"))
    with pytest.raises(PipelineError, match="out of memory on cpu translating a single sentence.*max_input_tokens"):
        nllb.translate(GUJARATI[:2], "gu", "en")
    fail_when_bigger_than(monkeypatch, nllb, 0, RuntimeError("shape mismatch"))
    with pytest.raises(RuntimeError, match="shape mismatch"):
        nllb.translate(GUJARATI[:2], "gu", "en")


# --- a model that loops ----------------------------------------------------------------------


def test_looping_output_is_cut_off_and_flagged_in_the_catalogue(tmp_path, models_file):
    """The model is real; its output for one sentence is replaced by a loop, as NLLB produces on
    noisy input."""
    looping = GUJARATI[1]
    loop = "The scientists said that the chip chip chip chip chip chip chip chip chip chip"
    (tmp_path / "a.txt").write_text("\n".join(GUJARATI[:3]) + "\n", encoding="utf-8")

    def factory(spec):
        tr = jobs.default_factory(spec)
        real = tr.translate_scored
        tr.translate_scored = lambda texts, *a, **k: [
            Scored(loop, 0.5) if t == looping else o for t, o in zip(texts, real(texts, *a, **k))
        ]
        return tr

    config = load_config(models_file(tmp_path, beam_size=1))
    paths = jobs.Paths(tmp_path / "work", tmp_path / "locales", "messages")
    report = jobs.run_all([tmp_path / "a.txt"], ["en"], config, paths, factory)
    po = {e.msgid: e for e in polib.pofile(str(paths.po("en")))}
    entry = po[looping]
    assert entry.msgstr == "The scientists said that the chip" and entry.fuzzy
    assert "qa: loop: model output looped ('chip' 10 times in a row)" in entry.comment
    assert report.locales["en"].findings >= 1


# --- remote code -----------------------------------------------------------------------------


def captured_load(monkeypatch, spec: ModelSpec) -> dict:
    seen: dict = {}

    def from_pretrained(where, dtype, kwargs):
        seen.update(kwargs, where=where)
        return "tokenizer", "model"

    monkeypatch.setattr(hf, "_from_pretrained", from_pretrained)
    hf.load_model(spec, "cpu")
    return seen


def test_remote_code_never_runs(monkeypatch, tiny_models):
    local = load_config(tiny_models).model_for("en")
    assert captured_load(monkeypatch, local)["trust_remote_code"] is False
    hub = ModelSpec("nllb", "nllb", "facebook/nllb-200-distilled-600M", revision="abc123")
    assert captured_load(monkeypatch, hub)["trust_remote_code"] is False


def test_models_yaml_asking_for_remote_code_is_refused(tmp_path, pipeline):
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  it2:\n    family: indictrans2\n    source: ai4bharat/x\n    revision: abc\n"
        "    trust_remote_code: true\npairs:\n  gu-en: it2\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("ગુજરાત.\n", encoding="utf-8")
    ran = pipeline("run", "a.txt", "--models", path, "--to", "en", cwd=tmp_path, code=2)
    assert f"{path}:6: models.it2: trust_remote_code is not an option" in ran.err
    assert "Traceback" not in ran.err and not (tmp_path / "locales").exists()


# --- output paths ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "a/b", "/etc/passwd", "..", ".hidden", "", "x\ny", "a\\b"])
def test_names_that_would_leave_their_folder_are_refused(tmp_path, name):
    if name != "a/b":  # a nested catalogue name (per-document catalogues) stays inside its folder
        with pytest.raises(PipelineError, match="not a usable catalogue name"):
            jobs.Paths(tmp_path, tmp_path / "locales", name)
    with pytest.raises(PipelineError, match="not a plain name"):
        jobs.Paths(tmp_path, tmp_path / "locales", "messages").po(name)


# --- write_atomic ----------------------------------------------------------------------------


def test_atomic_write_failing_midway_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "messages.po"
    path.write_text("old\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", broken_fsync)
    with pytest.raises(PipelineError, match="messages.po: cannot write: No space left on device; the file is left"):
        fsutil.write_atomic(path, "new\n")
    assert path.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["messages.po"]


def test_temp_file_left_by_a_killed_writer_is_cleared_on_the_next_write(tmp_path):
    path = tmp_path / "messages.po"
    (tmp_path / ".messages.po.abc123.tmp").write_text("half a catalo")
    (tmp_path / ".other.po.abc123.tmp").write_text("someone else's")
    fsutil.write_atomic(path, "new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.po.abc123.tmp", "messages.po"]


# --- locks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "held,workdir,message",
    [
        ("catalogues", "other-work", "locales: another pipeline run is using this catalogue folder"),
        ("workdir", ".pipeline", ".pipeline: another pipeline run is using this work directory"),
    ],
)
def test_a_second_run_stops_with_a_message_while_the_first_holds_the_lock(
    tiny_models, tmp_path, held, workdir, message, pipeline
):
    (tmp_path / "a.txt").write_text(GUJARATI[0] + "\n", encoding="utf-8")
    lock = (
        fsutil.catalog_lock(tmp_path / "locales")
        if held == "catalogues"
        else fsutil.workdir_lock(tmp_path / ".pipeline")
    )
    with lock:  # held by this process, as a first run would hold it
        proc = pipeline(
            "run",
            "a.txt",
            "--to",
            "en",
            "--models",
            tiny_models,
            "--workdir",
            workdir,
            cwd=tmp_path,
            separate=True,
            code=None,
            timeout=120,
        )
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert not list((tmp_path / "locales").rglob("*.po")) and not (tmp_path / workdir / "segments.json").exists()
