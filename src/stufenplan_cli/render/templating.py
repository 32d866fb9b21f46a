"""The Jinja2 environment that all text output goes through; wording lives in report_templates/."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import sys
import textwrap
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from stufenplan_cli.errors import InputError
from stufenplan_cli.files.cache import private_cache_dir
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


# Limits for a user's templates (``--template-dir``): a report is some hundred KiB of HTML and takes
# well under a second; a template beyond these is broken or hostile.
MAX_OUTPUT_CHARS = 20 * 1024 * 1024
MAX_SECONDS = 60.0
MAX_SEQUENCE = 1_000_000


class TemplateLimit(Exception):
    """A user's template went beyond a rendering limit (output size, time, size of a value)."""


@functools.cache
def _folder_loader() -> Any:
    """A file-system loader class that reads only regular files really inside its folders.

    A symbolic link in a shared template folder pointing at ``/etc/passwd`` (or ``../../secret``)
    would otherwise be included like a template; a FIFO would block the rendering.
    """
    import jinja2

    class Loader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = jinja2.loaders.split_template_path(template)
            for folder in self.searchpath:
                root = os.path.realpath(folder)
                candidate = os.path.join(folder, *pieces)
                if not os.path.lexists(candidate):
                    continue
                real = os.path.realpath(candidate)
                if os.path.commonpath([root, real]) != root:
                    raise TemplateOutside(template, candidate)
                try:
                    info = os.stat(real)
                except OSError:
                    continue
                if not stat.S_ISREG(info.st_mode):
                    raise TemplateOutside(template, candidate)
                return super().get_source(environment, template)
            raise jinja2.TemplateNotFound(template)

    return Loader


class TemplateOutside(Exception):
    """A template name that leads outside the template folder (symbolic link) or to no regular file."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name)
        self.name = name
        self.path = path


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
    import jinja2

    directory = private_cache_dir(f"jinja2-{jinja2.__version__}", kind)
    return None if directory is None else _quiet_cache(jinja2)(str(directory))


def _quiet_cache(jinja2: Any) -> Any:
    """A bytecode cache whose failures cost only speed: a full disk or a file-size limit in the cache
    directory must not stop a report that is written elsewhere (or to the standard output)."""

    class QuietCache(jinja2.FileSystemBytecodeCache):  # type: ignore[misc]
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietCache


def _code_fingerprint(code: types.CodeType) -> bytes:
    """A function's bytecode and constants, the same in every process (nested code objects by content)."""
    parts = [code.co_code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            parts.append(_code_fingerprint(const))
        else:  # a set's order depends on the process's hash seed
            parts.append(repr(sorted(map(repr, const)) if isinstance(const, frozenset) else const).encode())
    return b"\0".join(parts)


def environment(
    template_dir: Path | None = None,
    sandboxed: bool = False,
    autoescape: bool = False,
    cache: bool = True,
) -> Any:
    """A Jinja2 environment over the bundled templates, with a user's directory in front when given.

    A user's templates are untrusted code: they run in Jinja2's sandbox (no Python reached), are read
    only from regular files inside their folder, and render within size and time limits.
    ``cache=False`` for a caller that adds filters of its own and then calls :func:`use_bytecode_cache`.
    """
    import jinja2

    searchpath = [str(template_dir)] if template_dir else []
    searchpath.append(str(templates_dir()))
    cls = _limited_sandbox() if sandboxed or template_dir else jinja2.Environment
    env = cls(
        loader=_folder_loader()(searchpath, encoding="utf-8")
        if template_dir
        else jinja2.FileSystemLoader(searchpath, encoding="utf-8"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml_str"] = yaml_str
    env.filters["comment"] = comment
    if getattr(env, "limited", False):
        for name in _SIZED_FILTERS:
            env.filters[name] = _bounded(env.filters[name])
    if cache:
        use_bytecode_cache(env, "plain")
    return env


@functools.cache
def _limited_sandbox() -> Any:
    """The sandbox with ``*`` and ``**`` checked, so ``"x" * 10**9`` cannot take all memory."""
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})
        limited = True

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
                raise TemplateLimit("Potenz mit zu großem Exponenten")
            if operator in ("*", "**") and all(isinstance(v, int | float) for v in (left, right)):
                value = super().call_binop(context, operator, left, right)
                if isinstance(value, int) and value.bit_length() > 64:
                    raise TemplateLimit("Zahl zu groß")
                return value
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                    if sized and len(seq) * times > MAX_SEQUENCE:
                        raise TemplateLimit("Wert wird zu groß (Text oder Liste vervielfacht)")
            return super().call_binop(context, operator, left, right)

    return LimitedSandbox


# Built-in filters whose number arguments make a result that large (``"x"|center(10**9)``).
_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "batch", "slice", "filesizeformat")


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses number arguments beyond :data:`MAX_SEQUENCE` (a user's template only)."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_SEQUENCE:
                raise TemplateLimit(f"Zahl {value:.0f} zu groß für den Filter {function.__name__}")
        return function(*args, **kwargs)

    return bounded


def render_template(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render ``name`` with ``context``; a user's (sandboxed) templates within the limits.

    Every failure of a template – syntax, a missing variable, a runtime error, a limit – becomes one
    InputError naming the template file and line, so that it is not blamed on the sheet.
    """
    limited = getattr(env, "limited", False)
    text: str = _guarded(env, lambda t: _render_limited(t, context) if limited else t.render(**context), name)
    return text


def _guarded(env: Any, work: Callable[[Any], Any], name: str) -> Any:
    """``work`` on the template ``name``; a user's template's failures as one InputError with file and line."""
    import jinja2

    limited = getattr(env, "limited", False)
    try:
        template = env.get_template(name)
        if not limited:
            return work(template)
        with time_limit():
            return work(template)
    except InputError:
        raise
    except (jinja2.TemplateError, TemplateOutside, TemplateLimit) as exc:
        raise template_error(exc) from None
    except Exception as exc:  # a user's template can raise anything: reported, not hidden
        if not limited or isinstance(exc, OSError):
            raise  # a bug of ours, or the system (disk full): not the template's fault
        raise template_error(exc) from None


def _render_limited(template: Any, context: dict[str, Any]) -> str:
    """Stream the output, stopping beyond :data:`MAX_OUTPUT_CHARS` or :data:`MAX_SECONDS`."""
    parts: list[str] = []
    size = 0
    with time_limit() as check_time:
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"Ausgabe der Vorlage größer als {MAX_OUTPUT_CHARS // 1024 // 1024} MiB")
            parts.append(chunk)
            check_time()
    return "".join(parts)


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[Callable[[], None]]:
    """Stop a user's template code after ``seconds`` (default :data:`MAX_SECONDS`).

    The time is checked on every line of template code (a trace on template frames only, which Jinja2
    names after the template file), so that also a loop that prints nothing ends. Yields the check.
    """
    deadline = time.monotonic() + (MAX_SECONDS if seconds is None else seconds)

    def check_time() -> None:
        if time.monotonic() > deadline:
            raise TemplateLimit(f"Vorlage braucht länger als {MAX_SECONDS:.0f} Sekunden")

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        check_time()
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        filename = frame.f_code.co_filename
        return local if filename.endswith(".j2") or filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield check_time
    finally:
        sys.settrace(previous)


def template_module(env: Any, name: str, context: dict[str, Any]) -> Any:
    """A template evaluated as a module (its macros and variables), with the errors of :func:`render_template`."""
    return _guarded(env, lambda template: template.make_module(context), name)


def template_error(exc: BaseException) -> InputError:
    """The template file and line an error happened in, from Jinja's rewritten traceback."""
    import jinja2

    if isinstance(exc, TemplateOutside):
        return InputError(
            "Vorlage zeigt aus dem Vorlagen-Ordner heraus (symbolische Verknüpfung) oder ist keine "
            "gewöhnliche Datei; sie wird nicht gelesen",
            exc.path,
        )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return InputError(f"Vorlage fehlerhaft: {exc.message}", exc.filename or exc.name, exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return InputError(f"Vorlage {exc.name} nicht gefunden")
    file, line = None, None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or name == "<template>":
            file, line = name, tb.tb_lineno
            compiled = tb.tb_frame.f_globals.get("__jinja_template__")
            if compiled is not None:  # compiled template code: its Python line to the template's line
                line = compiled.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    if isinstance(exc, TemplateLimit):
        reason = str(exc)
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        reason = f"in der Sandbox nicht erlaubt: {exc}"
    elif isinstance(exc, jinja2.UndefinedError):
        reason = f"unbekannter Name: {exc.message}"
    else:
        kind = _PYTHON_ERRORS_DE.get(type(exc).__name__)
        reason = kind or f"{type(exc).__name__}: {exc}"
    return InputError(f"Fehler in der Vorlage: {reason}", file, line)


# What a template's runtime errors mean, for people who write templates but not Python.
_PYTHON_ERRORS_DE = {
    "ZeroDivisionError": "Division durch null",
    "TypeError": "Wert hat den falschen Typ für diese Rechnung oder diesen Filter",
    "ValueError": "ungültiger Wert für diese Rechnung oder diesen Filter",
    "KeyError": "Schlüssel gibt es nicht",
    "IndexError": "Index außerhalb der Liste",
    "AttributeError": "Eigenschaft gibt es nicht",
    "OverflowError": "Zahl zu groß",
    "RecursionError": "Makro ruft sich endlos selbst auf",
}


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
