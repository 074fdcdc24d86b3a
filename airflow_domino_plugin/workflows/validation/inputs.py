"""Checks of a task's inputs: names the piece takes, literal values against its schema, ``from_upstream``
modes, and each binding (a known run parameter or an ancestor's output, of a type the input accepts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import Draft202012Validator, validators

from airflow_domino_plugin.workflows.bindings import (
    BindingError,
    FoundBinding,
    ParamBinding,
    UpstreamBinding,
    is_binding_like,
    parse_binding,
    scan_bindings,
)
from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Task
from airflow_domino_plugin.workflows.dynamic_outputs import TaskOutputs
from airflow_domino_plugin.workflows.issues import Loc, did_you_mean, format_path, quote_list
from airflow_domino_plugin.workflows.params import param_json_schema
from airflow_domino_plugin.workflows.type_compat import (
    base_type,
    branches,
    describe_type,
    incompatibility,
    json_type_of,
    normalise_schema,
    nullable_warning,
    subschema_at,
)
from airflow_domino_plugin.workflows.validation.messages import schema_error_messages
from airflow_domino_plugin.workflows.validation.state import CheckState, task_loc

# ============================================================== binding-aware JSON schema validation


class _Bound:
    """Stands in for a binding while validating literal inputs: every keyword accepts it."""

    __slots__ = ()


def _skipping_bound(check: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        if isinstance(instance, _Bound):
            return None
        return check(validator, value, instance, schema)

    return wrapped


_BindingAwareValidator = validators.extend(
    Draft202012Validator,
    {keyword: _skipping_bound(check) for keyword, check in Draft202012Validator.VALIDATORS.items()},
)


def _with_placeholders(value: Any) -> Any:
    if is_binding_like(value):
        return _Bound()
    if isinstance(value, Mapping):
        return {key: _with_placeholders(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_placeholders(item) for item in value]
    return value


# ============================================================== checks


def check_inputs(state: CheckState, index: int, task: Task, spec: PieceSpec | None) -> None:
    base = task_loc(index, "inputs")
    found, malformed = scan_bindings(task.inputs, base)
    for bad in malformed:
        state.add(bad.loc, bad.message, "malformed_binding")
    schema: Mapping[str, Any] = spec.input_schema if spec is not None else {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    known_inputs = dict(task.inputs)
    closed = schema.get("additionalProperties", False) in (False, None)
    if spec is not None and "properties" in schema and closed:
        for name in task.inputs:
            if name not in properties:
                known_inputs.pop(name)
                listing = f"Its inputs: {quote_list(properties, limit=30)}." if properties else "It takes no inputs."
                state.add(
                    (*base, name),
                    f"Piece `{spec.name}` has no input `{name}`.{did_you_mean(name, properties)} {listing}",
                    "unknown_input",
                )
    if task.for_each is not None:
        # The for-each item fills this input: it is bound (from upstream), never missing.
        ref = task.for_each.items.upstream
        known_inputs.setdefault(task.for_each.input, {"$upstream": {"task": ref.task, "output": ref.output}})
    handled: set[Loc] = set()  # locations already reported as must-be-bound
    if spec is not None:
        _check_from_upstream(state, known_inputs, schema, schema, base, spec, handled)
        _check_literals(state, known_inputs, schema, base, spec, handled, task.id)
    for binding in found:
        rel = binding.loc[len(base) :]
        if rel and rel[0] not in known_inputs:
            continue
        target = subschema_at(schema, rel, schema) if spec is not None else None
        _check_binding(state, index, task, binding, target, schema)


def _check_from_upstream(
    state: CheckState,
    value: Any,
    schema: Any,
    root: Mapping[str, Any],
    loc: Loc,
    spec: PieceSpec,
    handled: set[Loc],
    inherited: str | None = None,
) -> None:
    """Check ``from_upstream`` modes inside a literal ``value``, at any depth.

    A place's mode is its own declared one, else the nearest enclosing place's: a parent's
    mode governs binding the field as a whole (and places inside it that declare nothing);
    a nested field that declares its own mode follows it (Domino's key/value argument
    lists: the list is ``never`` bound, each item's value ``always``).
    """
    node = _branch_for(value, schema, root)
    if node is None:
        return
    places: list[tuple[str | int, Any, bool]] = []  # (key, schema, present)
    if isinstance(value, Mapping):
        props: Mapping[str, Any] = node.get("properties") or {}
        extra = node.get("additionalProperties", {})
        extra_schema = extra if isinstance(extra, Mapping) else {}
        places = [(name, prop, name in value) for name, prop in props.items()]
        places += [(str(key), extra_schema, True) for key in value if key not in props]
    elif isinstance(value, list):
        prefix = node.get("prefixItems")
        for position in range(len(value)):
            if isinstance(prefix, list) and position < len(prefix):
                places.append((position, prefix[position], True))
            else:
                places.append((position, node.get("items", {}), True))
    for key, prop, present in places:
        item = value[key] if present else None
        declared = _declared_mode(prop, root)
        mode = declared or inherited
        here = (*loc, key)
        label = format_path(here[3:])
        if mode == "always":
            binding = _safe_binding(item)
            if not isinstance(binding, UpstreamBinding):
                handled.add(here)
                what = (
                    "it is missing"
                    if not present
                    else "it is given as a run parameter"
                    if isinstance(binding, ParamBinding)
                    else "it has a literal value"
                )
                state.add(
                    here,
                    f"Input `{label}` of piece `{spec.name}` must come from an upstream task, but {what}; "
                    "connect a task that runs before it and bind this input to one of its outputs.",
                    "input_must_be_bound",
                )
            continue
        if not present:
            continue
        if is_binding_like(item):
            if mode == "never" and isinstance(_safe_binding(item), UpstreamBinding):
                why = "" if declared else f" (it is part of `{format_path(loc[3:])}`, which is never bound)"
                state.add(
                    here,
                    f"Input `{label}` of piece `{spec.name}` cannot take an upstream output{why}; "
                    "give a literal value or a run parameter.",
                    "input_cannot_be_bound",
                )
            continue
        _check_from_upstream(state, item, prop, root, here, spec, handled, mode)


def _branch_for(value: Any, schema: Any, root: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The (first) alternative of ``schema`` that describes ``value``'s JSON type."""
    node = normalise_schema(schema, root)
    alternatives = branches(node, root)
    if alternatives is None:
        return node
    kind = json_type_of(value)
    for alternative in alternatives:
        if base_type(alternative, root) == kind:
            return alternative
    return None


def _check_literals(
    state: CheckState,
    inputs: Mapping[str, Any],
    schema: Mapping[str, Any],
    base: Loc,
    spec: PieceSpec,
    skip: set[Loc],
    task_id: str,
) -> None:
    try:
        validator = _BindingAwareValidator(dict(schema))
        errors = list(validator.iter_errors(_with_placeholders(dict(inputs))))
    except Exception as exc:  # a broken schema in piece metadata must not crash validation
        state.add(
            base,
            f"The input schema of piece `{spec.name}` cannot be used for validation ({exc}); reinstall the repository.",
            "piece_schema_error",
        )
        return
    for error in errors:
        for loc, message, code in schema_error_messages(error, schema, base):
            if code == "missing_input" and len(loc) == len(base) + 1:
                # A top-level input: say what to do in words (the GUI shows this next to the field).
                name = loc[-1]
                prop = (schema.get("properties") or {}).get(name)
                kind = f" ({describe_type(prop, schema)})" if prop is not None else ""
                message = (
                    f"Input `{name}` of task `{task_id}` needs a value{kind}: type it, "
                    "or bind it to an output of an upstream task."
                )
            if not any(loc[: len(done)] == done for done in skip):
                state.add(loc, message, code)


def _check_binding(
    state: CheckState,
    index: int,
    task: Task,
    found: FoundBinding,
    target: Mapping[str, Any] | None,
    root: Mapping[str, Any],
) -> None:
    where = format_path(found.loc[3:])
    binding = found.binding
    if isinstance(binding, ParamBinding):
        param = state.wf.params.get(binding.name)
        if param is None:
            if binding.name not in state.parsed.declared_params:
                state.add(
                    found.loc,
                    f"Unknown run parameter `{binding.name}`; declared parameters: "
                    f"{quote_list(state.wf.params)}.{did_you_mean(binding.name, state.wf.params)}",
                    "unknown_param",
                )
            return
        if target is not None:
            reason = incompatibility(param_json_schema(param), target, target_root=root)
            if reason:
                state.add(
                    found.loc,
                    f"Parameter `{binding.name}` ({describe_type(param_json_schema(param))}) cannot feed "
                    f"input `{where}`, which expects {describe_type(target, root)}: {reason}.",
                    "incompatible_type",
                )
        return
    if binding.task == task.id:
        state.add(found.loc, f"Task `{task.id}` cannot use its own output `{binding.output}`.", "upstream_self")
        return
    if binding.task not in state.task_ids:
        state.add(
            found.loc,
            f"`$upstream` names unknown task `{binding.task}`; expected one of "
            f"{quote_list(sorted(state.task_ids - {task.id}))}.{did_you_mean(binding.task, state.task_ids)}",
            "unknown_upstream_task",
        )
        return
    if binding.task not in state.ancestors(task.id):
        state.add(
            found.loc,
            f"Task `{binding.task}` is not upstream of `{task.id}`; add `{binding.task}` to "
            f"`depends_on` of `{task.id}` (directly or through another task) to use its outputs.",
            "upstream_not_ancestor",
        )
    upstream_spec = state.specs.get(binding.task)
    if upstream_spec is None:
        return
    produced = state.outputs.get(binding.task) or TaskOutputs(schema=upstream_spec.output_schema)
    outputs = produced.properties
    if binding.output not in outputs:
        if produced.open_ended:
            return  # declared by a run parameter: checked when the task runs
        declared = " (declared in its inputs)" if produced.declared else ""
        state.add(
            found.loc,
            f"Task `{binding.task}` (piece `{upstream_spec.name}`) has no output `{binding.output}`; "
            f"its outputs{declared}: {quote_list(outputs)}.{did_you_mean(binding.output, outputs)}",
            "unknown_output",
        )
        return
    if target is None:
        return
    source = outputs[binding.output]
    source_root = produced.schema
    reason = incompatibility(source, target, source_root=source_root, target_root=root)
    if reason:
        source_text = describe_type(source, source_root)
        warning = nullable_warning(source, target, source_root=source_root, target_root=root)
        if warning:
            state.warn(
                found.loc,
                f"Output `{binding.output}` of task `{binding.task}` ({source_text}) may be null, and input "
                f"`{where}` expects {describe_type(target, root)}: if it is null when `{task.id}` runs, "
                f"`{task.id}` fails.",
                "nullable_upstream",
            )
            return
        state.add(
            found.loc,
            f"Output `{binding.output}` of task `{binding.task}` ({source_text}) cannot feed input `{where}`, "
            f"which expects {describe_type(target, root)}: {reason}.",
            "incompatible_type",
        )


def _declared_mode(schema: Any, root: Mapping[str, Any]) -> str | None:
    """The ``from_upstream`` a place declares (on the field, else on its resolved schema)."""
    mode = schema.get("from_upstream") if isinstance(schema, Mapping) else None
    if mode is None:
        mode = normalise_schema(schema, root).get("from_upstream")
    return mode if mode in ("always", "never", "allowed") else None


def _safe_binding(value: Any) -> UpstreamBinding | ParamBinding | None:
    try:
        return parse_binding(value)
    except BindingError:
        return None
