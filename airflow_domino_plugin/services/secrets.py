"""Secrets the installed pieces declare, stored as Airflow Variables (so Airflow's Fernet key encrypts them).

A secret ``NAME`` of repository ``repo`` lives in the Variable ``domino__<repo>__<NAME>``; a
workflow binds it with ``{"variable": "domino__<repo>__<NAME>"}``. Values are write-only: nothing
here returns one, only whether it is set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.services.errors import (
    InvalidInput,
    Issue,
    NotFound,
    refused_by_airflow,
)

log = logging.getLogger(__name__)

MAX_VALUE_LENGTH = 65_536


def variable_name(repository: str, name: str) -> str:
    return f"domino__{repository}__{name}"


@dataclass
class DeclaredSecret:
    repository: str
    name: str
    pieces: list[str] = field(default_factory=list)
    description: str = ""
    required: bool = False
    is_set: bool = False

    @property
    def variable(self) -> str:
        return variable_name(self.repository, self.name)


def _version_key(version: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for part in version.replace("-", ".").split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(parts)


def declared_secrets(session: Session) -> list[DeclaredSecret]:
    """Every secret declared by an installed piece, one entry per (repository, secret name)."""
    rows = session.execute(
        select(Repository.name, Repository.version, Piece.name, Piece.secrets_schema).join(
            Piece, Piece.repository_id == Repository.id
        )
    ).tuples()
    found: dict[tuple[str, str], DeclaredSecret] = {}
    newest: dict[tuple[str, str], tuple[Any, ...]] = {}
    for repository, version, piece, schema in rows:
        properties = (schema or {}).get("properties") or {}
        required = set((schema or {}).get("required") or [])
        for name, spec in properties.items():
            key = (repository, name)
            secret = found.setdefault(key, DeclaredSecret(repository=repository, name=name))
            if piece not in secret.pieces:
                secret.pieces.append(piece)
            secret.required = secret.required or name in required
            description = str((spec or {}).get("description") or "") if isinstance(spec, dict) else ""
            rank = _version_key(version)
            if description and (not secret.description or rank > newest.get(key, ())):
                secret.description = description
                newest[key] = rank
    secrets = sorted(found.values(), key=lambda s: (s.repository, s.name))
    for secret in secrets:
        secret.pieces.sort()
    _fill_is_set(session, secrets)
    return secrets


def _fill_is_set(session: Session, secrets: list[DeclaredSecret]) -> None:
    if not secrets:
        return
    stored = airflow_adapter.stored_variable_keys(session, [s.variable for s in secrets])
    for secret in secrets:
        secret.is_set = secret.variable in stored
        if not secret.is_set:
            # Environment variables or a secrets backend may provide it instead.
            try:
                secret.is_set = airflow_adapter.variable_from_secrets(secret.variable) is not None
            except Exception:  # an unreachable backend must not break the list
                log.warning("Could not ask the secrets backends for %s", secret.variable, exc_info=True)


def get_declared(session: Session, repository: str, name: str) -> DeclaredSecret:
    for secret in declared_secrets(session):
        if secret.repository == repository and secret.name == name:
            return secret
    raise NotFound(f"No installed piece of repository {repository!r} declares a secret {name!r}.")


def set_secret(
    session: Session, repository: str, name: str, value: str, *, airflow: airflow_adapter.AirflowApi
) -> None:
    """Store the value as the secret's Airflow Variable, through Airflow's variable routes as the user.

    So Airflow checks the user's permission on that variable and writes the audit row (value masked).
    """
    secret = get_declared(session, repository, name)
    if not isinstance(value, str) or value == "":
        raise InvalidInput("The secret value is empty.", [Issue(path="value", message="Give a non-empty string.")])
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidInput(
            "The secret value is too long.",
            [Issue(path="value", message=f"At most {MAX_VALUE_LENGTH} characters.")],
        )
    description = (
        f"Secret {name} of pieces repository {repository} (used by {', '.join(secret.pieces)}); set by Domino."
    )
    session.commit()  # Airflow's route writes in its own session
    try:
        airflow.set_variable(secret.variable, value, description=description)
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"store variable {secret.variable!r}") from exc


def delete_secret(session: Session, repository: str, name: str, *, airflow: airflow_adapter.AirflowApi) -> None:
    key = variable_name(repository, name)
    session.commit()
    try:
        deleted = airflow.delete_variable(key)
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"delete variable {key!r}") from exc
    if not deleted:
        get_declared(session, repository, name)  # 404 when it is neither declared nor stored
