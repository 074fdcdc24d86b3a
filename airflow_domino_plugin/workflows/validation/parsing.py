"""Reading a workflow document leniently: a shape error in one part does not hide problems in the rest.

The document is re-read without its broken parts, and :class:`ParsedWorkflow` keeps the maps back
to the original so the checks name paths in the document the user sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from airflow_domino_plugin.workflows.document import (
    Workflow,
)
from airflow_domino_plugin.workflows.issues import (
    ValidationIssue,
)
from airflow_domino_plugin.workflows.validation.messages import got, pydantic_issue

_REQUIRED_PLACEHOLDERS: dict[str, Any] = {"schema_version": 1, "id": "invalid_id", "name": "invalid"}


@dataclass
class ParsedWorkflow:
    """A workflow re-read without its broken parts, with maps back to the original document."""

    workflow: Workflow
    task_index: list[int]  # original index of each task in ``workflow.tasks``
    broken_fields: set[str] = field(default_factory=set)
    broken_task_deps: dict[str, list[str]] = field(default_factory=dict)  # raw deps of unparsable tasks
    declared_params: set[str] = field(default_factory=set)


def parse_workflow(raw: Any) -> tuple[Workflow | None, list[ValidationIssue]]:
    """Shape-check ``raw`` alone (no catalog): the model when valid, else ``None`` and the issues."""
    if not isinstance(raw, Mapping):
        return None, [ValidationIssue.at((), f"The workflow must be a JSON object, {got(raw)}.", "wrong_type")]
    try:
        return Workflow.model_validate(dict(raw)), []
    except PydanticValidationError as exc:
        return None, [pydantic_issue(error) for error in exc.errors(include_url=False)]


def parse_leniently(raw: Mapping[str, Any]) -> tuple[ParsedWorkflow | None, list[ValidationIssue]]:
    try:
        return ParsedWorkflow(Workflow.model_validate(dict(raw)), list(range(len(raw.get("tasks") or [])))), []
    except PydanticValidationError as exc:
        errors = exc.errors(include_url=False)
    issues = [pydantic_issue(error) for error in errors]
    sanitized = dict(raw)
    broken_fields: set[str] = set()
    bad_tasks: set[int] = set()
    bad_params: set[str] = set()
    for error in errors:
        loc = error["loc"]
        if not loc:
            continue
        top = str(loc[0])
        if top == "tasks" and len(loc) > 1 and isinstance(loc[1], int):
            bad_tasks.add(loc[1])
        elif top == "params" and len(loc) > 1 and isinstance(loc[1], str):
            bad_params.add(loc[1])
        else:
            broken_fields.add(top)
    for name in broken_fields:
        if name in _REQUIRED_PLACEHOLDERS:
            sanitized[name] = _REQUIRED_PLACEHOLDERS[name]
        else:
            sanitized.pop(name, None)
    raw_tasks = raw.get("tasks") if "tasks" not in broken_fields else None
    task_index: list[int] = []
    broken_deps: dict[str, list[str]] = {}
    if isinstance(raw_tasks, list):
        kept = []
        for index, task in enumerate(raw_tasks):
            if index in bad_tasks:
                if isinstance(task, Mapping) and isinstance(task.get("id"), str):
                    deps = task.get("depends_on")
                    broken_deps[task["id"]] = [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
            else:
                kept.append(task)
                task_index.append(index)
        sanitized["tasks"] = kept
    raw_params = raw.get("params")
    declared = set(raw_params) if isinstance(raw_params, Mapping) else set()
    if isinstance(raw_params, Mapping) and "params" not in broken_fields:
        sanitized["params"] = {k: v for k, v in raw_params.items() if k not in bad_params}
    if bad_params:
        broken_fields.add("params")
    if bad_tasks:
        broken_fields.add("tasks")
    try:
        workflow = Workflow.model_validate(sanitized)
    except PydanticValidationError:  # pragma: no cover - defensive: nothing more can be checked
        return None, issues
    return (
        ParsedWorkflow(workflow, task_index, broken_fields, broken_deps, {str(p) for p in declared}),
        issues,
    )
