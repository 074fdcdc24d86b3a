"""Airflow Variables and Connections as the API server reads and writes them.

Inside the API server the ORM is allowed, so Variables are written through Airflow's model
(encryption with the Fernet key, as ``/api/v2/variables`` does). Reads go through the secrets
backends (environment variables, Vault, ...) before the database, like ``airflow.sdk`` does in
tasks, so what the plugin reports as "set" is what a task will find.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def stored_variable_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are Variables stored in Airflow's database."""
    from airflow.models.variable import Variable

    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.scalars(select(Variable.key).where(Variable.key.in_(wanted))))


def variable_from_secrets(key: str) -> str | None:
    """The Variable's value from the secrets backends and the database; None when unset."""
    from airflow.models.variable import Variable

    value = Variable.get_variable_from_secrets(key)
    return None if value is None else str(value)


def variable_value(key: str) -> Any:
    """The Variable's value (None when unset)."""
    from airflow.models.variable import Variable

    return Variable.get(key, default_var=None)


def connection_from_secrets(conn_id: str) -> Any:
    """The Connection (fields ``password``, ``login``, ``host``, ``extra``, ``extra_dejson``, ...).

    Raises when it does not exist.
    """
    from airflow.models.connection import Connection

    return Connection.get_connection_from_secrets(conn_id)
