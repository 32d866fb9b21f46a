"""The import rules of docs/architecture.md: data flows one way, CLI → services → render/files → domain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "stufenplan_cli"

# What each layer may import from the project (besides itself and ``errors``).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "domain": set(),
    "files": {"domain"},
    "render": {"domain", "files"},
    "services": {"domain", "files", "render"},
    "cli": {"domain", "files", "render", "services"},
}
TERMINAL = {"typer", "click", "rich"}


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


MODULES = [p for p in sorted(PACKAGE.rglob("*.py")) if _layer(p) in ALLOWED]


def test_the_top_of_the_package_reads_as_the_architecture() -> None:
    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert entries == {
        "__init__.py",
        "__main__.py",
        "errors.py",
        "domain",
        "files",
        "render",
        "services",
        "cli",
    }
    for package in ("domain", "files", "render", "services", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{package}/__init__.py must say what it may import"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    layer = _layer(path)
    allowed = ALLOWED[layer] | {layer, "errors"}
    wrong = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "stufenplan_cli" and len(parts) > 1:
            target = parts[1]
            if target not in allowed and target not in {"__version__", "__init__"}:
                wrong.append(f"{line}: {module}")
        elif layer != "cli" and parts[0] in TERMINAL:
            wrong.append(f"{line}: {module} (only the CLI talks to the terminal)")
    assert not wrong, f"{path.relative_to(PACKAGE)} imports across the layers: {wrong}"


def test_the_core_never_prints() -> None:
    offenders = []
    for path in MODULES:
        if _layer(path) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"print", "exit"}
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders


def test_nothing_imports_typers_private_modules() -> None:
    """``typer._click``, ``typer._param_types`` … change without notice; typer is pinned only below 1.0."""
    root = PACKAGE.parents[1]
    offenders = [
        f"{path.relative_to(root)}:{line}: {module}"
        for path in sorted(
            [*PACKAGE.rglob("*.py"), *(root / "tests").rglob("*.py"), *(root / "benchmarks").rglob("*.py")]
        )
        for line, module in _imports(path)
        if module.startswith("typer._")
        or (module.startswith("typer.") and module.split(".")[1].startswith("_"))
    ]
    assert offenders == []
