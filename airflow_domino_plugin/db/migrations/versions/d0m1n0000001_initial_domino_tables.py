"""Initial domino tables

Revision ID: d0m1n0000001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d0m1n0000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "domino_repositories",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=250), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("registry_name", sa.String(length=250), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("source_ref", sa.String(length=250), nullable=False),
        sa.Column("commit_sha", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("dependencies_map", sa.JSON(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("installed_by", sa.String(length=250), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domino_repositories")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_domino_repositories_name")),
    )
    op.create_table(
        "domino_workflows",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=250), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=250), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domino_workflows")),
    )
    op.create_table(
        "domino_install_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("source_ref", sa.String(length=250), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=250), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("log", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["domino_repositories.id"],
            name=op.f("fk_domino_install_jobs_repository_id_domino_repositories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domino_install_jobs")),
    )
    op.create_table(
        "domino_pieces",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("dependency", sa.JSON(), nullable=False),
        sa.Column("container_resources", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("style", sa.JSON(), nullable=False),
        sa.Column("input_schema", sa.JSON(), nullable=False),
        sa.Column("output_schema", sa.JSON(), nullable=False),
        sa.Column("secrets_schema", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["domino_repositories.id"],
            name=op.f("fk_domino_pieces_repository_id_domino_repositories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domino_pieces")),
        sa.UniqueConstraint("repository_id", "name", name=op.f("uq_domino_pieces_repository_id")),
    )
    with op.batch_alter_table("domino_pieces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domino_pieces_repository_id"), ["repository_id"], unique=False)

    op.create_table(
        "domino_workflow_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workflow_id", sa.String(length=250), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["domino_workflows.id"],
            name=op.f("fk_domino_workflow_revisions_workflow_id_domino_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domino_workflow_revisions")),
        sa.UniqueConstraint("workflow_id", "number", name=op.f("uq_domino_workflow_revisions_workflow_id")),
    )
    with op.batch_alter_table("domino_workflow_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domino_workflow_revisions_workflow_id"), ["workflow_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("domino_workflow_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domino_workflow_revisions_workflow_id"))

    op.drop_table("domino_workflow_revisions")
    with op.batch_alter_table("domino_pieces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domino_pieces_repository_id"))

    op.drop_table("domino_pieces")
    op.drop_table("domino_install_jobs")
    op.drop_table("domino_workflows")
    op.drop_table("domino_repositories")
