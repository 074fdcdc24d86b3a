"""Checks of tasks that run other workflows, of data-aware schedules, and of cycles between workflows."""

from __future__ import annotations

from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Task, Workflow
from airflow_domino_plugin.workflows.subflows import awaited_workflow_ids, find_cycle, sub_workflow_spec
from airflow_domino_plugin.workflows.validation.piece_only import refuse_piece_only_fields
from airflow_domino_plugin.workflows.validation.state import CheckState


def check_sub_workflow(checker: CheckState, index: int, task: Task) -> PieceSpec | None:
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


def check_schedule_on(checker: CheckState) -> None:
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
    _check_schedule_chain(checker)


def _check_schedule_chain(checker: CheckState) -> None:
    """Refuse a loop of data-aware schedules through other workflows (completions or the assets they update)."""
    wf = checker.wf
    on = wf.schedule_on
    assert on is not None
    everyone = {**checker.workflows, wf.id: wf}
    producers: dict[str, list[str]] = {}  # asset -> the workflows whose tasks update it
    for workflow in everyone.values():
        for asset in sorted({name for task in workflow.tasks for name in task.outlets}):
            producers.setdefault(asset, []).append(workflow.id)

    def why(waiting: Workflow, on_id: str) -> tuple[str, tuple[str | int, ...]]:
        """How ``waiting`` waits for ``on_id``, in words, and where its schedule says so."""
        schedule = waiting.schedule_on
        assert schedule is not None
        if on_id in schedule.workflows:
            return f"`{on_id}` completes", ("schedule_on", "workflows", schedule.workflows.index(on_id))
        asset = next(a for a in schedule.assets if on_id in producers.get(a, []))
        return f"`{on_id}` updates asset `{asset}`", ("schedule_on", "assets", schedule.assets.index(asset))

    def waits_for(workflow: Workflow) -> list[str]:
        assets = workflow.schedule_on.assets if workflow.schedule_on is not None else []
        by_asset = [p for asset in assets for p in producers.get(asset, []) if p != workflow.id]
        return list(dict.fromkeys([*awaited_workflow_ids(workflow), *by_asset]))

    cycle = find_cycle(wf, checker.workflows, edges=waits_for)
    if cycle is None or len(cycle) < 3:  # waiting for itself directly is reported above
        return
    steps = [why(everyone[cycle[i]], cycle[i + 1]) for i in range(len(cycle) - 1)]
    chain = f"`{cycle[0]}` runs after {steps[0][0]}" + "".join(f", which runs after {words}" for words, _ in steps[1:])
    checker.add(
        steps[0][1],
        f"Schedule cycle: {chain}. Each run would start the next workflow forever; "
        "remove one of these from `schedule_on`.",
        "workflow_cycle",
    )


def check_workflow_cycles(checker: CheckState) -> None:
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
