"""Checks of for-each and branch tasks: the list an item comes from, the input it fills, branch rules and targets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airflow_domino_plugin.workflows.bindings import BindingError, ParamBinding, is_binding_like, parse_binding
from airflow_domino_plugin.workflows.document import Task
from airflow_domino_plugin.workflows.dynamic_outputs import TaskOutputs
from airflow_domino_plugin.workflows.flow import items_task_id, operand_error
from airflow_domino_plugin.workflows.issues import Loc, did_you_mean, quote_list
from airflow_domino_plugin.workflows.type_compat import base_type, describe_type, incompatibility, normalise_schema
from airflow_domino_plugin.workflows.validation.state import CheckState, task_loc


def _upstream_ref_issue(state: CheckState, loc: Loc, task: Task, upstream: str, output: str, *, self_ok: bool) -> bool:
    """Report an unknown/non-ancestor task or unknown output at ``loc``; True when the reference is usable."""
    if upstream == task.id and not self_ok:
        state.add((*loc, "task"), f"Task `{task.id}` cannot use its own output `{output}` here.", "upstream_self")
        return False
    if upstream not in state.task_ids:
        state.add(
            (*loc, "task"),
            f"`$upstream` names unknown task `{upstream}`; expected one of "
            f"{quote_list(sorted(state.task_ids - {task.id}))}.{did_you_mean(upstream, state.task_ids)}",
            "unknown_upstream_task",
        )
        return False
    if upstream != task.id and upstream not in state.ancestors(task.id):
        state.add(
            (*loc, "task"),
            f"Task `{upstream}` is not upstream of `{task.id}`; add `{upstream}` to `depends_on` of "
            f"`{task.id}` (directly or through another task) to use its outputs.",
            "upstream_not_ancestor",
        )
        return False
    produced = state.outputs.get(upstream)
    if produced is not None and output not in produced.properties and not produced.open_ended:
        state.add(
            (*loc, "output"),
            f"Task `{upstream}` has no output `{output}`; its outputs: {quote_list(produced.properties)}."
            f"{did_you_mean(output, produced.properties)}",
            "unknown_output",
        )
        return False
    return True


def _local_runner_only(state: CheckState, index: int, task: Task, field: str) -> None:
    runner = state.wf.task_policy(task).runner
    if runner in ("docker", "kubernetes"):
        state.add(
            task_loc(index, field),
            f"`{field}` runs with the `subprocess` runner only for now; task `{task.id}` uses `{runner}`.",
            "runner_unsupported",
        )


def check_for_each(state: CheckState, index: int, task: Task) -> None:
    for_each = task.for_each
    if for_each is None:
        return
    base = task_loc(index, "for_each")
    _local_runner_only(state, index, task, "for_each")
    for other in state.wf.tasks:
        if other.id == items_task_id(task.id):
            state.add(
                task_loc(state.first_index.get(other.id, index), "id"),
                f"Task id `{other.id}` is reserved for the list of for-each task `{task.id}`; expected another id.",
                "reserved_task_id",
            )
    if task.branch is not None:
        state.add(
            task_loc(index, "branch"),
            f"Task `{task.id}` has both `for_each` and `branch`; expected one of them (put the branch on a "
            "task downstream of the for-each).",
            "for_each_with_branch",
        )
    spec = state.specs.get(task.id)
    properties: Mapping[str, Any] = (spec.input_schema.get("properties") or {}) if spec is not None else {}
    target: Mapping[str, Any] | None = None
    if for_each.input in task.inputs:
        state.add(
            (*base, "input"),
            f"Input `{for_each.input}` receives the for-each item, so it cannot also be set in `inputs`; "
            f"remove `inputs.{for_each.input}`.",
            "for_each_input_set",
        )
    elif spec is not None and "properties" in spec.input_schema:
        if for_each.input not in properties:
            state.add(
                (*base, "input"),
                f"Piece `{spec.name}` has no input `{for_each.input}`; its inputs: {quote_list(properties)}."
                f"{did_you_mean(for_each.input, properties)}",
                "unknown_input",
            )
        else:
            target = properties[for_each.input]
    ref = for_each.items.upstream
    loc = (*base, "items", "$upstream")
    if not _upstream_ref_issue(state, loc, task, ref.task, ref.output, self_ok=False):
        return
    produced = state.outputs.get(ref.task)
    if produced is None or ref.output not in produced.properties:
        return
    source = normalise_schema(produced.properties[ref.output], produced.schema)
    if base_type(source, produced.schema) != "array":
        state.add(
            (*base, "items"),
            f"Output `{ref.output}` of task `{ref.task}` is {describe_type(source, produced.schema)}, not a "
            "list; for_each expects an output of type array.",
            "for_each_not_list",
        )
        return
    item = source.get("items")
    if target is None or not isinstance(item, Mapping) or spec is None:
        return
    reason = incompatibility(item, target, source_root=produced.schema, target_root=spec.input_schema)
    if reason:
        state.add(
            (*base, "input"),
            f"The items of output `{ref.output}` of task `{ref.task}` ({describe_type(item, produced.schema)}) "
            f"cannot feed input `{for_each.input}`, which expects "
            f"{describe_type(target, spec.input_schema)}: {reason}.",
            "incompatible_type",
        )


def check_branch(state: CheckState, index: int, task: Task, downstream: Sequence[str]) -> None:
    branch = task.branch
    if branch is None:
        return
    base = task_loc(index, "branch")
    _local_runner_only(state, index, task, "branch")
    for number, rule in enumerate(branch.when):
        loc = (*base, "when", number)
        error = operand_error(rule.op, rule.operand, "operand" in rule.model_fields_set)
        if error:
            state.add((*loc, "operand"), f"{error}.", "invalid_branch_operand")
        try:
            binding = parse_binding(rule.value)
        except BindingError as exc:
            state.add((*loc, "value"), f"{exc}", "malformed_binding")
            binding = None
        if binding is None:
            if not is_binding_like(rule.value):
                state.add(
                    (*loc, "value"),
                    'A branch rule compares a run-time value; expected {"$upstream": {"task", "output"}} '
                    '(this task or an ancestor) or {"$param": name}.',
                    "invalid_branch_value",
                )
        elif isinstance(binding, ParamBinding):
            if binding.name not in state.wf.params and binding.name not in state.parsed.declared_params:
                state.add(
                    (*loc, "value", "$param"),
                    f"Unknown run parameter `{binding.name}`; declared parameters: {quote_list(state.wf.params)}."
                    f"{did_you_mean(binding.name, state.wf.params)}",
                    "unknown_param",
                )
        else:
            _upstream_ref_issue(state, (*loc, "value", "$upstream"), task, binding.task, binding.output, self_ok=True)
    targets = [((*base, "when", n, "then", k), t) for n, r in enumerate(branch.when) for k, t in enumerate(r.then)]
    targets += [((*base, "else", k), t) for k, t in enumerate(branch.else_)]
    for loc, target in targets:
        if target not in state.task_ids:
            state.add(
                loc,
                f"Branch target `{target}` is not a task of this workflow; expected one of the tasks directly "
                f"downstream of `{task.id}`: {quote_list(downstream)}.{did_you_mean(target, downstream)}",
                "unknown_branch_target",
            )
        elif target not in downstream:
            state.add(
                loc,
                f"Branch target `{target}` is not directly downstream of `{task.id}`; expected one of "
                f"{quote_list(downstream) if downstream else 'none (no task depends on it)'}; add "
                f"`{task.id}` to `depends_on` of `{target}`.",
                "branch_target_not_downstream",
            )


def mapped_outputs(outputs: TaskOutputs) -> TaskOutputs:
    """A for-each task's outputs as its downstream tasks see them: one list of the instances' values each."""
    schema = dict(outputs.schema)
    schema["properties"] = {name: {"type": "array", "items": sub} for name, sub in outputs.properties.items()}
    schema.pop("required", None)
    return TaskOutputs(schema=schema, declared=outputs.declared, open_ended=outputs.open_ended)
