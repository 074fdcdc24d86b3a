"""The drafts migration keeps existing workflows deployed and can be undone without losing revisions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from airflow_domino_plugin.db import manager as db_manager
from tools.postgres import throwaway_database

pytestmark = pytest.mark.versions

BEFORE, DRAFTS = "d0m1n0000001", "d0m1n0000002"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'airflow.db'}"
    else:
        with throwaway_database() as url:
            yield url


def _config(url: str) -> Config:
    config = Config(db_manager.DominoDBManager.alembic_file)
    config.set_main_option("script_location", db_manager.DominoDBManager.migration_dir)
    config.set_main_option("sqlalchemy.url", url)
    return config


def _insert_workflow(connection: sa.Connection, workflow_id: str, revision_ids: list[int], current: int) -> None:
    connection.execute(
        sa.text("INSERT INTO domino_workflows (id, name, description, tags, current_revision_id, created_at, "
                "created_by, updated_at, updated_by) VALUES (:id, :id, '', '[]', :current, CURRENT_TIMESTAMP, "
                "'', CURRENT_TIMESTAMP, '')"),
        {"id": workflow_id, "current": current},
    )  # fmt: skip
    for number, revision_id in enumerate(revision_ids, start=1):
        connection.execute(
            sa.text("INSERT INTO domino_workflow_revisions (id, workflow_id, number, document, message, author, "
                    "created_at) VALUES (:rid, :wid, :number, '{}', '', 'ann', CURRENT_TIMESTAMP)"),
            {"rid": revision_id, "wid": workflow_id, "number": number},
        )  # fmt: skip


def test_upgrade_deploys_the_current_revisions_and_downgrade_restores_the_deployed_one(db_url: str) -> None:
    config = _config(db_url)
    command.upgrade(config, BEFORE)
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as connection:
            _insert_workflow(connection, "daily", [1, 2], current=2)
        command.upgrade(config, DRAFTS)
        with engine.begin() as connection:
            row = connection.execute(
                sa.text("SELECT current_revision_id, deployed_revision_id FROM domino_workflows")
            ).one()
            assert tuple(row) == (2, 2)  # the DAG keeps running what it ran
            drafts = connection.execute(sa.text("SELECT draft FROM domino_workflow_revisions")).scalars().all()
            assert drafts == [False, False]
            # Now a draft on top of revision 2, and a workflow with only a draft.
            connection.execute(
                sa.text("INSERT INTO domino_workflow_revisions (id, workflow_id, number, document, message, "
                        "author, created_at, draft) VALUES (3, 'daily', 3, '{}', 'wip', 'ann', CURRENT_TIMESTAMP, "
                        ":draft)"),
                {"draft": True},
            )  # fmt: skip
            connection.execute(sa.text("UPDATE domino_workflows SET current_revision_id = 3"))
        command.downgrade(config, BEFORE)
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("domino_workflows")}
            assert "deployed_revision_id" not in columns
            assert connection.execute(sa.text("SELECT current_revision_id FROM domino_workflows")).scalar() == 2
            # The draft stays in the history.
            count = connection.execute(sa.text("SELECT count(*) FROM domino_workflow_revisions")).scalar()
            assert count == 3
    finally:
        engine.dispose()
