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


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """Modules imported inside functions (``from a import b`` as ``a.b`` when b is a module)."""
    import importlib.util

    found: list[tuple[int, str]] = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                found += [(node.lineno, a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    name = f"{node.module}.{alias.name}"
                    try:
                        is_module = importlib.util.find_spec(name) is not None
                    except (ImportError, ValueError):
                        is_module = False
                    found.append((node.lineno, name if is_module else node.module))
    return found


def test_the_models_every_command_loads_keep_their_annotations_evaluated() -> None:
    """See ``domain/models/__init__.py``: string annotations cost every start their compilation."""
    for name in ("common", "questionnaire", "sheet", "result"):
        text = (PACKAGE / "domain" / "models" / f"{name}.py").read_text(encoding="utf-8")
        assert "from __future__ import annotations" not in text, name


def test_imports_inside_cli_functions_only_where_they_keep_start_up_fast() -> None:
    """An import goes to the top of its module unless ``stufenplan --help`` would load it only because of it.

    Start-up is the app with its command modules (``--help`` imports them all for their docstrings).

    So inside a function only in modules loaded at start-up, and only modules that start-up does not load
    anyway (pydantic, the services, rich's tables …); optional extras (readline, weasyprint) are exempt,
    and so is the entry point in ``cli/__init__.py``, which tunes the collector before it imports the app.
    """
    import subprocess
    import sys

    code = (
        "import sys, importlib, stufenplan_cli.cli.app as app\n"
        "for module, _ in app.Commands.table.values():\n"
        "    importlib.import_module('stufenplan_cli.cli.' + module)\n"
        "print('\\n'.join(sys.modules))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    offenders = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        at_start_up = f"stufenplan_cli.cli.{path.stem}" in loaded
        for line, module in _function_imports(path):
            if module.split(".")[0] in {"readline", "weasyprint"}:
                continue
            if (path.name, module) == ("__init__.py", "stufenplan_cli.cli.app"):
                continue
            if not at_start_up:
                offenders.append(
                    f"{path.name}:{line}: {module} (module not loaded at start-up: import at the top)"
                )
            elif module in loaded:
                offenders.append(
                    f"{path.name}:{line}: {module} (loaded at start-up anyway: import at the top)"
                )
    assert offenders == []


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Known exceptions, each with its owner and reason; remove an entry when the code is split. A file listed
# here may exceed the limits; a file not listed may not. None at present.
SIZE_EXCEPTIONS: dict[str, str] = {}


def _too_long(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{lines} lines")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}() {length} lines")
    return found


def test_no_module_over_400_lines_no_function_over_60() -> None:
    """Small pieces a newcomer reads in one go; a longer one is split by what its parts do."""
    offenders = {
        path.relative_to(PACKAGE).as_posix(): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := _too_long(path))
    }
    unexpected = {name: found for name, found in offenders.items() if name not in SIZE_EXCEPTIONS}
    assert unexpected == {}
    stale = sorted(set(SIZE_EXCEPTIONS) - set(offenders))
    assert stale == [], "split already: remove from SIZE_EXCEPTIONS"
