"""``airflow db migrate`` creates and upgrades the plugin's tables on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from airflow_domino_plugin.db import manager as db_manager
from airflow_domino_plugin.db.models import metadata
from tools.localstack import Stack
from tools.postgres import throwaway_database

# Part of the focused set every supported Airflow release runs (make test-airflow-3.1 / 3.2).
pytestmark = pytest.mark.versions

DOMINO_TABLES = {
    "domino_repositories",
    "domino_pieces",
    "domino_install_jobs",
    "domino_workflows",
    "domino_workflow_revisions",
}


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'airflow.db'}"
    else:
        with throwaway_database() as url:
            yield url


def _alembic_config(url: str) -> Config:
    config = Config(db_manager.DominoDBManager.alembic_file)
    config.set_main_option("script_location", db_manager.DominoDBManager.migration_dir)
    config.set_main_option("sqlalchemy.url", url)
    return config


def _head() -> str:
    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    assert head
    return head


def _version(engine: sa.Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(table):
            return set()
        return set(connection.execute(sa.text(f"SELECT version_num FROM {table}")).scalars())


def test_airflow_db_migrate_creates_the_tables(db_url: str, tmp_path: Path) -> None:
    stack = Stack(home=tmp_path / "home", db_url=db_url)
    stack.airflow("db", "migrate")
    engine = sa.create_engine(db_url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= DOMINO_TABLES
        assert _version(engine, db_manager.VERSION_TABLE) == {_head()}
        # Airflow's own version table must not have been written to.
        assert _head() not in _version(engine, "alembic_version")
        # A second migrate (what every upgrade runs) is a no-op that keeps the data.
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO domino_workflows (id, name, description, tags, created_at, created_by, "
                        "updated_at, updated_by) VALUES ('kept', 'Kept', '', '[]', CURRENT_TIMESTAMP, '', "
                        "CURRENT_TIMESTAMP, '')")
            )  # fmt: skip
        stack.airflow("db", "migrate")
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT id FROM domino_workflows")).scalars().all() == ["kept"]
    finally:
        engine.dispose()


def test_migration_files_match_the_models(db_url: str) -> None:
    """Upgrading through the Alembic revisions gives exactly the tables the models declare."""
    from alembic import command

    command.upgrade(_alembic_config(db_url), "head")
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_object": lambda _o, name, type_, *_a: (
                        not (type_ == "table" and name not in metadata.tables)
                    ),
                    "compare_type": True,
                },
            )
            assert compare_metadata(context, metadata) == []
        command.downgrade(_alembic_config(db_url), "base")
        assert not DOMINO_TABLES & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_airflow_config_list_documents_the_domino_section(tmp_path: Path) -> None:
    stack = Stack(home=tmp_path / "home")
    output = stack.airflow("config", "list", "--section", "domino", "--include-descriptions").stdout
    for option in ("sql_alchemy_conn", "storage_url", "repositories_path", "default_runner", "kubernetes_namespace"):
        assert option in output
    assert "[domino]" in output


def test_airflow_db_reset_drops_and_recreates_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'airflow.db'}"
    stack = Stack(home=tmp_path / "home", db_url=url)
    stack.airflow("db", "migrate")
    engine = sa.create_engine(url)
    with contextlib.closing(engine.connect()) as connection, connection.begin():
        connection.execute(
            sa.text("INSERT INTO domino_repositories (name, version, label, description, registry_name, "
                    "source_type, source_url, source_ref, commit_sha, path, config, dependencies_map, "
                    "installed_at, installed_by) VALUES ('r', '1', '', '', '', 'local', '/x', '', '', '', "
                    "'{}', '{}', CURRENT_TIMESTAMP, '')")
        )  # fmt: skip
    stack.airflow("db", "reset", "--yes")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM domino_repositories")).scalar() == 0
    engine.dispose()


def test_a_private_postgres_server_is_started_when_none_answers(tmp_path: Path) -> None:
    """The fallback CI relies on when no PostgreSQL listens on 127.0.0.1:5432."""
    with throwaway_database(prefer_port=1, force_private=True) as url:
        assert ":5432/" not in url
        stack = Stack(home=tmp_path / "home", db_url=url)
        stack.airflow("db", "migrate")
        engine = sa.create_engine(url)
        try:
            assert set(sa.inspect(engine).get_table_names()) >= DOMINO_TABLES
        finally:
            engine.dispose()
