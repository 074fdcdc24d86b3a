"""Binding objects inside task inputs: finding, checking and resolving them.

A task input is any JSON value; wherever a value is not known until run time, a *binding
object* stands in for it, at any depth (a list item, an object field):

- ``{"$upstream": {"task": "fetch", "output": "rows"}}`` — an output of an upstream task;
- ``{"$param": "region"}`` — a run parameter (defaults overridden by the trigger's ``conf``).

Any object that has a ``$upstream`` or ``$param`` key is treated as a binding, so a malformed
one is reported instead of silently passing as a literal. Everything here is pure: validation
uses :func:`scan_bindings`, the piece operator :func:`resolve_bindings` with its own callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from airflow_domino_plugin.workflows.issues import Loc

UPSTREAM_KEY = "$upstream"
PARAM_KEY = "$param"
BINDING_KEYS = frozenset({UPSTREAM_KEY, PARAM_KEY})


@dataclass(frozen=True)
class UpstreamBinding:
    """The value comes from output ``output`` of task ``task``."""

    task: str
    output: str

    def to_json(self) -> dict[str, Any]:
        return {UPSTREAM_KEY: {"task": self.task, "output": self.output}}


@dataclass(frozen=True)
class ParamBinding:
    """The value comes from run parameter ``name``."""

    name: str

    def to_json(self) -> dict[str, Any]:
        return {PARAM_KEY: self.name}


Binding = UpstreamBinding | ParamBinding


class BindingError(ValueError):
    """An object that looks like a binding but is not a well-formed one."""


@dataclass(frozen=True)
class FoundBinding:
    """A binding and where it sits, relative to the value that was scanned (plus any base)."""

    loc: Loc
    binding: Binding


@dataclass(frozen=True)
class MalformedBinding:
    """An object with a binding key that is not a valid binding; ``message`` says what is expected."""

    loc: Loc
    message: str


def is_binding_like(value: Any) -> bool:
    """True for objects that claim to be bindings (have ``$upstream`` or ``$param``)."""
    return isinstance(value, Mapping) and any(key in value for key in BINDING_KEYS)


def parse_binding(value: Any) -> Binding | None:
    """Return the binding ``value`` encodes, ``None`` for ordinary values.

    Raises :class:`BindingError` with a plain-English message for binding-like objects that
    are malformed (extra keys, wrong types, empty names).
    """
    if not is_binding_like(value):
        return None
    keys = set(value)
    if keys == {UPSTREAM_KEY}:
        ref = value[UPSTREAM_KEY]
        expected = 'expected {"$upstream": {"task": "<task id>", "output": "<output name>"}}'
        if not isinstance(ref, Mapping):
            raise BindingError(f"`$upstream` must be an object with `task` and `output`; {expected}.")
        unknown = sorted(set(ref) - {"task", "output"})
        if unknown:
            raise BindingError(f"`$upstream` has unknown key(s) {', '.join(unknown)}; {expected}.")
        for key in ("task", "output"):
            if not isinstance(ref.get(key), str) or not ref[key]:
                raise BindingError(f"`$upstream.{key}` must be a non-empty string; {expected}.")
        return UpstreamBinding(task=ref["task"], output=ref["output"])
    if keys == {PARAM_KEY}:
        name = value[PARAM_KEY]
        if not isinstance(name, str) or not name:
            raise BindingError('`$param` must be a non-empty parameter name; expected {"$param": "<name>"}.')
        return ParamBinding(name=name)
    if keys >= BINDING_KEYS:
        raise BindingError("A binding object holds either `$upstream` or `$param`, not both.")
    key = UPSTREAM_KEY if UPSTREAM_KEY in keys else PARAM_KEY
    extra = ", ".join(sorted(k for k in keys if k != key))
    raise BindingError(
        f"A `{key}` binding object must contain only the `{key}` key; found also {extra}. "
        "Put the binding directly where the value goes."
    )


def _walk(value: Any, loc: Loc) -> Iterator[tuple[Loc, Binding | None, str | None]]:
    """Yield (loc, binding, error) for every binding-like object, not descending into them."""
    if is_binding_like(value):
        try:
            yield loc, parse_binding(value), None
        except BindingError as exc:
            yield loc, None, str(exc)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, (*loc, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))


def scan_bindings(value: Any, base: Loc = ()) -> tuple[list[FoundBinding], list[MalformedBinding]]:
    """All well-formed and malformed bindings in ``value``, in document order.

    ``base`` is prefixed to every location so callers get document-level paths directly
    (e.g. ``base=("tasks", 2, "inputs")`` gives ``tasks[2].inputs.headers[0].value``).
    """
    found: list[FoundBinding] = []
    bad: list[MalformedBinding] = []
    for loc, binding, error in _walk(value, base):
        if binding is not None:
            found.append(FoundBinding(loc=loc, binding=binding))
        else:
            bad.append(MalformedBinding(loc=loc, message=error or "malformed binding"))
    return found, bad


def find_bindings(value: Any, base: Loc = ()) -> list[FoundBinding]:
    """Well-formed bindings in ``value`` with their locations; malformed ones are skipped."""
    return scan_bindings(value, base)[0]


def upstream_tasks(inputs: Any) -> list[str]:
    """Task ids referenced by ``$upstream`` bindings, first-seen order, without repeats.

    These are the dependencies the bindings imply; the editor can add them to ``depends_on``.
    """
    seen: dict[str, None] = {}
    for found in find_bindings(inputs):
        if isinstance(found.binding, UpstreamBinding):
            seen.setdefault(found.binding.task, None)
    return list(seen)


def resolve_bindings(
    value: Any,
    *,
    upstream: Callable[[str, str], Any],
    param: Callable[[str], Any],
) -> Any:
    """Return a copy of ``value`` with every binding replaced by its run-time value.

    ``upstream(task, output)`` and ``param(name)`` supply the values (the piece operator reads
    XCom and the run's params); a resolver may raise to fail the task. Malformed bindings raise
    :class:`BindingError` — validated documents never contain them.
    """
    binding = parse_binding(value)
    if isinstance(binding, UpstreamBinding):
        return upstream(binding.task, binding.output)
    if isinstance(binding, ParamBinding):
        return param(binding.name)
    if isinstance(value, Mapping):
        return {key: resolve_bindings(item, upstream=upstream, param=param) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolve_bindings(item, upstream=upstream, param=param) for item in value]
    return value
