"""Checks of the workflow's own settings: its DAG id, start and end dates, and runs at a time."""

from __future__ import annotations

from airflow_domino_plugin.workflows.validation.state import CheckState


def check_settings(state: CheckState) -> None:
    wf, broken = state.wf, state.broken
    if "id" not in broken and wf.id in state.foreign:
        state.add(
            ("id",),
            f"A DAG with id `{wf.id}` already exists in Airflow and is not managed by this plugin; "
            "choose another workflow id.",
            "dag_id_taken",
        )
    if {"schedule", "start_date"}.isdisjoint(broken) and wf.schedule is not None and wf.start_date is None:
        state.add(
            ("start_date",),
            f"`start_date` is required when a schedule is set (schedule is `{wf.schedule}`); "
            "expected a timezone-aware timestamp such as 2026-11-01T00:00:00Z.",
            "start_date_required",
        )
    if (
        {"start_date", "end_date"}.isdisjoint(broken)
        and wf.start_date is not None
        and wf.end_date is not None
        and wf.end_date <= wf.start_date
    ):
        state.add(
            ("end_date",),
            f"`end_date` ({wf.end_date.isoformat()}) must be after `start_date` ({wf.start_date.isoformat()}).",
            "end_before_start",
        )
    if wf.schedule == "@continuous" and wf.max_active_runs not in (None, 1):
        state.add(
            ("max_active_runs",),
            f"A `@continuous` schedule allows only one run at a time: expected 1 (or null), got {wf.max_active_runs}.",
            "invalid_value",
        )
