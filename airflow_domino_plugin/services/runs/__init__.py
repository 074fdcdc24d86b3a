"""Runs of a workflow, read and driven through Airflow inside the API server.

Triggering, cancelling, pausing and clearing use the same Airflow code paths as ``/api/v2``
(through :mod:`airflow_domino_plugin.airflow_adapter`) and write Airflow's audit log with the
acting user; reads join Airflow's runs, task instances and XComs with the plugin's revisions.

Which revision a run ran: :mod:`..dag_versions`. Modules: :mod:`.queries`, :mod:`.actions`, :mod:`.logs`.
"""

from __future__ import annotations

from airflow_domino_plugin.services.runs.actions import STALE_DAG_WAIT_S, cancel, clear_task, set_paused, trigger
from airflow_domino_plugin.services.runs.logs import LogChunk, render_log_record, task_log
from airflow_domino_plugin.services.runs.queries import (
    FINISHED_TASK_STATES,
    RUN_STATES,
    MapInstance,
    Report,
    ReportTask,
    Run,
    RunDetail,
    TaskState,
    get_run,
    get_run_detail,
    list_runs,
    report,
    topological_task_ids,
    xcom_value,
)

__all__ = [
    "FINISHED_TASK_STATES",
    "RUN_STATES",
    "STALE_DAG_WAIT_S",
    "LogChunk",
    "MapInstance",
    "Report",
    "ReportTask",
    "Run",
    "RunDetail",
    "TaskState",
    "cancel",
    "clear_task",
    "get_run",
    "get_run_detail",
    "list_runs",
    "render_log_record",
    "report",
    "set_paused",
    "task_log",
    "topological_task_ids",
    "trigger",
    "xcom_value",
]
