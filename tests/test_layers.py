"""checks/ reads as layers: no import runs back up a layer, and no import cycle.

Imports are read with ``ast`` from every module of the package, including imports inside
functions (a lazy import is still a dependency) and under ``TYPE_CHECKING``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parent.parent / "checks"

# lowest first; a module may import its own layer and the layers before it (README
# "How the code is laid out").
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("checks.errors", "checks.values", "checks.files", "checks.optional", "checks.environ",
              "checks.resources", "checks.schema", "checks.forked")),
    ("plan model", ("checks.plan",)),
    ("rules support", ("checks", "checks.model", "checks.registry", "checks.rulekit", "checks.coverage")),
    ("engine and cost", ("checks.engine", "checks.cost")),
    ("integrations", ("checks.integrations",)),
    ("report", ("checks.report",)),
    ("api", ("checks.api",)),
    ("ops", ("checks.ops",)),
    ("cli", ("checks.cli", "checks.commands")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CHECKS.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(CHECKS.rglob("*.py"))}


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    if rank < 0:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and to the README")
    return rank


def imports_of(module: str, source: str | None = None) -> set[str]:
    """The checks.* modules ``module`` imports (``from checks import x`` -> checks.x when x is a module)."""
    path = MODULES[module]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "checks")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "checks":
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    found.discard(module)
    return {m for m in found if m in MODULES}


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_back_up_a_layer(module):
    mine = layer_of(module)
    upward = sorted(f"{m} ({LAYERS[layer_of(m)][0]})" for m in GRAPH[module] if layer_of(m) > mine)
    assert not upward, f"{module} ({LAYERS[mine][0]}) imports a higher layer: {', '.join(upward)}"


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_layer_ranks_follow_the_design():
    """The order the README gives, and the import that was removed from drift (it re-entered the CLI)."""
    assert layer_of("checks.engine") < layer_of("checks.cli")
    assert layer_of("checks.ops.drift") > layer_of("checks.api") > layer_of("checks.report.html")
    assert "checks.api" in GRAPH["checks.ops.drift"] and "checks.cli" not in GRAPH["checks.ops.drift"]


def test_an_upward_lazy_import_is_seen():
    """A function-level import of the CLI from the ops layer (what drift did) is a dependency."""
    source = "def detect():\n    from checks.cli import main\n    return main\n"
    found = imports_of("checks.ops.drift", source)
    assert found == {"checks.cli"} and layer_of("checks.cli") > layer_of("checks.ops.drift")
