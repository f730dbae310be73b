"""The package's layering, read from the source with ast: lower layers never import higher ones.

The layers are written once, here; README's module map and docs/architecture.md describe the same
order. Every import counts, including the lazy ones inside functions, since a lazy import is still a
dependency a change can break.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"syslead", "errors", "markup", "terminal"}),  # the root and shared vocabulary
    frozenset({"output"}),  # writing files safely
    frozenset({"library"}),  # playbook models, YAML, the loader
    frozenset({"planning", "scenario"}),  # one session's plan; the fixed-budget case
    frozenset({"documents"}),  # templates, handouts, HTML, PDF, the pack
    frozenset({"assessment"}),  # the five-factor self-assessment
    frozenset({"series"}),  # the six-weekly programme
    frozenset({"commands"}),  # the thin command-line layer
    frozenset({"cli"}),  # the root command
    frozenset({"__main__"}),  # python -m syslead
)
"""From the bottom up. A module may import its own domain and any lower layer, nothing else."""

RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def domain(module: str) -> str:
    """The layer name of a dotted module: its domain folder, or the top-level module itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    dotted = ".".join(path.relative_to(SRC).with_suffix("").parts)
    return dotted.removesuffix(".__init__")


def imports_of(source: str) -> list[tuple[int, str, list[str]]]:
    """Every syslead import in a module: (line, imported module, names taken from it)."""
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "relative", [alias.name for alias in node.names]))
                continue
            target = node.module or ""
            if target == "syslead" or target.startswith("syslead."):
                found.append((node.lineno, target, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("syslead"):
                    found.append((node.lineno, alias.name, []))
    return found


def package_sources() -> dict[str, str]:
    return {module_name(path): path.read_text() for path in sorted(SRC.rglob("*.py"))}


def layering_violations(sources: Mapping[str, str]) -> list[str]:
    """Imports that go up a layer or across to a sibling domain, and cross-domain private names."""
    problems: list[str] = []
    for module, source in sources.items():
        here = domain(module)
        for line, target, names in imports_of(source):
            if target == "relative":
                problems.append(f"{module}:{line}: a relative import (write syslead.<domain>...)")
                continue
            there = domain(target)
            if there == here:
                continue
            if there not in RANK or here not in RANK:
                problems.append(f"{module}:{line}: {there!r} or {here!r} has no layer")
            elif RANK[there] >= RANK[here]:
                problems.append(
                    f"{module}:{line}: {here} (layer {RANK[here]}) imports {target} "
                    f"(layer {RANK[there]})"
                )
            private = [n for n in names if n.startswith("_") and not n.endswith("__")]
            if private:
                problems.append(f"{module}:{line}: private names from {target}: {private}")
    return problems


def cycles(sources: Mapping[str, str]) -> list[list[str]]:
    """Circles among modules (Tarjan's strongly connected components of two or more modules)."""
    graph: dict[str, set[str]] = {module: set() for module in sources}
    for module, source in sources.items():
        for _line, target, names in imports_of(source):
            for name in [*(f"{target}.{n}" for n in names), target]:
                if name in sources and name != module:
                    graph[module].add(name)
                    break
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_domain_module_has_a_layer() -> None:
    unknown = {domain(module) for module in package_sources()} - set(RANK)
    assert not unknown


def test_no_module_imports_a_higher_layer_or_a_sibling() -> None:
    assert layering_violations(package_sources()) == []


def test_no_import_circles() -> None:
    assert cycles(package_sources()) == []


def test_the_package_top_holds_few_modules() -> None:
    top = [path.name for path in (SRC / "syslead").glob("*.py")]
    assert len(top) <= 8, sorted(top)


def test_each_domain_says_what_it_may_import() -> None:
    for folder in (SRC / "syslead").iterdir():
        init = folder / "__init__.py"
        if folder.is_dir() and init.exists() and folder.name != "commands":
            doc = ast.get_docstring(ast.parse(init.read_text())) or ""
            assert "May import" in doc, folder.name


def _fake(modules: Iterable[tuple[str, str]]) -> dict[str, str]:
    return dict(modules)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # a lower layer importing a higher one
        ("syslead.library.loader", "from syslead.planning.plan import Plan\n", "imports"),
        # a domain importing the command layer, lazily inside a function
        ("syslead.scenario.model", "def f():\n    from syslead.commands import x\n", "imports"),
        # two domains of one layer importing each other
        ("syslead.planning.plan", "from syslead.scenario.money import Money\n", "imports"),
        # a private name taken across domains
        ("syslead.documents.pack", "from syslead.planning.plan import _hidden\n", "private"),
    ],
)
def test_the_checker_catches_a_back_import(module: str, source: str, expected: str) -> None:
    problems = layering_violations(_fake([(module, source)]))
    assert problems
    assert expected in problems[0]


def test_the_checker_catches_a_circle() -> None:
    sources = _fake(
        [
            ("syslead.library.a", "from syslead.library.b import x\n"),
            ("syslead.library.b", "def f():\n    from syslead.library import a\n"),
        ]
    )
    assert cycles(sources) == [["syslead.library.a", "syslead.library.b"]]


def test_readme_module_map_follows_the_layers() -> None:
    readme = (SRC.parent / "README.md").read_text()
    section = readme.split("## Development", 1)[1]
    positions = {name: section.find(f"`{name}/`") for name in ("library", "planning", "scenario")}
    positions |= {name: section.find(f"`{name}/`") for name in ("documents", "assessment")}
    positions |= {name: section.find(f"`{name}/`") for name in ("series", "commands")}
    assert all(pos >= 0 for pos in positions.values()), positions
    order = sorted(positions, key=positions.__getitem__)
    ranks = [RANK[name] for name in order]
    assert ranks == sorted(ranks), order


MAX_COMPLEXITY = 20
"""Radon grade C at most: a function more tangled than this is split, or says why not."""


def test_no_function_is_more_complex_than_grade_c() -> None:
    from radon.complexity import cc_visit

    too_complex = []
    for path in sorted((SRC / "syslead").rglob("*.py")):
        source = path.read_text()
        lines = source.splitlines()
        for block in cc_visit(source):
            if block.complexity <= MAX_COMPLEXITY:
                continue
            above = lines[max(0, block.lineno - 3) : block.lineno - 1]
            if any("# complexity:" in line for line in above):
                continue  # the comment says why this one stays whole
            too_complex.append(
                f"{path.relative_to(SRC)}:{block.lineno} {block.name} ({block.complexity})"
            )
    assert too_complex == []


def test_no_runtime_asserts_in_the_package() -> None:
    """An assert vanishes under ``python -O``: checks that matter raise real errors instead."""
    found = []
    for path in sorted((SRC / "syslead").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assert):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []


def test_domains_name_fields_not_command_line_options() -> None:
    """Errors in the core name the field (errors.ref); only the command layer knows the flags."""
    import re

    flag = re.compile(r"""["'][^"'\n]*(?<![\w-])--[a-z][a-z-]+""")
    found = []
    for domain_name in ("library", "planning", "scenario", "series", "assessment", "documents"):
        for path in sorted((SRC / "syslead" / domain_name).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Raise) and node.exc is not None:
                    text = ast.unparse(node.exc)
                    if flag.search(text):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:80]}")
    assert found == []
