"""Airflow's audit log (the ``log`` table behind ``/api/v2/eventLogs`` and the UI's Audit Log).

Airflow's own REST API writes one row per mutating request (its ``action_logging``
dependency). The plugin's routes drive Airflow directly, so they write the same kind of row
themselves, with the event names Airflow's routes use (``trigger_dag_run``, ``patch_dag_run``,
``post_clear_task_instances``, ``patch_dag``, ``delete_dag``, ``reparse_dag_file``, ...), so
Airflow's audit-log filters find them. ``extra`` says the action came through Domino.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

SOURCE = "domino"


def record_action(
    session: Session,
    event: str,
    *,
    user_name: str | None,
    dag_id: str | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Add an audit-log row for ``event`` done by ``user_name``; committed with the caller's transaction.

    Never put secret values in ``extra``: the audit log is readable by every user with
    audit-log access.
    """
    from airflow.models.log import Log

    details = {"source": SOURCE, **(extra or {})}
    row = Log(
        event=event,
        owner=user_name or "anonymous",
        owner_display_name=user_name or "",
        extra=json.dumps(details, default=str, sort_keys=True),
        dag_id=dag_id,
        run_id=run_id,
        task_id=task_id,
    )
    session.add(row)
