"""The tree shows the design (DESIGN §3): the import contracts in pyproject.toml hold, no module
imports itself back through others, loaders never load a plotting library, and no module grows
into a second package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lagesbild_lib"

#: Declarative tables may be long; everything else stays small enough to read in one sitting.
LONG_ALLOWED = {"data/schema.py"}
MAX_LINES = 450
#: Besides the packages, the top level holds only the entry point and what both halves share.
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "errors.py", "paths.py", "context.py", "session.py"}


def test_import_contracts_hold():
    # In a process of its own: import-linter configures logging with dictConfig, which disables every
    # logger already created (ours included) for the rest of a test worker's tests.
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True))"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _import_graph():
    import grimp

    return grimp.build_graph("lagesbild_lib", exclude_type_checking_imports=True, cache_dir=None)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _edges(graph) -> dict[str, set[str]]:
    edges = {}
    for module in graph.modules:
        if not module.startswith("lagesbild_lib"):
            continue
        targets = {m for m in graph.find_modules_directly_imported_by(module) if m.startswith("lagesbild_lib")}
        if (PACKAGE.parent / (module.replace(".", "/") + "/__init__.py")).is_file():
            targets = {m for m in targets if not m.startswith(module + ".")}  # a package re-exporting its own modules
        edges[module] = targets
    return edges


def test_no_import_cycles():
    assert _cycles(_edges(_import_graph())) == []


def test_cycle_finder_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _cycles(edges) == [["a", "b", "c"]]


@pytest.mark.parametrize("modules", [
    "lagesbild_lib.data.dataset, lagesbild_lib.data.geo, lagesbild_lib.data.crs, lagesbild_lib.data.validate",
    "lagesbild_lib.importers, lagesbild_lib.importers.boundaries, lagesbild_lib.importers.bra, lagesbild_lib.importers.est",
    "lagesbild_lib.params, lagesbild_lib.present.fmt",
])
def test_loaders_import_no_plotting_library(modules):
    code = (
        f"import sys, {modules}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'seaborn')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{modules} load a plotting library: {result.stdout}"


def test_top_level_holds_packages_and_few_modules():
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules <= TOP_LEVEL, f"put {sorted(modules - TOP_LEVEL)} in the package that does what it does"
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"pipeline", "report", "sections", "figures", "analysis", "present", "data", "importers", "demo"} <= packages


def test_no_module_is_too_long_to_read():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) <= LONG_ALLOWED, f"split these modules: {long}"
