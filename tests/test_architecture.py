"""The shape of the package: floors that import only downwards, no circles, rooms small enough to hold.

The floors, bottom to top (a module may import its own floor and the floors below):

0. ``about``, ``errors``, ``schema``, ``resources``, ``files`` — the ground every floor stands on;
1. ``text`` — pure functions over strings (normalisation, numerals, structure, header);
2. ``rules`` — what the library finds, pure functions over strings (no spaCy);
3. ``pipeline`` — the spaCy language, extensions and components;
4. ``graph`` — co-occurrence counts and graphs;
5. ``corpus`` — ingest, runs, engines, tables, result, report;
6. ``evaluation`` — gold, scorer, predict, baselines, bench;
7. ``training`` — fitting the shipped models;
8. ``indicators``, ``cli`` and the package face (``qidu_nlp/__init__.py``).

Imports inside functions count. They are allowed only for optional extras and measured start-up
costs, each marked by a comment on its line that says so.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "qidu_nlp"
FLOORS = {
    "qidu_nlp.about": 0, "qidu_nlp.errors": 0, "qidu_nlp.schema": 0, "qidu_nlp.resources": 0,
    "qidu_nlp.files": 0,
    "qidu_nlp.text": 1, "qidu_nlp.rules": 2, "qidu_nlp.pipeline": 3, "qidu_nlp.graph": 4,
    "qidu_nlp.corpus": 5, "qidu_nlp.evaluation": 6, "qidu_nlp.training": 7,
    "qidu_nlp.indicators": 8, "qidu_nlp.cli": 8, "qidu_nlp": 8,
}
ENGINES = ("qidu_nlp.corpus.engines.local", "qidu_nlp.corpus.engines.dask")
NO_SPACY = ("qidu_nlp.text", "qidu_nlp.rules")
MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _floor(module: str) -> int:
    best = max((name for name in FLOORS if module == name or module.startswith(name + ".")), key=len)
    return FLOORS[best]


def _imports(module: str, path: Path) -> list[tuple[str, ast.stmt, bool]]:
    """(imported module, node, inside a function) for every import of ``module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                out.extend((alias.name, child, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = module.split(".") if is_package else module.split(".")[:-1]
                    parts = parts[: len(parts) - (child.level - 1)]
                    base = ".".join(parts + ([child.module] if child.module else []))
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    out.append((full if full in MODULES else base, child, in_function))
            visit(child, inner)

    visit(tree, False)
    return out


def _internal(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


EDGES = {m: [(t, node, inner) for t, node, inner in _imports(m, p)] for m, p in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_architecture_imports_go_downwards(module):
    up = []
    for target, node, _ in EDGES[module]:
        target = _internal(target)
        if target and target != module and not module.startswith(target + ".") \
                and _floor(target) > _floor(module):
            up.append(f"line {node.lineno}: {target} (floor {_floor(target)})")
    assert not up, f"{module} (floor {_floor(module)}) imports upwards: {up}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(NO_SPACY)))
def test_architecture_text_and_rules_do_not_import_spacy(module):
    spacy = [f"line {node.lineno}: {t}" for t, node, _ in EDGES[module] if t.split(".")[0] in ("spacy", "thinc")]
    assert not spacy, f"{module} imports spaCy: {spacy}"


def test_architecture_engines_do_not_import_each_other():
    for engine in ENGINES:
        others = [e for e in ENGINES if e != engine]
        found = [_internal(t) for t, _, _ in EDGES[engine]]
        assert not set(found) & set(others), f"{engine} imports another engine"


def test_architecture_no_import_circles():
    graph = {m: {_internal(t) for t, _, _ in EDGES[m]} - {None, m} for m in MODULES}
    # a package's face may import its children; a child importing its own package is a circle
    index, low, stack, on, circles, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in graph:
        if v not in index:
            strong(v)
    assert not circles, f"import circles: {circles}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_architecture_imports_inside_functions_say_why(module):
    lines = MODULES[module].read_text(encoding="utf-8").splitlines()
    silent = [f"line {node.lineno}: {lines[node.lineno - 1].strip()}" for _, node, inner in EDGES[module]
              if inner and not any(word in lines[node.lineno - 1] for word in ("optional", "start-up"))]
    assert not silent, f"{module}: imports inside functions need a reason (optional extra or start-up): {silent}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_architecture_rooms_are_small(module):
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: over {MAX_MODULE_LINES} lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {long}"
