"""Bindings -> values when a piece task runs: inputs from params and upstream XCom, branch rules.

Shared by every piece operator; typed against :class:`PieceTask` so this module needs none of them.
"""

from __future__ import annotations

from typing import Any, Protocol

from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin.operators.hook import PieceHook
from airflow_domino_plugin.workflows.bindings import UpstreamBinding, find_bindings, resolve_bindings
from airflow_domino_plugin.workflows.flow import rule_holds
from airflow_domino_plugin.workflows.issues import format_path
from airflow_domino_plugin.workflows.type_compat import accepts_null, describe_type, subschema_at


class PieceTask(Protocol):
    """What input resolution reads of a piece operator."""

    task_id: str
    piece: dict[str, str]
    inputs: dict[str, Any]
    mapped_upstreams: list[str]
    for_each_input: str | None
    for_each_item: Any
    branch: dict[str, Any] | None

    @property
    def log(self) -> Any: ...


MISSING = object()


def upstream_output(ti: Any, task_id: str, output: str, *, mapped: bool, cache: dict[str, Any] | None = None) -> Any:
    """Output ``output`` of an upstream task; of a for-each (``mapped``) task, the list of its instances' values.

    Airflow returns one value for a single task instance and a list (in map-index order) for
    several, so a mapped task with one instance is normalised to a one-item list here.
    """
    cache = {} if cache is None else cache
    if task_id not in cache:
        cache[task_id] = ti.xcom_pull(task_ids=task_id, key="return_value")
    pulled = cache[task_id]
    if mapped:
        instances = pulled if isinstance(pulled, list) else [] if pulled is None else [pulled]
        return [_one_output(task_id, outputs, output) for outputs in instances]
    return _one_output(task_id, pulled, output)


def _one_output(task_id: str, outputs: Any, output: str) -> Any:
    if not isinstance(outputs, dict) or output not in outputs:
        available = ", ".join(sorted(outputs)) if isinstance(outputs, dict) else "none"
        raise AirflowException(f"Upstream task {task_id!r} produced no output {output!r} (its outputs: {available})")
    return outputs[output]


def _param_reader(context: Any) -> Any:
    params = context.get("params") or {}

    def param(name: str) -> Any:
        value = params.get(name, MISSING) if hasattr(params, "get") else MISSING
        if value is MISSING:
            raise AirflowException(f"Run parameter {name!r} has no value in this run")
        return value

    return param


def resolve_inputs(operator: PieceTask, context: Any) -> dict[str, Any]:
    """Replace ``$param`` and ``$upstream`` bindings, at any depth, with this run's values.

    A for-each instance also gets its item (Airflow's expanded ``for_each_item``) as ``for_each_input``.
    """
    ti = context["ti"]
    pulled: dict[str, Any] = {}
    mapped = set(operator.mapped_upstreams)

    def upstream(task_id: str, output: str) -> Any:
        return upstream_output(ti, task_id, output, mapped=task_id in mapped, cache=pulled)

    resolved = resolve_bindings(operator.inputs, upstream=upstream, param=_param_reader(context))
    _refuse_nulls(operator, resolved)
    if operator.for_each_input:
        resolved[operator.for_each_input] = operator.for_each_item
    return resolved


def choose_branch(operator: PieceTask, context: Any, outputs: dict[str, Any]) -> list[str]:
    """The downstream task ids the first holding rule of ``operator.branch`` names (else ``else``).

    ``$upstream`` bindings to the task itself read the outputs the piece just produced.
    """
    branch = operator.branch or {}
    ti = context["ti"]
    mapped = set(operator.mapped_upstreams)

    def upstream(task_id: str, output: str) -> Any:
        if task_id == operator.task_id:
            return _one_output(task_id, outputs, output)
        return upstream_output(ti, task_id, output, mapped=task_id in mapped)

    for number, rule in enumerate(branch.get("when") or []):
        value = resolve_bindings(rule["value"], upstream=upstream, param=_param_reader(context))
        try:
            holds = rule_holds(rule["op"], value, rule.get("operand"))
        except TypeError as exc:
            message = f"Branch rule when[{number}] of task {operator.task_id!r} cannot be evaluated: {exc}"
            operator.log.error("%s", message)
            raise AirflowException(message) from exc
        operator.log.info("Branch rule when[%d]: %r %s %r -> %s", number, value, rule["op"], rule.get("operand"), holds)
        if holds:
            return list(rule["then"])
    operator.log.info("No branch rule holds; running else: %s", ", ".join(branch.get("else") or []) or "nothing")
    return list(branch.get("else") or [])


def _refuse_nulls(operator: PieceTask, resolved: dict[str, Any]) -> None:
    """Fail when an upstream output is null where the input does not accept null.

    Validation lets an ``Optional[T]`` output feed a ``T`` input with a warning; this is where a
    null that really arrives stops the task, naming the input and the upstream output, instead
    of a type error from inside the piece.
    """
    nulls = [
        found
        for found in find_bindings(operator.inputs)
        if isinstance(found.binding, UpstreamBinding) and _value_at(resolved, found.loc) is None
    ]
    if not nulls:
        return
    schema = PieceHook().input_schema(operator.piece)
    for found in nulls:
        target = subschema_at(schema, found.loc, schema) if schema else None
        if target is None or accepts_null(target, schema):
            continue
        binding = found.binding
        assert isinstance(binding, UpstreamBinding)
        message = (
            f"Input `{format_path(found.loc)}` of task {operator.task_id!r} expects {describe_type(target, schema)} "
            f"and does not accept null, but upstream task {binding.task!r} produced null for its output "
            f"{binding.output!r}"
        )
        operator.log.error("%s", message)  # the reason in the task log, not only in the exception's details
        raise AirflowException(message)


def _value_at(value: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        value = value[part]
    return value


def context_for_piece(context: Any) -> dict[str, Any]:
    """What the piece learns of its run (``airflow_domino_sdk`` run context)."""
    ti = context["ti"]
    logical_date = context.get("logical_date")
    run_context: dict[str, Any] = {
        "dag_id": ti.dag_id,
        "run_id": ti.run_id,
        "task_id": ti.task_id,
        "try_number": getattr(ti, "try_number", 1),
        "logical_date": logical_date.isoformat() if logical_date else None,
    }
    map_index = getattr(ti, "map_index", -1)
    if isinstance(map_index, int) and map_index >= 0:  # a for-each instance
        run_context["map_index"] = map_index
    return run_context
