"""The read-only engine for code that runs where Airflow's ORM session is not allowed.

Airflow 3 forbids its ORM session during DAG parsing and inside tasks, so the DAG factory and the
piece operators read the plugin's tables through their own engine on ``[domino] sql_alchemy_conn``.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool


@cache
def read_engine(url: str) -> Engine:
    """One engine per URL; NullPool because the DAG processor forks a process per parse and pooled
    connections must not cross forks."""
    return create_engine(url, poolclass=NullPool)
