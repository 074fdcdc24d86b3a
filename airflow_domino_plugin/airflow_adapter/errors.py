"""What the adapter raises instead of Airflow's own exceptions (whose homes move between releases)."""

from __future__ import annotations


class AdapterError(Exception):
    """Base of the adapter's errors; the services turn them into their own (404, 409, ...)."""


class DagNotLoaded(AdapterError):
    """Airflow has no (serialized) DAG for the id or run yet."""


class RunAlreadyExists(AdapterError):
    """A DAG run with the same run id exists."""


class UnknownTask(AdapterError):
    """The DAG has no such task."""


class TryNotFound(AdapterError):
    """Airflow keeps no record of that try of the task."""


class LogsUnreadable(AdapterError):
    """The configured task log handler cannot read logs back."""
