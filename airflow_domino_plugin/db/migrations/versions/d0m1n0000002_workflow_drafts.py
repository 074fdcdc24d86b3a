"""Workflow drafts: revisions may be drafts; workflows point at the revision their DAG runs

Revision ID: d0m1n0000002
Revises: d0m1n0000001
Create Date: 2026-12-02

Every existing revision was saved valid, so it is not a draft, and each workflow's DAG runs its
current revision. Downgrading points each workflow's current revision back at its deployed one
(the drafts stay as plain revisions in the history); a workflow that only ever had drafts keeps
its draft as current, which the older DAG factory reports as a build error.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d0m1n0000002"
down_revision = "d0m1n0000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("domino_workflow_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("domino_workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deployed_revision_id", sa.Integer(), nullable=True))
    op.execute("UPDATE domino_workflows SET deployed_revision_id = current_revision_id")


def downgrade() -> None:
    op.execute(
        "UPDATE domino_workflows SET current_revision_id = deployed_revision_id WHERE deployed_revision_id IS NOT NULL"
    )
    with op.batch_alter_table("domino_workflows", schema=None) as batch_op:
        batch_op.drop_column("deployed_revision_id")
    with op.batch_alter_table("domino_workflow_revisions", schema=None) as batch_op:
        batch_op.drop_column("draft")
