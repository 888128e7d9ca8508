"""Every benchmark in bench/ runs in its short setting, so a change that breaks one fails the suite
instead of rotting until someone wants the figures. The figures of a short run mean nothing; what
is checked is that each script runs to the end through the code users run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(p.name for p in (ROOT / "bench").glob("*.py"))


def test_there_are_benchmarks():
    assert {"mt_speed.py", "scale.py", "confidence_cost.py", "ray_throughput.py"} <= set(BENCHMARKS)


@pytest.mark.parametrize("script", BENCHMARKS)
def test_each_benchmark_runs_its_short_setting(script, tiny_models):
    if script == "ray_throughput.py":
        pytest.importorskip("ray", reason="the ray extra is not installed")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--short"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"{script} --short failed:\n{proc.stderr[-4000:]}\n{proc.stdout[-2000:]}"
    assert "Traceback" not in proc.stderr and proc.stdout.strip(), proc.stderr[-4000:]


def test_the_archive_setting_builds_one_catalogue_per_document_and_costs_the_change(tiny_models, tmp_path):
    """The archive mode of bench/scale.py, at the size of its short setting: one catalogue per
    document and locale, a daily update that rewrites only the documents it touched, and the run
    after it merges nothing; the targets are reported, met or not."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "scale.py"),
            "--archive",
            "150,300",
            "--daily-documents",
            "2",
            "--fuzzy",
            "0",
            "--data",
            str(ROOT / "tests" / "data" / "flores-sample"),
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(proc.stdout)
    assert "sizes" not in report  # --archive alone: the single-catalogue sizes are not run
    archive = report["archive"]
    assert [r["sentences"] for r in archive["sizes"]] == [150, 300]
    for size in archive["sizes"]:
        assert size["catalogs"] == "per-document"
        assert size["po_files"] == 2 * size["documents"]  # en and zh_Hans
        assert size["changed_documents"] == 2
        assert set(size["steps"]) == {"first", "no-change", "daily", "after-daily"}
        for step in ("no-change", "after-daily"):  # nothing merged, localised or written
            assert not {"localize", "catalog"} & set(size["steps"][step]["stages"]), size["steps"][step]
        assert {"localize", "catalog"} <= set(size["steps"]["daily"]["stages"])
    assert set(archive["growth"]) == {"first", "no-change", "daily", "after-daily"}
    assert len(archive["targets"]) == 3 and all(isinstance(t["met"], bool) for t in archive["targets"].values())
