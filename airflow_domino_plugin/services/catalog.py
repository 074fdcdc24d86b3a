"""The installed pieces as the workflow validator sees them, read from the ``domino_pieces`` table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec


def catalog_for(session: Session, repositories: set[str]) -> InMemoryPieceCatalog:
    """Every installed version of the named repositories: enough to validate a document, in one query."""
    catalog = InMemoryPieceCatalog()
    if not repositories:
        return catalog
    rows = session.execute(
        select(Repository.name, Repository.version, Piece)
        .join(Piece, Piece.repository_id == Repository.id)
        .where(Repository.name.in_(repositories))
    )
    for name, version, piece in rows.tuples():
        catalog.add(
            PieceSpec(
                repository=name,
                version=version,
                name=piece.name,
                input_schema=piece.input_schema,
                output_schema=piece.output_schema,
                secrets_schema=piece.secrets_schema or None,
            )
        )
    return catalog
