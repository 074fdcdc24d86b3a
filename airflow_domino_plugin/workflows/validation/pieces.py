"""Checks of what a task runs (an installed piece, an approval step or another workflow), its secrets and
its declared outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import KubernetesSecret, Task
from airflow_domino_plugin.workflows.dynamic_outputs import TaskOutputs, task_outputs
from airflow_domino_plugin.workflows.issues import did_you_mean, quote_list
from airflow_domino_plugin.workflows.validation.approvals import check_approval
from airflow_domino_plugin.workflows.validation.state import CheckState, task_loc
from airflow_domino_plugin.workflows.validation.subflows import check_sub_workflow


def check_piece(state: CheckState, index: int, task: Task) -> PieceSpec | None:
    ref = task.piece
    if task.approval is not None:  # an approval/input step: its response stands in for a piece's outputs
        return check_approval(state, index, task)
    if ref is None:  # not a piece task: a sub-workflow's params and outputs stand in for a piece's
        return check_sub_workflow(state, index, task)
    spec = state.catalog.get_piece(ref.repository, ref.version, ref.name)
    if spec is not None:
        return spec
    versions = state.catalog.versions_of(ref.repository)
    if not versions:
        state.add(
            task_loc(index, "piece", "repository"),
            f"Pieces repository `{ref.repository}` is not installed; install it or pick a piece from an "
            "installed repository.",
            "unknown_repository",
        )
    elif ref.version not in versions:
        state.add(
            task_loc(index, "piece", "version"),
            f"Version `{ref.version}` of repository `{ref.repository}` is not installed; installed "
            f"version(s): {quote_list(versions)}.",
            "unknown_piece_version",
        )
    else:
        names_of = getattr(state.catalog, "piece_names", None)
        names: list[str] = list(names_of(ref.repository, ref.version)) if callable(names_of) else []
        listing = f" Its pieces: {quote_list(names)}." if names else ""
        state.add(
            task_loc(index, "piece", "name"),
            f"Repository `{ref.repository}` version `{ref.version}` has no piece `{ref.name}`."
            f"{did_you_mean(ref.name, names)}{listing}",
            "unknown_piece",
        )
    return None


def check_secrets(state: CheckState, index: int, task: Task, spec: PieceSpec) -> None:
    schema = spec.secrets_schema or {}
    declared: Mapping[str, Any] = schema.get("properties") or {}
    required = [name for name in schema.get("required") or [] if isinstance(name, str)]
    for name in task.secrets:
        if name not in declared:
            known = f"its secrets are {quote_list(declared)}" if declared else "it declares no secrets"
            state.add(
                task_loc(index, "secrets", name),
                f"Piece `{spec.name}` has no secret `{name}`; {known}.{did_you_mean(name, declared)}",
                "unknown_secret",
            )
    runner = state.wf.task_policy(task).runner
    for name, source in task.secrets.items():
        if isinstance(source, KubernetesSecret) and runner != "kubernetes":
            state.add(
                task_loc(index, "secrets", name),
                f"Secret `{name}` reads a Kubernetes Secret, which only the `kubernetes` runner can use; "
                f"expected the task's runner to be `kubernetes`, or a Variable/Connection binding.",
                "kubernetes_secret_needs_kubernetes_runner",
            )
    for name in required:
        if name not in task.secrets:
            state.add(
                task_loc(index, "secrets", name),
                f"Secret `{name}` required by piece `{spec.name}` is not bound; expected "
                f'{{"variable": "<Airflow Variable key>"}} or {{"connection": "<conn id>", "field": "password"}}.',
                "missing_secret",
            )


def check_declared_outputs(state: CheckState, index: int, task: Task, spec: PieceSpec) -> TaskOutputs:
    """The task's outputs, declared ones included; a name declared twice is an error."""
    outputs = task_outputs(spec.input_schema, spec.output_schema, task.inputs)
    seen: set[str] = set()
    static = spec.output_schema.get("properties") or {}
    for declared in outputs.declared:
        if declared.name in seen or declared.name in static:
            state.add(
                task_loc(index, "inputs", *declared.loc),
                f"Output `{declared.name}` is declared twice (outputs of piece `{spec.name}`: "
                f"{quote_list([*static, *{d.name: None for d in outputs.declared}])}); expected unique names.",
                "duplicate_output",
            )
        seen.add(declared.name)
    return outputs
