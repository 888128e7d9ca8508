"""Dependencies point one way: the command → the runner → the stages → plain data, settings and
layout. Read from the source's imports (those inside functions too), so a new import that would
close a cycle fails here instead of at some later import order."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.Module) -> list[str]:
    """The pipeline modules a module imports, leaving out those only type checkers read."""
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    names = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            names += [node.module] if node.module != "pipeline" else [f"pipeline.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.split(".")[0] == "pipeline"]
    return names


def imports() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        graph[module_name(path)] |= set(imported(ast.parse(path.read_text(encoding="utf-8"))))
    return graph


def part(module: str) -> str:
    """pipeline.catalog.entry → catalog: the unit a dependency rule speaks of."""
    return module.split(".")[1] if "." in module else module


def test_no_two_parts_of_the_package_import_each_other():
    parts = defaultdict(set)
    for module, names in imports().items():
        parts[part(module)] |= {part(n) for n in names} - {part(module), "pipeline"}
    cycles = []
    for start in list(parts):
        stack = [[start]]
        while stack:
            path = stack.pop()
            for nxt in parts.get(path[-1], ()):
                if nxt == start:
                    cycles.append(" → ".join(path + [start]))
                elif nxt not in path:
                    stack.append(path + [nxt])
    assert cycles == []


def test_settings_and_layout_import_no_stage_and_stages_no_runner():
    graph = imports()
    leaves = {"pipeline.errors", "pipeline.fsutil", "pipeline.layout"}
    assert graph["pipeline.layout"] <= leaves
    for module, names in graph.items():
        if module.startswith("pipeline.config"):
            assert {part(n) for n in names} <= {"config", "errors", "fsutil", "layout", "glossary"}, module
        if module.endswith("_stage"):
            assert not {n for n in names if n in ("pipeline.jobs", "pipeline.jobs.runner", "pipeline.cli")}, module
    assert [m for m, names in graph.items() if "pipeline.cli" in names] == ["pipeline.__main__"]


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}


def all_imports() -> dict[str, set[str]]:
    """Like `imports`, with the imports only type checkers read: a cycle there still ties two
    modules together for a reader."""
    graph = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
                # `from pipeline.mt import families` imports the module families, not the package's
                # own code; `from pipeline.mt import Translator` imports the package
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    graph[module_name(path)].add(sub if sub in MODULES else node.module)
            elif isinstance(node, ast.Import):
                graph[module_name(path)] |= {a.name for a in node.names if a.name.split(".")[0] == "pipeline"}
    return {m: {n for n in names if n in MODULES and n != m} for m, names in graph.items()}


def test_no_two_modules_import_each_other_even_for_type_checking():
    graph = all_imports()
    pairs = sorted({tuple(sorted((a, b))) for a, names in graph.items() for b in names if a in graph.get(b, ())})
    assert pairs == []
