"""The budget every template renders under: steps, sizes, numbers, call depth and CPU time.

Jinja's sandbox stops a template from reaching Python internals, but not from asking for a
huge amount of work: ``{{ 9**(9**9) }}`` never returns and ``"a" * 3000000000`` takes
gigabytes. A template here is rendered under a :class:`Budget`:

- every value a template makes (a result of ``*``, ``+``, ``%``, a filter, a method call, a
  slice, a literal, ``~``) is measured before it is kept, and where one operation could make
  something huge in a single step (``*``, ``**``, ``%``, ``center``, ``replace``, ``join``...)
  its size is worked out before it runs;
- each loop iteration, call, filter, test and printed value costs work, and a value costs its
  size, so the total work bounds both the time and the memory a render can take;
- calls nest at most :data:`MAX_DEPTH` deep, and the thread's CPU time is checked as it goes
  (no signal alarm: the Python API may be called from any thread).

A template that goes over raises :class:`LimitExceeded`; ``render.py`` reports it with the
template's file and line. The checks are hooks Jinja offers (intercepted operators, ``call``,
``getitem``, the filter and test tables) plus one rewrite of the parsed template that routes
loops, ``~``, literals and printed values through filters below. Ordinary templates render
exactly as before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache, update_wrapper
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    modifies_known_mutable,
)
from jinja2.visitor import NodeTransformer

MAX_SIZE = 200_000
"""Most characters (or items, counted through nested lists) in one value a template makes, and
in the text it renders: about 50 pages. The built-in templates render under 2,000 characters;
a runaway value stops here having cost a few megabytes at most."""

MAX_WORK = 2_000_000
"""Work for one render: 1 per loop iteration, call, filter or printed value, plus the size of
each value made. The built-in templates use under 2,000; a pack template going through a
thousand order lines, some tens of thousands. Two million ends loops inside loops within a
few seconds, and since a value costs its size, bounds the memory a render can hold."""

MAX_SECONDS = 5.0
"""CPU seconds of the rendering thread. A built-in template renders in about 10 ms of CPU, the
choice of its phrases included; 5 s is 500 times that, so a template still busy then will not
finish usefully. CPU time, not wall time, so a loaded machine does not stop an ordinary render."""

TIME_CHECK_EVERY = 256
"""Read the CPU clock once per this many charges: each charged step is bounded in size, so
this keeps the check cheap and the overrun short."""

MAX_DEPTH = 50
"""Calls nested inside calls (a macro calling a macro...): templates nest a few deep; 50 stops
a macro calling itself without end well before Python's own recursion limit."""

MAX_INT_BITS = 10_000
"""Largest whole number a template may compute (about 3,000 digits): far past any count, date
or amount, and below Python's limit of 4,300 digits for printing one."""

MAX_INT_DIGITS = 4_300
"""Longest text the ``int`` filter reads as a number: Python's own limit since 3.11."""

HOOKS = {"iter": "_budget_iter", "concat": "_budget_concat", "value": "_budget_value", "cost": "_budget_cost"}
"""The filters the rewritten template calls; a template calling them itself only pays more."""


class LimitExceeded(Exception):
    """A template went over its budget; ``message`` says which, ``hint`` what to look for."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ReadOnlyError(SecurityError):
    """A template tried to change a case value (``customer.update(...)``)."""


def _too_big(what: str = "value") -> LimitExceeded:
    return LimitExceeded(
        f"the template would make a {what} of over {MAX_SIZE:,} characters or items; stopped",
        "A follow-up is a few hundred characters: look for a '*' with a big number, a filter such as "
        "center, indent, replace or join with a big argument, or a loop that repeats text.",
    )


def weight(value: Any, limit: int = MAX_SIZE) -> int:
    """The size of ``value``: characters of text, items of lists and mappings counted through
    every level (a shared list counts each time it appears), about a digit per 4 bits of a
    whole number, 1 for anything else. Counting stops once past ``limit``."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, bool):
            total += 1
        elif isinstance(item, int):
            total += 1 + item.bit_length() // 4
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, Mapping):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
        if total > limit:
            break
    return total


class Budget:
    """What one render has used so far."""

    def __init__(self) -> None:
        self.work = 0
        self.depth = 0
        self.output = 0
        self.charges = 0
        self.started = time.thread_time()

    def charge(self, units: int = 1) -> None:
        self.work += units
        if self.work > MAX_WORK:
            raise LimitExceeded(
                f"the template took over {MAX_WORK:,} steps; stopped",
                "Look for loops inside loops over long lists or text, or a macro that calls itself.",
            )
        self.charges += 1
        if self.charges % TIME_CHECK_EVERY == 0 and time.thread_time() - self.started > MAX_SECONDS:
            raise LimitExceeded(
                f"the template ran for over {MAX_SECONDS:g} seconds of CPU time; stopped",
                "Look for loops inside loops, or sorting and searching long lists inside a loop.",
            )

    def expect(self, size: int, what: str = "value") -> None:
        """Refuse, before it runs, an operation that would make something over the limit."""
        if size > MAX_SIZE:
            raise _too_big(what)

    def expect_bits(self, bits: int) -> None:
        if bits > MAX_INT_BITS:
            raise LimitExceeded(
                f"the template would compute a number of over {MAX_INT_BITS:,} bits (about 3,000 digits); stopped",
                "Look for '**' with a big exponent, or a number multiplied by itself in a loop.",
            )

    def keep(self, value: Any) -> Any:
        """Measure a value the template made, charge for it and give it back."""
        if isinstance(value, int) and not isinstance(value, bool):
            self.expect_bits(value.bit_length())
        size = weight(value)
        self.expect(size)
        self.charge(1 + size)
        return value

    def emit(self, text: str) -> None:
        """Count rendered text as it streams out."""
        self.output += len(text)
        if self.output > MAX_SIZE:
            raise _too_big("text")
        self.charge(1)


def _budget(context) -> Budget:
    return context.environment.budget


@pass_context
def _budget_iter(context, iterable: Iterable) -> Iterator:
    budget = _budget(context)
    for item in iterable:
        budget.charge(1)
        yield item


@pass_context
def _budget_concat(context, parts: tuple) -> str:
    budget = _budget(context)
    for part in parts:
        if not isinstance(part, str):
            budget.expect(weight(part))
    texts = [str(part) for part in parts]
    budget.expect(sum(map(len, texts)))
    joined = markup_join(parts) if context.eval_ctx.autoescape else "".join(texts)
    return budget.keep(joined)


@pass_context
def _budget_value(context, value: Any) -> Any:
    """A literal list, tuple or mapping, or a value about to be printed."""
    return _budget(context).keep(value)


@pass_context
def _budget_cost(context, value: Any) -> Any:
    """An operand of a comparison (``==``, ``in``): comparing costs up to its size."""
    _budget(context).charge(1 + weight(value))
    return value


_HOOK_FILTERS = {HOOKS["iter"]: _budget_iter, HOOKS["concat"]: _budget_concat, HOOKS["value"]: _budget_value,
                 HOOKS["cost"]: _budget_cost}  # fmt: skip


def _hook(name: str, node: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, HOOKS[name], [], [], None, None, lineno=node.lineno)


class _Budgeter(NodeTransformer):
    """Routes what the sandbox does not intercept through the hook filters: each loop's
    iterable, each ``~``, each list, tuple and mapping literal, each printed value, each
    operand of a comparison."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = _hook("iter", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return _hook("concat", nodes.Tuple(node.nodes, "load", lineno=node.lineno))

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        node = self.generic_visit(node)
        return _hook("value", node)

    visit_List = visit_Dict = _literal

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        return self._literal(node) if node.ctx == "load" else self.generic_visit(node)

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        node = self.generic_visit(node)
        node.expr = _hook("cost", node.expr)
        for operand in node.ops:
            operand.expr = _hook("cost", operand.expr)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        node = self.generic_visit(node)
        node.nodes = [_hook("value", child) for child in node.nodes]
        return node


# Checks made before a filter or method runs: each returns the arguments to run it with (a
# lazily made list is made once here, so its size can be known).

_PRINTF_RE = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _number(text: str) -> int:
    return MAX_SIZE + 1 if len(text) > 7 else int(text)


def _check_printf(budget: Budget, text: str | bytes, args: Any) -> None:
    """``"%09999999d" % 1``: a width or precision in the format over the limit."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    star = False
    for match in _PRINTF_RE.finditer(text):
        for group in match.groups():
            if group == "*":
                star = True
            elif group:
                budget.expect(_number(group))
    values = args if isinstance(args, tuple) else (args,)
    if star:
        for value in values:
            if isinstance(value, int):
                budget.expect(value)
    budget.expect(weight(values))


def _replace_size(text: str, old: str, new: str, count: Any = None) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _arg(args: tuple, kwargs: dict, index: int, name: str, default: Any = None) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _check_center(budget, args, kwargs):
    width = _arg(args, kwargs, 1, "width", 80)
    if isinstance(width, int):
        budget.expect(width)
    return args


def _check_indent(budget, args, kwargs):
    text, width = str(_arg(args, kwargs, 0, "s", "")), _arg(args, kwargs, 1, "width", 4)
    step = width if isinstance(width, int) else len(str(width))
    budget.expect(len(text) + (text.count("\n") + 1) * max(step, 0))
    return args


def _check_count_arg(name: str):
    def check(budget, args, kwargs):
        value = _arg(args, kwargs, 1, name)
        if isinstance(value, int):
            budget.expect(value)
        return args

    return check


def _check_wordwrap(budget, args, kwargs):
    text, wrap = str(_arg(args, kwargs, 0, "s", "")), _arg(args, kwargs, 3, "wrapstring")
    if wrap is not None and len(str(wrap)) > 1:
        budget.expect(len(text) * (1 + len(str(wrap))))
    return args


def _check_replace(budget, args, kwargs):
    text, old, new = (str(_arg(args, kwargs, i, n, "")) for i, n in enumerate(("s", "old", "new")))
    budget.expect(_replace_size(text, old, new, _arg(args, kwargs, 3, "count")))
    return args


def _check_format(budget, args, kwargs):
    if args:
        _check_printf(budget, str(args[0]), kwargs or tuple(args[1:]))
    return args


def _materialised(args: tuple) -> tuple[list, tuple]:
    items = list(args[0]) if args else []
    return items, (items, *args[1:])


def _check_join(budget, args, kwargs):
    items, args = _materialised(args)
    separator = str(_arg(args, kwargs, 1, "d", ""))
    budget.expect(weight(items) + len(separator) * max(len(items) - 1, 0))
    return args


def _check_sum(budget, args, kwargs):
    items, args = _materialised(args)
    start = _arg(args, kwargs, 2, "start", 0)
    if not isinstance(start, (int, float)):
        # Adding lists or text one by one copies the total each time.
        budget.expect(len(items) * weight(items), "sum")
    return args


def _check_int(budget, args, kwargs):
    value = _arg(args, kwargs, 0, "value")
    if isinstance(value, str) and len(value) > MAX_INT_DIGITS:
        budget.expect_bits(MAX_INT_BITS + 1)
    return args


def _check_measured(budget, args, kwargs):
    budget.expect(weight(_arg(args, kwargs, 0, "value")))
    return args


FILTER_CHECKS = {
    "center": _check_center, "indent": _check_indent, "batch": _check_count_arg("linecount"),
    "slice": _check_count_arg("slices"), "wordwrap": _check_wordwrap, "replace": _check_replace,
    "format": _check_format, "join": _check_join, "sum": _check_sum, "int": _check_int,
    "string": _check_measured, "pprint": _check_measured, "tojson": _check_measured,
}  # fmt: skip


QUICK_FILTERS = frozenset({
    "length", "count", "first", "last", "default", "d", "attr", "safe", "random", "abs", "round", "float",
    "filesizeformat", "map", "select", "reject", "selectattr", "rejectattr", "batch",
})  # fmt: skip
"""Filters whose cost does not grow with the value they are given (or that only set up work
done, and charged, as their result is read); every other filter costs the length of its value."""


def _passing_as(func, wrapper):
    """``wrapper`` is given what Jinja passes ``func`` first (its context, environment...);
    cheaper than ``functools.wraps``, which matters as every render wraps every filter."""
    if hasattr(func, "jinja_pass_arg"):
        wrapper.jinja_pass_arg = func.jinja_pass_arg
    return wrapper


def _budgeted_filter(budget: Budget, name: str, func):
    check = FILTER_CHECKS.get(name)
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    quick = name in QUICK_FILTERS

    def run(*args, **kwargs):
        value = args[skip] if len(args) > skip else None
        budget.charge(1 if quick or not isinstance(value, (str, list, tuple, Mapping)) else 1 + len(value))
        if check is not None:
            args = args[:skip] + tuple(check(budget, args[skip:], kwargs))
        return budget.keep(func(*args, **kwargs))

    return _passing_as(func, run)


def _budgeted_test(budget: Budget, func):
    def run(*args, **kwargs):
        # A test's arguments are what it compares with ("in", "eq"...): that costs their size.
        budget.charge(1 + weight(args[1:]))
        return func(*args, **kwargs)

    return _passing_as(func, run)


_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill"})


def _check_method(budget: Budget, func: Any, args: tuple, kwargs: dict) -> tuple:
    """Methods of text and numbers that can make something huge in one step."""
    owner, name = getattr(func, "__self__", None), getattr(func, "__name__", "")
    if isinstance(owner, (str, bytes)):
        if name in _WIDTH_METHODS:
            width = _arg(args, kwargs, 0, "width")
            if isinstance(width, int):
                budget.expect(width)
        elif name == "expandtabs":
            size = _arg(args, kwargs, 0, "tabsize", 8)
            if isinstance(size, int):
                budget.expect(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * size)
        elif name == "replace" and len(args) >= 2 and type(args[0]) is type(args[1]) is type(owner):
            budget.expect(_replace_size(owner, args[0], args[1], _arg(args, kwargs, 2, "count")))
        elif name == "join" and args:
            items = list(args[0])
            budget.expect(weight(items) + len(owner) * max(len(items) - 1, 0))
            args = (items, *args[1:])
        elif name == "translate" and args and isinstance(args[0], Mapping):
            longest = max((weight(v) for v in args[0].values()), default=1)
            budget.expect(len(owner) * max(longest, 1))
    elif isinstance(owner, int) and name == "to_bytes":
        length = _arg(args, kwargs, 0, "length", 1)
        if isinstance(length, int):
            budget.expect(length)
    return args


class _BudgetFormatter(SandboxedFormatter):
    """``"{:>999999999}".format(x)``: a width or precision over the limit, once resolved."""

    def __init__(self, env, budget: Budget, **kwargs) -> None:
        super().__init__(env, **kwargs)
        self.budget = budget

    def get_field(self, field_name, args, kwargs):
        obj, first = super().get_field(field_name, args, kwargs)
        self.budget.expect(weight(obj))
        return obj, first

    def format_field(self, value, format_spec: str):
        for number in re.findall(r"\d+", format_spec):
            self.budget.expect(_number(number))
        return super().format_field(value, format_spec)


class _BudgetEscapeFormatter(_BudgetFormatter, SandboxedEscapeFormatter):
    pass


def _power_bits(base: Any, exponent: Any) -> int:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        return exponent * (abs(base).bit_length() - 1)
    return 0


def _repeat_size(left: Any, right: Any) -> int:
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(right, int) and isinstance(left, (str, bytes, list, tuple)):
        return weight(left) * max(right, 0)
    return 0


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (a template cannot change a list or mapping it is given),
    with every step charged to ``self.budget``."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = Budget()
        self.filters = {name: _budgeted_filter(self.budget, name, func) for name, func in self.filters.items()}
        self.filters.update(_HOOK_FILTERS)
        self.tests = {name: _budgeted_test(self.budget, func) for name, func in self.tests.items()}

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.charge(1)
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                budget.expect_bits(left.bit_length() + right.bit_length())
            else:
                budget.expect(_repeat_size(left, right))
        elif operator == "**":
            budget.expect_bits(_power_bits(left, right))
        elif operator == "%" and isinstance(left, (str, bytes)):
            _check_printf(budget, left, right)
        return budget.keep(super().call_binop(context, operator, left, right))

    def call(self, context, obj, /, *args: Any, **kwargs: Any) -> Any:
        budget = self.budget
        budget.charge(1)
        if budget.depth >= MAX_DEPTH:
            raise LimitExceeded(
                f"calls inside the template nest over {MAX_DEPTH} deep; stopped",
                "Look for a macro that calls itself (or two that call each other) without an end.",
            )
        args = _check_method(budget, obj, args, kwargs)
        budget.depth += 1
        try:
            result = super().call(context, obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        return budget.keep(result)

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        return self.budget.keep(value) if isinstance(argument, slice) else value

    def wrap_str_format(self, value: Any):
        """As the sandbox's own, with a formatter that measures widths and fields."""
        if super().wrap_str_format(value) is None:
            return None
        text = value.__self__
        is_map = value.__name__ == "format_map"
        if hasattr(text, "escape"):  # Markup
            formatter = _BudgetEscapeFormatter(self, self.budget, escape=text.escape)
        else:
            formatter = _BudgetFormatter(self, self.budget)

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(text)(formatter.vformat(text, args, kwargs))

        return update_wrapper(wrapper, value)

    def unsafe_undefined(self, obj: Any, attribute: str):
        if modifies_known_mutable(obj, attribute):
            return self.undefined(
                f"a template cannot change a {type(obj).__name__} ({attribute!r})",
                name=attribute, obj=obj, exc=ReadOnlyError,
            )  # fmt: skip
        return super().unsafe_undefined(obj, attribute)


CODE_LIMIT = 4 * 1024 * 1024
"""Most bytes of one compiled template read back from the cache (the built-in ones are under
10 KiB); a larger file is not ours to load."""


@lru_cache(maxsize=1)
def _own_source() -> bytes | None:
    """This module's own code, which shapes what a template compiles to: read once per process."""
    try:
        with open(__file__, "rb") as own:
            return own.read()
    except OSError:
        return None


def _code_file(source: str, filename: str) -> str | None:
    """Where the compiled form of ``source`` is kept: in phrasekit's cache folder, named by a
    digest of everything that shapes it (the template, its file name, this module, Jinja's and
    Python's versions), or ``None`` where the folder is not the user's own. Compiled code is run
    when loaded, so it is read only from a folder (and a file) that the user alone owns and can
    write, as Jinja's own bytecode cache does; on a system without owners, never."""
    import hashlib
    import os
    import sys

    import jinja2

    from .index import cache_folder

    if not hasattr(os, "getuid"):
        return None
    folder = cache_folder()
    rewrite = _own_source()
    try:
        status = os.stat(folder)
    except OSError:
        return None
    if rewrite is None:
        return None
    if status.st_uid != os.getuid() or status.st_mode & 0o022:
        return None
    digest = hashlib.sha256()
    for part in (jinja2.__version__, sys.version, filename):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(rewrite + b"\0" + source.encode("utf-8", "surrogatepass"))
    return os.path.join(folder, f"template-{digest.hexdigest()[:40]}.code")


def _load_code(path: str):
    import marshal
    import os
    import stat

    try:
        with open(path, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
            data = file.read(CODE_LIMIT + 1)
    except OSError:
        return None
    if len(data) > CODE_LIMIT:
        return None
    try:
        code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None  # cut short or from another Python: compiled again
    return code if type(code).__name__ == "code" else None


def compiled_template(env: BudgetedEnvironment, source: str, filename: str):
    """``source`` parsed, rewritten for the budget and compiled: read back from the cache when
    this template was compiled before (parsing and compiling are most of a render's own time),
    else compiled and kept there (a cache that cannot be written is only slower)."""
    path = _code_file(source, filename)
    code = _load_code(path) if path else None
    if code is not None:
        return code
    tree = env.parse(source)
    tree = _Budgeter().visit(tree)
    tree.set_environment(env)
    code = env.compile(tree, filename=filename)
    if path:
        import marshal
        import os

        from .errors import PhrasekitError
        from .files import write_atomic

        try:
            written = write_atomic(path, marshal.dumps(code), force=True, suffix=".code.tmp")
            os.chmod(written, 0o600)  # read back only while the user alone can write it
        except (OSError, PhrasekitError):
            pass
    return code


def render_budgeted(env: BudgetedEnvironment, source: str, filename: str, variables: Mapping) -> str:
    """Parse, rewrite, compile (see :func:`compiled_template`) and render ``source`` under
    ``env.budget``. Jinja's own errors (syntax, undefined, security) and :class:`LimitExceeded`
    pass through; their tracebacks point at ``filename`` (see :func:`template_line`)."""
    code = compiled_template(env, source, filename)
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    parts = []
    for chunk in template.generate(**variables):
        env.budget.emit(chunk)
        parts.append(chunk)
    return "".join(parts)


def template_line(error: BaseException, filename: str) -> int | None:
    """The template line an error was raised at (Jinja rewrites tracebacks to point there)."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
