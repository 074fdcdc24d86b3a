"""Errors the service layer raises; each maps to one HTTP status in the web layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Issue:
    """One problem with an input: where (a JSON path) and what was expected."""

    path: str
    message: str
    code: str = "invalid"
    pointer: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "pointer": self.pointer, "message": self.message, "code": self.code}


class ServiceError(Exception):
    """Base class; ``message`` is shown to the user as is."""

    status = 400

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


@dataclass
class InvalidInput(ServiceError):
    """Input that failed validation; carries every issue found, not only the first."""

    message: str
    issues: list[Issue] = field(default_factory=list)
    status: int = 422

    def __post_init__(self) -> None:
        super().__init__(self.message)


@dataclass
class Forbidden(InvalidInput):
    """Well-formed input that this user may not save (e.g. a secret binding they may not read)."""

    status: int = 403


def refused_by_airflow(status: int, detail: str, what: str) -> ServiceError:
    """The error for one of Airflow's own routes refusing ``what`` (e.g. "cancel run 'r'").

    A 403 is the user's role (Airflow checks its own permission on top of ours); anything else
    is the state of the DAG or run, which the user can change and retry.
    """
    if status == 403:
        return Forbidden(f"Airflow refused to {what} for your role: {detail}", [])
    return Conflict(f"Airflow refused to {what} ({status}): {detail}")
