"""`--executor ray`: the translate stage on a real local Ray instance (one per module, 2 CPUs)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import polib
import pytest
import yaml

from pipeline import cli, jobs
from pipeline.catalog import pofile
from pipeline.mt import load_translator
from pipeline.mt.executors import RayExecutor, ray_runtime_env

ROOT = Path(__file__).parent.resolve().parent.parent
EXAMPLE = ROOT / "examples" / "smart-communities.gu.txt"
FIXED_STAMP = "2026-01-01 00:00+0000"


@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray", reason="the ray extra is not installed: pip install '.[ray]'")
    # Workers unpickle this module's failing loaders by value: they cannot import tests/.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    # The job-level runtime env ships this checkout's `pipeline` to the workers, as the CLI does.
    ray.init(num_cpus=2, include_dashboard=False, runtime_env=ray_runtime_env())
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def fast_models(tiny_models, tmp_path_factory) -> Path:
    """The tiny NLLB with greedy, short output: the 2-core test machine pays per generated token."""
    data = yaml.safe_load(tiny_models.read_text(encoding="utf-8"))
    spec = data["models"]["nllb-tiny"]
    spec["source"] = str((tiny_models.parent / spec["source"]).resolve())
    spec["generation"].update(beam_size=1, max_length_ratio=0.25, max_length_extra=2)
    path = tmp_path_factory.mktemp("fast-models") / "models.yaml"
    path.write_text(yaml.safe_dump({"models": {"nllb-tiny": spec}, "pairs": data["pairs"]}), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The sample article (16 sentences) in batches of 4, so that several batches go to Ray."""
    src = tmp_path / "articles"
    src.mkdir()
    shutil.copy(EXAMPLE, src / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(jobs.translate_stage, "CHUNK", 4)  # local and Ray executors alike
    monkeypatch.setattr(pofile, "now_stamp", lambda: FIXED_STAMP)  # byte-for-byte across runs
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class FailingLoader:
    """Loads the real translator; its `translate` raises whenever a batch holds `poison`, and once
    (a transient error, recorded in the file `flag`) for the batch holding `flaky`."""

    def __init__(self, poison: str, flaky: str, flag: Path):
        self.poison, self.flaky, self.flag = poison, flaky, flag

    def __call__(self, spec, device):
        translator = load_translator(spec, device=device)
        real = translator.translate_scored
        poison, flaky, flag = self.poison, self.flaky, self.flag

        def translate(texts, src, tgt, progress=None):
            if poison in texts:
                raise RuntimeError("injected failure for one input")
            if flaky in texts and not flag.exists():
                flag.write_text("failed once")
                raise RuntimeError("injected transient failure")
            return real(texts, src, tgt, progress)

        translator.translate_scored = translate
        return translator


class CrashOnceLoader:
    """The worker process dies (as on OOM or a lost node) the first time it meets `text`."""

    def __init__(self, text: str, flag: Path):
        self.text, self.flag = text, flag

    def __call__(self, spec, device):
        translator = load_translator(spec, device=device)
        real = translator.translate_scored
        text, flag = self.text, self.flag

        def translate(texts, src, tgt, progress=None):
            if text in texts and not flag.exists():
                flag.write_text("crashed")
                os._exit(1)
            return real(texts, src, tgt, progress)

        translator.translate_scored = translate
        return translator


def test_ray_run_writes_the_same_catalogues_as_local_byte_for_byte(project, fast_models, ray_instance, pipeline):
    common = ["--to", "en", "--models", fast_models]
    local_summary = pipeline("run", "articles", *common, "--locales", "local/locales", "--workdir", "local/work").out
    ray_summary = pipeline(
        "run", "articles", *common, "--locales", "ray/locales", "--workdir", "ray/work", "--executor", "ray"
    ).out
    assert "translated by" in ray_summary and "left untranslated" not in ray_summary
    assert ray_summary == local_summary  # same segment and translation counts
    local, ray = snapshot(project / "local" / "locales"), snapshot(project / "ray" / "locales")
    assert sorted(local) == sorted(ray) and any(k.endswith(".mo") for k in ray)
    for name in local:
        assert local[name] == ray[name], name
    po = polib.pofile(str(project / "ray" / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert len(po) == 16 and all(e.msgstr for e in po)


def test_ray_run_with_per_document_catalogues_writes_what_a_local_run_writes(
    project, fast_models, ray_instance, pipeline
):
    """Each article's catalogue, translated by Ray workers, byte for byte what a local run writes."""
    articles = project / "articles"
    (articles / "politics").mkdir()
    (articles / EXAMPLE.name).rename(articles / "politics" / "smart.txt")
    headline = EXAMPLE.read_text(encoding="utf-8").split("\n\n")[1]
    (articles / "sport.txt").write_text(headline + "\n", encoding="utf-8")
    common = ["--to", "en", "--models", fast_models, "--catalogs", "per-document"]
    local_summary = pipeline("run", "articles", *common, "--locales", "local/locales", "--workdir", "local/work").out
    ray_summary = pipeline(
        "run", "articles", *common, "--locales", "ray/locales", "--workdir", "ray/work", "--executor", "ray"
    ).out
    assert ray_summary == local_summary and "left untranslated" not in ray_summary
    local, ray = snapshot(project / "local" / "locales"), snapshot(project / "ray" / "locales")
    assert sorted(local) == sorted(ray)
    assert {"en/LC_MESSAGES/politics/smart.po", "en/LC_MESSAGES/sport.po", "en/LC_MESSAGES/sport.mo"} <= set(ray)
    for name in local:
        assert local[name] == ray[name], name
    po = polib.pofile(str(project / "ray" / "locales" / "en" / "LC_MESSAGES" / "politics" / "smart.po"))
    assert len(po) == 16 and all(e.msgstr for e in po)


def test_failed_batch_is_reported_counted_and_retried_next_run(
    project, fast_models, ray_instance, monkeypatch, pipeline
):
    common = ["--to", "en", "--models", fast_models]
    pipeline("segment", "articles")
    texts = [s.text for s in jobs.Runner(jobs.Paths(Path(".pipeline"), Path("locales"))).segmented().segments]
    poison = next(t for t in texts if "300000" in t)  # the headline, a long sentence
    flaky = min(texts, key=len)  # in another batch of 4: batches are sorted by length
    flag = project / "flaky-failed"
    real_make_executor = cli.make_executor
    loader = FailingLoader(poison, flaky, flag)
    monkeypatch.setattr(cli, "make_executor", lambda *a, **k: RayExecutor(loader=loader))
    _, out, err = pipeline("translate", *common, "--executor", "ray", code=3)
    left = int(out.split(", ")[-1].split()[0])  # "en: N translated by model, ..., K left untranslated"
    assert 1 <= left <= 4 and "left untranslated" in out
    assert "left untranslated because their batches failed" in err and "run again" in err
    pipeline("localize", *common)
    pipeline("catalog", *common)
    po = polib.pofile(str(project / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    empty = [e.msgid for e in po if not e.msgstr]
    assert len(empty) == left and poison in empty  # kept as untranslated entries, not dropped
    assert flag.exists() and flaky not in empty  # the transient failure was retried by Ray
    assert all(e.msgstr and e.fuzzy for e in po if e.msgid not in empty)

    # The real executor on the same cluster: only the failed batch is translated, this time.
    monkeypatch.setattr(cli, "make_executor", real_make_executor)
    out = pipeline("run", "articles", *common, "--executor", "ray").out
    assert f": {left} translated by" in out and "left untranslated" not in out
    po = polib.pofile(str(project / "locales" / "en" / "LC_MESSAGES" / "messages.po"))
    assert all(e.msgstr for e in po)


def test_worker_that_dies_mid_batch_is_restarted_and_the_batch_rerun(project, fast_models, ray_instance, tmp_path):
    from pipeline.config import load_config

    paths = jobs.Paths(project / ".pipeline", project / "locales", "messages")
    with jobs.Runner(paths) as runner:
        segmented = runner.segment([project / "articles"])
    victim = segmented.segments[0].text
    flag = tmp_path / "crashed"
    executor = RayExecutor(workers=1, loader=CrashOnceLoader(victim, flag))
    with jobs.Runner(paths, load_config(fast_models), executor=executor) as runner:
        report = runner.translate(["en"])
    assert flag.exists()  # the worker really died once
    stats = report.locales["en"]
    assert stats.untranslated == 0 and stats.by_model == segmented.message_count


def test_executor_ray_without_ray_installed_says_how_to_install(project, fast_models, monkeypatch, pipeline):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    err = pipeline("run", "articles", "--to", "en", "--models", fast_models, "--executor", "ray", code=2).err
    assert "pip install '.[ray]'" in err and "Traceback" not in err
    assert not (project / ".pipeline").exists() and not (project / "locales").exists()  # stopped before work
    err = pipeline("translate", "--to", "en", "--models", fast_models, "--ray-address", "auto", code=2).err
    assert "--ray-address needs --executor ray" in err
