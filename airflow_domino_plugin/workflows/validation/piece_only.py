"""Fields only piece tasks take, refused on the other task kinds (approval steps, workflow tasks)."""

from __future__ import annotations

from collections.abc import Iterable

from airflow_domino_plugin.workflows.document import Task
from airflow_domino_plugin.workflows.validation.state import CheckState


def refuse_piece_only_fields(
    checker: CheckState, index: int, task: Task, fields: Iterable[str], *, kind: str, code: str, secrets_note: str = ""
) -> None:
    """One error per piece-only field ``task`` sets; ``kind`` starts the message ("A task running a workflow")."""
    for field in fields:
        if getattr(task, field) is not None:
            checker.add(
                ("tasks", index, field),
                f"{kind} cannot have `{field}`; expected it only on piece tasks.",
                code,
            )
    if task.secrets:
        checker.add(("tasks", index, "secrets"), f"{kind} takes no secrets{secrets_note}; remove `secrets`.", code)
