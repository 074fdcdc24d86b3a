"""Structured differences between two workflow documents, for the revisions API.

The result is plain JSON (``TypedDict``s of strings, lists and JSON values) so the API can
return it as is and the GUI can render "what changed" per setting, per task and per edge.
Tasks are matched by id, not by position: reordering the task list is not a change.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from pydantic import ValidationError

from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.issues import Loc, format_path

ChangeKind = Literal["added", "removed", "changed"]


class FieldChange(TypedDict):
    """One changed value; ``old``/``new`` are ``None`` for added/removed values."""

    path: str
    kind: ChangeKind
    old: Any
    new: Any


class TaskChange(TypedDict):
    id: str
    changes: list[FieldChange]


class TasksDiff(TypedDict):
    added: list[str]
    removed: list[str]
    changed: list[TaskChange]


Edge = TypedDict("Edge", {"from": str, "to": str})
"""A dependency: ``to`` depends on ``from`` (data and control flow from ``from`` to ``to``)."""


class EdgesDiff(TypedDict):
    added: list[Edge]
    removed: list[Edge]


class WorkflowDiff(TypedDict):
    settings: list[FieldChange]
    tasks: TasksDiff
    edges: EdgesDiff
    ui_changed: bool
    has_changes: bool


def _as_json(document: Workflow | Mapping[str, Any]) -> dict[str, Any]:
    """Normalised JSON form, so defaults written out and defaults left implicit compare equal."""
    if isinstance(document, Workflow):
        return document.model_dump(mode="json", by_alias=True)
    try:
        return Workflow.model_validate(dict(document)).model_dump(mode="json", by_alias=True)
    except ValidationError:
        return copy.deepcopy(dict(document))  # old or invalid revisions are still diffable


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) != isinstance(new, bool):
        return False
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def _walk(old: Any, new: Any, loc: Loc, out: list[FieldChange]) -> None:
    if _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                out.append({"path": format_path((*loc, key)), "kind": "removed", "old": old[key], "new": None})
            elif key not in old:
                out.append({"path": format_path((*loc, key)), "kind": "added", "old": None, "new": new[key]})
            else:
                _walk(old[key], new[key], (*loc, key), out)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _walk(a, b, (*loc, index), out)
        return
    out.append({"path": format_path(loc), "kind": "changed", "old": old, "new": new})


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Leaf-level changes between two JSON values; lists of different lengths count as one change."""
    out: list[FieldChange] = []
    _walk(old, new, (), out)
    return out


def _tasks_by_id(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    tasks = doc.get("tasks")
    if not isinstance(tasks, list):
        return {}
    return {t["id"]: t for t in tasks if isinstance(t, dict) and isinstance(t.get("id"), str)}


def _edges(tasks: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    edges: list[tuple[str, str]] = []
    for task_id, task in tasks.items():
        deps = task.get("depends_on")
        for dep in deps if isinstance(deps, list) else []:
            if isinstance(dep, str) and (dep, task_id) not in edges:
                edges.append((dep, task_id))
    return edges


def diff_workflows(old: Workflow | Mapping[str, Any], new: Workflow | Mapping[str, Any]) -> WorkflowDiff:
    """What changed from ``old`` to ``new``: settings, tasks (added/removed/changed), edges, layout."""
    before, after = _as_json(old), _as_json(new)
    skip = ("tasks", "ui")
    settings = field_changes(
        {k: v for k, v in before.items() if k not in skip}, {k: v for k, v in after.items() if k not in skip}
    )
    old_tasks, new_tasks = _tasks_by_id(before), _tasks_by_id(after)
    changed: list[TaskChange] = []
    for task_id, task in new_tasks.items():
        if task_id in old_tasks:
            changes = field_changes(old_tasks[task_id], task)
            if changes:
                changed.append({"id": task_id, "changes": changes})
    old_edges, new_edges = _edges(old_tasks), _edges(new_tasks)
    result: WorkflowDiff = {
        "settings": settings,
        "tasks": {
            "added": [t for t in new_tasks if t not in old_tasks],
            "removed": [t for t in old_tasks if t not in new_tasks],
            "changed": changed,
        },
        "edges": {
            "added": [{"from": a, "to": b} for a, b in new_edges if (a, b) not in old_edges],
            "removed": [{"from": a, "to": b} for a, b in old_edges if (a, b) not in new_edges],
        },
        "ui_changed": not _same(before.get("ui"), after.get("ui")),
        "has_changes": False,
    }
    result["has_changes"] = bool(
        settings
        or result["tasks"]["added"]
        or result["tasks"]["removed"]
        or changed
        or result["edges"]["added"]
        or result["edges"]["removed"]
        or result["ui_changed"]
    )
    return result
