"""Rows of Airflow's tables the adapter's modules all look up the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def task_instance_row(session: Session, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> Any:
    """The ``TaskInstance`` (its latest try) or ``None``."""
    from airflow.models.taskinstance import TaskInstance

    return session.scalar(
        select(TaskInstance).where(
            TaskInstance.dag_id == dag_id,
            TaskInstance.run_id == run_id,
            TaskInstance.task_id == task_id,
            TaskInstance.map_index == map_index,
        )
    )
