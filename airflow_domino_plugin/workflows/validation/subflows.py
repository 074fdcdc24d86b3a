"""Checks of tasks that run other workflows, of data-aware schedules, and of cycles between workflows."""

from __future__ import annotations

from typing import Any

from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Task
from airflow_domino_plugin.workflows.subflows import awaited_workflow_ids, find_cycle, sub_workflow_spec
from airflow_domino_plugin.workflows.validation.piece_only import refuse_piece_only_fields

# ``checker`` is the :class:`.checks.Checker` running (typed loosely: checks imports this module).
Checker = Any


def check_sub_workflow(checker: Checker, index: int, task: Task) -> PieceSpec | None:
    """The child's params as inputs and its final outputs as outputs, or None (and an error) when unknown."""
    ref = task.workflow
    if ref is None:
        return None
    loc = ("tasks", index, "workflow", "id")
    if ref.id == checker.wf.id:
        checker.add(
            loc,
            f"Task `{task.id}` runs workflow `{ref.id}`, the workflow itself; pick another workflow.",
            "workflow_cycle",
        )
        return None
    spec = sub_workflow_spec(ref.id, checker.workflows, checker.catalog)
    if spec is None:
        checker.add(
            loc,
            f"Workflow `{ref.id}` is not deployed; expected the id of a saved, deployed workflow.",
            "unknown_workflow",
        )
        return None
    refuse_piece_only_fields(
        checker,
        index,
        task,
        ("for_each", "branch"),
        kind="A task running a workflow",
        code="unsupported_on_workflow_task",
        secrets_note=" (the child's tasks bind their own)",
    )
    return spec


def check_schedule_on(checker: Checker) -> None:
    wf = checker.wf
    on = wf.schedule_on
    if on is None:
        return
    if wf.schedule is not None:
        checker.add(
            ("schedule_on",),
            f"A workflow has either a time `schedule` (here `{wf.schedule}`) or `schedule_on`, not both; "
            "set `schedule` to null to run on workflow completions and asset updates.",
            "schedule_conflict",
        )
    if not on.workflows and not on.assets:
        checker.add(
            ("schedule_on",),
            "`schedule_on` lists no workflow and no asset; expected at least one (or remove `schedule_on`).",
            "empty_schedule_on",
        )
    for position, workflow_id in enumerate(on.workflows):
        loc = ("schedule_on", "workflows", position)
        if workflow_id == wf.id:
            checker.add(loc, f"Workflow `{wf.id}` cannot run after its own completion.", "workflow_cycle")
        elif workflow_id not in checker.workflows:
            checker.add(
                loc,
                f"Workflow `{workflow_id}` is not deployed; expected the id of a saved, deployed workflow.",
                "unknown_workflow",
            )
    own_outlets = {name for task in wf.tasks for name in task.outlets}
    for position, asset in enumerate(on.assets):
        if asset in own_outlets:
            checker.add(
                ("schedule_on", "assets", position),
                f"Workflow `{wf.id}` updates asset `{asset}` itself, so being scheduled on it would start it again "
                "after every run; schedule on another asset or remove it from the tasks' outlets.",
                "workflow_cycle",
            )
    cycle = find_cycle(wf, checker.workflows, edges=awaited_workflow_ids)
    if cycle is not None and len(cycle) >= 3:  # waiting for itself directly is reported above
        chain = f"`{cycle[0]}` runs after `{cycle[1]}` completes" + "".join(
            f", which runs after `{node}` completes" for node in cycle[2:]
        )
        checker.add(
            ("schedule_on", "workflows", on.workflows.index(cycle[1])),
            f"Schedule cycle: {chain}. Each completion would start the next workflow forever; "
            "remove one of these workflows from `schedule_on`.",
            "workflow_cycle",
        )


def check_workflow_cycles(checker: Checker) -> None:
    """Refuse a workflow that runs itself through other workflows (A runs B, which runs A)."""
    cycle = find_cycle(checker.wf, checker.workflows)
    if cycle is None or len(cycle) < 3:  # a direct self-call is reported on the task
        return
    first_child = cycle[1]
    for position, task in enumerate(checker.wf.tasks):
        if task.workflow is not None and task.workflow.id == first_child:
            chain = f"`{cycle[0]}` runs `{cycle[1]}`" + "".join(f", which runs `{node}`" for node in cycle[2:])
            checker.add(
                ("tasks", checker.parsed.task_index[position], "workflow", "id"),
                f"Workflow cycle: {chain}. A workflow cannot run itself, directly or through other workflows.",
                "workflow_cycle",
            )
            return
