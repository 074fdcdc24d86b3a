"""Alembic environment for the ``domino_*`` tables.

``version_table`` must be passed here explicitly: Airflow does not enforce it, and without it
Alembic would write into Airflow's own ``alembic_version`` table.
"""

from __future__ import annotations

import contextlib
from typing import Any

from alembic import context

from airflow_domino_plugin.db.manager import VERSION_TABLE
from airflow_domino_plugin.db.models import metadata

config = context.config


def _include_object(_obj: Any, name: str | None, type_: str, *_args: Any) -> bool:
    # Airflow's own tables share the database; never let autogenerate touch them.
    return not (type_ == "table" and name not in metadata.tables)


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from airflow import settings

    return str(settings.SQL_ALCHEMY_CONN)


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
        version_table=VERSION_TABLE,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with contextlib.ExitStack() as stack:
        connection = config.attributes.get("connection")
        if connection is None:
            from sqlalchemy import create_engine

            engine = create_engine(_url())
            stack.callback(engine.dispose)
            connection = stack.enter_context(engine.connect())
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            transaction_per_migration=True,
            version_table=VERSION_TABLE,
            include_object=_include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
