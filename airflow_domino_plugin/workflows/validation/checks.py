"""The semantic checks of a parsed workflow against the installed pieces, in the order they run: settings,
schedules and workflow cycles, run parameters, the task graph, each task's piece and secrets, then inputs,
for-each and branches (which need every task's outputs), and the editor layout.

What each check holds: :mod:`.settings`, :mod:`.subflows` (schedules, sub-workflows), :mod:`.graph`,
:mod:`.pieces` (with :mod:`.approvals`), :mod:`.inputs`, :mod:`.control_flow`; :mod:`.state` is what they share.
"""

from __future__ import annotations

from airflow_domino_plugin.workflows.flow import direct_downstreams
from airflow_domino_plugin.workflows.params import param_definition_issues
from airflow_domino_plugin.workflows.validation.control_flow import check_branch, check_for_each, mapped_outputs
from airflow_domino_plugin.workflows.validation.graph import check_graph, check_ui
from airflow_domino_plugin.workflows.validation.inputs import check_inputs
from airflow_domino_plugin.workflows.validation.pieces import check_declared_outputs, check_piece, check_secrets
from airflow_domino_plugin.workflows.validation.settings import check_settings
from airflow_domino_plugin.workflows.validation.state import CheckState
from airflow_domino_plugin.workflows.validation.subflows import check_schedule_on, check_workflow_cycles


def run_checks(state: CheckState) -> None:
    """Every check on ``state``; the issues land in ``state.issues`` and ``state.warnings``."""
    wf = state.wf
    check_settings(state)
    check_schedule_on(state)
    check_workflow_cycles(state)
    scheduled = (wf.schedule is not None and "schedule" not in state.broken) or wf.schedule_on is not None
    state.issues.extend(param_definition_issues(wf.params, scheduled=scheduled))
    check_graph(state)
    for position, task in enumerate(wf.tasks):
        index = state.parsed.task_index[position]
        spec = check_piece(state, index, task)
        state.specs.setdefault(task.id, spec)
        if spec is not None:
            check_secrets(state, index, task, spec)
            if task.id not in state.outputs:
                state.outputs[task.id] = check_declared_outputs(state, index, task, spec)
    for task in wf.tasks:
        if task.for_each is not None and task.id in state.outputs:
            state.outputs[task.id] = mapped_outputs(state.outputs[task.id])
    downstreams = direct_downstreams(wf.tasks)
    for position, task in enumerate(wf.tasks):
        index = state.parsed.task_index[position]
        check_inputs(state, index, task, state.specs.get(task.id))
        check_for_each(state, index, task)
        check_branch(state, index, task, downstreams.get(task.id, []))
    check_ui(state)
