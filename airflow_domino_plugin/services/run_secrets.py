"""The secret values a run's tasks were given, to mask them out of everything the API serves about it.

The worker masks outputs and result files before storing them (``operators.piece``); this is the
second line: runs stored before that, runners that store results themselves, or a value that
reached a result some other way are still masked in outputs, reports, logs and result files.
Values are read in the API server as a task reads them (Variables and Connections, so secrets
backends apply), from the bindings of the revision the run ran.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.services import runs

log = logging.getLogger(__name__)


def _bindings(document: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for task in document.get("tasks") or []:
        if isinstance(task, dict) and isinstance(task.get("secrets"), dict):
            found.extend(b for b in task["secrets"].values() if isinstance(b, dict))
    return found


def _value(binding: dict[str, Any]) -> Any:
    if isinstance(binding.get("variable"), str):
        return airflow_adapter.variable_value(binding["variable"])
    if isinstance(binding.get("connection"), str):
        connection = airflow_adapter.connection_from_secrets(binding["connection"])
        field = str(binding.get("field") or "password")
        if field.startswith("extra."):
            extra = connection.extra_dejson or {}
            return extra.get(field.removeprefix("extra."))
        if field == "extra":
            return connection.extra
        return getattr(connection, field, None)
    return None  # Kubernetes Secrets never pass through Airflow


def masker_for_document(document: dict[str, Any] | None) -> Masker:
    values: list[Any] = []
    for binding in _bindings(document or {}):
        try:
            value = _value(binding)
        except Exception:  # a deleted or unreadable secret has nothing left to mask
            log.debug("Could not read a secret binding to mask it", exc_info=True)
            continue
        if value is not None:
            values.append(value)
            if isinstance(value, str):
                with contextlib.suppress(ValueError):  # a JSON Variable: its leaves may be printed one by one
                    values.append(json.loads(value))
    return Masker.of_secrets(values)


def masker_for_run(session: Session, workflow_id: str, run_id: str) -> Masker:
    """A masker for every secret value bound by the revision the run ran (404 for an unknown run)."""
    run = runs.get_run(session, workflow_id, run_id)
    return masker_for_document(run.revision.document if run.revision else None)
