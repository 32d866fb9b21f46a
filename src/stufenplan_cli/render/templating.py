"""The Jinja2 environment that all text output goes through; wording lives in report_templates/."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import textwrap
import types
from pathlib import Path
from typing import Any

from stufenplan_cli.files.resources import data_dir


def templates_dir() -> Path:
    return data_dir("report_templates")


def yaml_str(value: object) -> str:
    """A YAML scalar that reads back as exactly this string (JSON strings are valid YAML)."""
    return json.dumps("" if value is None else str(value), ensure_ascii=False)


def comment(text: object, indent: int = 0, width: int = 96) -> str:
    """Text as YAML comment lines (``# ...``), wrapped, each line prefixed, nothing left uncommented."""
    pad = " " * indent
    lines: list[str] = []
    for paragraph in str(text or "").splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width=width - indent - 2) or [""]
        lines += [f"{pad}# {line}".rstrip() for line in wrapped]
    return "\n".join(lines)


_NO_CACHE_VAR = "STUFENPLAN_NO_CACHE"


@functools.cache
def _bytecode_cache(kind: str) -> Any:
    """Compiled templates kept in the user's cache directory, so a single report does not compile them again.

    Jinja2 checks each entry against the template's source and the Python version, so an edited template
    or another Python compiles afresh. The compiled code also depends on the environment (escaping, and
    filters on constants are folded in when compiling), so each ``kind`` of environment has its own
    directory. Bytecode is code: the directory is used only when it belongs to this user and nobody else
    may write to it (as Jinja2's own default cache checks); otherwise, or with $STUFENPLAN_NO_CACHE set,
    templates are compiled in memory as before.
    """
    if os.environ.get(_NO_CACHE_VAR):
        return None
    import jinja2

    try:
        base = _cache_home() / "stufenplan"
        directory = base / f"jinja2-{jinja2.__version__}" / kind
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix":
            for folder in (base, directory.parent, directory):
                info = folder.stat()
                if info.st_uid != os.getuid() or info.st_mode & 0o022:
                    return None
        return jinja2.FileSystemBytecodeCache(str(directory))
    except OSError:
        return None


def _code_fingerprint(code: types.CodeType) -> bytes:
    """A function's bytecode and constants, the same in every process (nested code objects by content)."""
    parts = [code.co_code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            parts.append(_code_fingerprint(const))
        else:  # a set's order depends on the process's hash seed
            parts.append(repr(sorted(map(repr, const)) if isinstance(const, frozenset) else const).encode())
    return b"\0".join(parts)


def _cache_home() -> Path:
    """Where a user's caches go: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def environment(
    template_dir: Path | None = None,
    sandboxed: bool = False,
    autoescape: bool = False,
    cache: bool = True,
) -> Any:
    """A Jinja2 environment over the bundled templates, with a user's directory in front when given.

    A user's templates run in Jinja2's sandbox: they are files from outside and may not reach Python.
    ``cache=False`` for a caller that adds filters of its own and then calls :func:`use_bytecode_cache`.
    """
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    searchpath = [str(template_dir)] if template_dir else []
    searchpath.append(str(templates_dir()))
    cls = SandboxedEnvironment if sandboxed or template_dir else jinja2.Environment
    env = cls(
        loader=jinja2.FileSystemLoader(searchpath, encoding="utf-8"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml_str"] = yaml_str
    env.filters["comment"] = comment
    if cache:
        use_bytecode_cache(env, "plain")
    return env


def use_bytecode_cache(env: Any, flavour: str) -> None:
    """Give an environment whose filters are all set its own bytecode cache (see :func:`_bytecode_cache`).

    Jinja2 folds filters applied to constants into the compiled code, so the cache's name carries the
    environment's class, its escaping and a fingerprint of its filters' code: a changed filter compiles afresh.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    for name in sorted(env.filters):
        function = env.filters[name]
        digest.update(
            f"{name}={getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}".encode()
        )
        code = getattr(function, "__code__", None)
        if code is not None and function.__module__.startswith("stufenplan_cli"):  # Jinja2's: by its version
            digest.update(_code_fingerprint(code))
    escaping = "escaped" if env.autoescape else "raw"
    env.bytecode_cache = _bytecode_cache(
        f"{flavour}-{type(env).__name__}-{escaping}-{digest.hexdigest()[:12]}"
    )
