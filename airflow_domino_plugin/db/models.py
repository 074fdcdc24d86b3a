"""SQLAlchemy models of the plugin's tables.

They live on their own ``MetaData`` (not Airflow's) so the plugin's DB manager creates, stamps
and migrates exactly these tables, under its own Alembic version table. Keep this file and
``migrations/versions`` in step: a test compares them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from airflow_domino_plugin.db.types import UtcDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Repository(Base):
    """One installed version of a pieces repository."""

    __tablename__ = "domino_repositories"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(250))
    version: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(250), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    registry_name: Mapped[str] = mapped_column(String(250), default="")
    source_type: Mapped[str] = mapped_column(String(20))  # github | git | local
    source_url: Mapped[str] = mapped_column(String(2000))
    source_ref: Mapped[str] = mapped_column(String(250), default="")
    commit_sha: Mapped[str] = mapped_column(String(64), default="")
    path: Mapped[str] = mapped_column(String(2000), default="")
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dependencies_map: Mapped[dict[str, Any]] = mapped_column(default=dict)
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)
    installed_by: Mapped[str] = mapped_column(String(250), default="")

    pieces: Mapped[list[Piece]] = relationship(
        back_populates="repository", cascade="all, delete-orphan", passive_deletes=True
    )


class Piece(Base):
    """A piece of an installed repository version, with its JSON schemas."""

    __tablename__ = "domino_pieces"
    __table_args__ = (UniqueConstraint("repository_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("domino_repositories.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    dependency: Mapped[dict[str, Any]] = mapped_column(default=dict)
    container_resources: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    style: Mapped[dict[str, Any]] = mapped_column(default=dict)
    input_schema: Mapped[dict[str, Any]] = mapped_column(default=dict)
    output_schema: Mapped[dict[str, Any]] = mapped_column(default=dict)
    secrets_schema: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source_url: Mapped[str] = mapped_column(String(2000), default="")

    repository: Mapped[Repository] = relationship(back_populates="pieces")


class InstallJob(Base):
    """An asynchronous repository installation and its progress, for the API and the GUI."""

    __tablename__ = "domino_install_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_type: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str] = mapped_column(String(2000))
    source_ref: Mapped[str] = mapped_column(String(250), default="")
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued|running|succeeded|failed
    step: Mapped[str] = mapped_column(String(250), default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    log: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("domino_repositories.id", ondelete="SET NULL"), nullable=True
    )
    created_by: Mapped[str] = mapped_column(String(250), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Workflow(Base):
    """A workflow: its identity (the dag_id) and a pointer to its current revision."""

    __tablename__ = "domino_workflows"

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # Not a foreign key: workflows and revisions point at each other, and the service layer
    # updates both in one transaction.
    current_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The revision the DAG is built from: the latest one saved valid (not a draft). None while the
    # workflow has only drafts, so it has no DAG. A draft saved later moves current_revision_id
    # (what the editor opens) but not this, so the deployed DAG keeps running.
    deployed_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # When the workflow's first node test was asked for. The DAG factory builds the workflow's
    # one-task node-test DAG only from then on, so workflows nobody tests add no DAG to parse.
    node_tests_since: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(250), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(250), default="")

    revisions: Mapped[list[WorkflowRevision]] = relationship(
        back_populates="workflow", cascade="all, delete-orphan", passive_deletes=True
    )


class WorkflowRevision(Base):
    """An immutable revision of a workflow document."""

    __tablename__ = "domino_workflow_revisions"
    __table_args__ = (UniqueConstraint("workflow_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(ForeignKey("domino_workflows.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column()
    message: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(250), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A draft may be incomplete or invalid; it is never deployed as a DAG.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    workflow: Mapped[Workflow] = relationship(back_populates="revisions")
