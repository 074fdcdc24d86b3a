"""Installed piece repositories: reading what is installed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.services.errors import NotFound
from airflow_domino_plugin.services.paging import Page, paginate


def list_repositories(session: Session, *, limit: int = 50, offset: int = 0) -> Page[Repository]:
    statement = select(Repository).order_by(Repository.name, Repository.installed_at.desc())
    return paginate(session, statement, limit=limit, offset=offset)


def piece_counts(session: Session, repository_ids: list[int]) -> dict[int, int]:
    """Pieces per repository in one query, so a list page does not load every piece."""
    if not repository_ids:
        return {}
    rows = session.execute(
        select(Piece.repository_id, func.count())
        .where(Piece.repository_id.in_(repository_ids))
        .group_by(Piece.repository_id)
    )
    return {repository_id: count for repository_id, count in rows.tuples()}


def get_repository(session: Session, repository_id: int) -> Repository:
    repository = session.get(Repository, repository_id)
    if repository is None:
        raise NotFound(f"Repository {repository_id} is not installed.")
    return repository
