"""Node-test DAGs on demand: workflows record when their first node test was asked for

Revision ID: d0m1n0000003
Revises: d0m1n0000002
Create Date: 2026-12-03

The DAG factory built a node-test DAG for every deployed workflow; it now builds one only for a
workflow whose ``node_tests_since`` is set (the node-test service sets it on the first request).
Workflows that already have node-test runs keep their DAG: the upgrade sets the column for every
workflow with a node-test DAG run recorded in Airflow's ``dag_run`` table (when that table is
there; the plugin's tables can also be migrated on their own). Downgrading drops the column; the
older factory then builds a node-test DAG for every workflow again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d0m1n0000003"
down_revision = "d0m1n0000002"
branch_labels = None
depends_on = None

NODE_TEST_PREFIX = "domino-node-test--"  # dag_factory.node_test.NODE_TEST_PREFIX when this was written


def upgrade() -> None:
    with op.batch_alter_table("domino_workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("node_tests_since", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("dag_run"):
        return
    workflows = sa.table("domino_workflows", sa.column("id", sa.String), sa.column("node_tests_since", sa.DateTime))
    dag_run = sa.table("dag_run", sa.column("dag_id", sa.String), sa.column("run_after", sa.DateTime))
    first_run = (
        sa.select(sa.func.min(dag_run.c.run_after))
        .where(dag_run.c.dag_id == sa.literal(NODE_TEST_PREFIX) + workflows.c.id)
        .scalar_subquery()
    )
    op.execute(workflows.update().values(node_tests_since=first_run).where(workflows.c.node_tests_since.is_(None)))


def downgrade() -> None:
    with op.batch_alter_table("domino_workflows", schema=None) as batch_op:
        batch_op.drop_column("node_tests_since")
