"""requirements/lock.txt covers what pyproject.toml asks for: a dependency added without
regenerating the lock would install untested (or, with the lock as constraints, at any version)."""

from __future__ import annotations

from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def locked() -> dict[str, set[str]]:
    """Package → the versions the lock pins for it (one per Python range)."""
    out: dict[str, set[str]] = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            req = Requirement(line)
            out.setdefault(canonicalize_name(req.name), set()).add(str(req.specifier))
    return out


def test_the_lock_pins_every_dependency_and_extra_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    pins = locked()
    missing = sorted({r.name for r in wanted if canonicalize_name(r.name) not in pins})
    assert not missing, f"not in requirements/lock.txt (regenerate it, see CONTRIBUTING.md): {missing}"
    for req in wanted:  # each pinned version lies inside pyproject's range
        for spec in pins[canonicalize_name(req.name)]:
            version = spec.removeprefix("==")
            assert spec.startswith("==") and req.specifier.contains(version, prereleases=True), (req, spec)
