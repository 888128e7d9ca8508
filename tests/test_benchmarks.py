"""Every benchmark in bench/ runs in its short setting, so a change that breaks one fails the suite
instead of rotting until someone wants the figures. The figures of a short run mean nothing; what
is checked is that each script runs to the end through the code users run."""

from __future__ import annotations

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
