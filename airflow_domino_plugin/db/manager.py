"""The DB manager Airflow runs during ``airflow db migrate`` / ``airflow db reset``.

Discovered through the provider info's ``db-managers`` key. A fresh database gets the tables
from ``metadata.create_all`` plus a stamp; existing ones run the Alembic revisions.
"""

from __future__ import annotations

from pathlib import Path

from airflow.utils.db_manager import BaseDBManager

from airflow_domino_plugin.db.models import metadata

_DB_DIR = Path(__file__).resolve().parent

VERSION_TABLE = "domino_alembic_version"


class DominoDBManager(BaseDBManager):
    """Creates and migrates the ``domino_*`` tables under their own Alembic version table."""

    metadata = metadata
    version_table_name = VERSION_TABLE
    migration_dir = (_DB_DIR / "migrations").as_posix()
    alembic_file = (_DB_DIR / "alembic.ini").as_posix()
    # `airflow db reset` should leave no workflow behind pointing at a wiped Airflow.
    supports_table_dropping = True

    def downgrade(self, to_revision: str, from_revision: str | None = None, show_sql_only: bool = False) -> None:
        from alembic import command

        config = self.get_alembic_config()
        if show_sql_only:
            start = from_revision or self.get_current_revision() or "head"
            command.downgrade(config, revision=f"{start}:{to_revision}", sql=True)
        else:
            command.downgrade(config, revision=to_revision)
