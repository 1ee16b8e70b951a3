"""Architecture contracts (issue 14): the import graph of ``atlas/`` has no circle, and the register store
loads without the map and build machinery. Pure source analysis – no data needed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from atlas import settings

PACKAGE = settings.PROJECT_ROOT / "atlas"


def module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, base: Path, modules: set[str]) -> set[str]:
    """Project modules imported anywhere in *path* – at module level and inside functions."""
    name = module_name(path, base)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from atlas import settings`
    return {m for m in found if m in modules and m != name}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → project modules it imports, for the package in folder *root*."""
    paths = {module_name(p, root.parent): p for p in root.rglob("*.py")}
    return {name: imported_modules(path, root.parent, set(paths)) for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_sees_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    pkg = tmp_path / "atlas"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from atlas.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from . import c\n")
    (pkg / "sub" / "c.py").write_text("import atlas.a\n")
    (pkg / "d.py").write_text("from atlas import a\n")
    graph = import_graph(pkg)
    assert graph["atlas.d"] == {"atlas", "atlas.a"}
    assert cycles(graph) == [["atlas.a", "atlas.sub.b", "atlas.sub.c"]]


def test_atlas_package_has_no_import_circle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the walk really saw the package
    assert cycles(graph) == [], "Import-Kreis(e) in atlas/: " + "; ".join(" ↔ ".join(c) for c in cycles(graph))


def test_importing_the_register_store_loads_no_map_or_build_code() -> None:
    code = ("import sys, atlas.register.store; "
            "print(' '.join(m for m in ('folium', 'mapclassify', 'atlas.build', 'atlas.mapview', 'streamlit') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=settings.PROJECT_ROOT)
    assert out.stdout.strip() == ""


def test_schema_module_imports_nothing_from_the_project() -> None:
    assert import_graph()["atlas.schema"] == set()


def test_only_settings_reads_the_environment() -> None:
    root = settings.PROJECT_ROOT
    files = [*PACKAGE.rglob("*.py"), *(root / "pages").glob("*.py"), root / "app.py"]
    readers = []
    for path in sorted(files):
        if path == PACKAGE / "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "putenv"} \
                and isinstance(node.value, ast.Name) and node.value.id == "os"
            imported = isinstance(node, ast.ImportFrom) and node.module == "os" \
                and any(a.name in {"environ", "getenv"} for a in node.names)
            if attribute or imported:
                readers.append(f"{path.relative_to(root)}:{node.lineno}")
    assert readers == [], "Umgebungsvariablen nur über atlas.settings lesen: " + ", ".join(readers)


def test_no_page_file_above_200_lines() -> None:
    """Pages only read widgets and draw; computation lives in the atlas package (view-model functions)."""
    root = settings.PROJECT_ROOT
    long = {p.name: n for p in sorted((root / "pages").glob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 200}
    assert long == {}, f"Seiten über 200 Zeilen: {long}"


#: The foundation: imports nothing above itself (settings, errors, layer schema, data-file loader, text safety).
FOUNDATION = {"atlas", "atlas.settings", "atlas.errors", "atlas.schema", "atlas.datafile", "atlas.safe_text",
              "atlas._helpers"}


def test_layers_import_one_way() -> None:
    """sources → build → data → features → pages: the foundation imports only the foundation, the data
    loader only the foundation, and only the command line starts a build (pages may via their button)."""
    graph = import_graph()
    for module in sorted(FOUNDATION):
        assert graph[module] <= FOUNDATION, f"{module} importiert {sorted(graph[module] - FOUNDATION)}"
    assert graph["atlas.atlasdata"] <= FOUNDATION
    starts_build = sorted(m for m, targets in graph.items() if "atlas.build" in targets)
    assert starts_build == ["atlas.cli"]


def test_no_streamlit_in_the_atlas_package() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "streamlit" or n.startswith("streamlit.") or n.startswith("streamlit_folium") for n in names):
                found.append(f"{path.relative_to(settings.PROJECT_ROOT)}:{node.lineno}")
    assert found == [], "Streamlit nur in pages/ und app.py: " + ", ".join(found)


#: Objects indexed by GeoPackage layer name: the loaded layers (``data``, ``layers``, ``data.layers``) and the
#: map base's frames (``base.frames``). ``frames`` alone is the build's *source* frames (keyed by source).
_LAYER_HOLDERS = {"data", "layers", "data.layers", "self.layers", "base.frames"}


def layer_name_literals(source: str) -> list[tuple[int, str]]:
    """(line, name) of every GeoPackage layer name written as a string literal where a layer is read:
    ``data["haltestellen"]``, ``layers.get("wohnorte")``, ``read_dataframe(…, layer="orte")``."""
    from atlas.schema import LAYER_NAMES

    def holder(node: ast.expr) -> bool:
        return ast.unparse(node) in _LAYER_HOLDERS

    found = []
    for node in ast.walk(ast.parse(source)):
        literal = None
        if isinstance(node, ast.Subscript) and holder(node.value):
            literal = node.slice
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and holder(node.func.value) and node.args:
                literal = node.args[0]
            for keyword in node.keywords:
                if keyword.arg == "layer":
                    literal = keyword.value
        if isinstance(literal, ast.Constant) and literal.value in LAYER_NAMES:
            found.append((node.lineno, literal.value))
    return found


def test_layer_name_checker_finds_literals() -> None:
    snippet = 'a = data["haltestellen"]\nb = layers.get("wohnorte")\nc = read(p, layer="orte")\nd = frames["orte"]\n'
    assert layer_name_literals(snippet) == [(1, "haltestellen"), (2, "wohnorte"), (3, "orte")]


def test_layer_names_come_from_the_schema() -> None:
    """GeoPackage layers are read by the names in :mod:`atlas.schema` (``schema.STOPS_LAYER`` …), never by
    repeated string literals, so a renamed layer cannot leave a reader behind."""
    offenders = []
    for path in [*PACKAGE.rglob("*.py"), *(settings.PROJECT_ROOT / "pages").glob("*.py"),
                 *(settings.PROJECT_ROOT / "bench").glob("*.py")]:
        offenders += [f"{path.relative_to(settings.PROJECT_ROOT)}:{line}: {name}"
                      for line, name in layer_name_literals(path.read_text(encoding="utf-8"))]
    assert offenders == []
