"""``/pieces``: the catalog of installed pieces with their schemas and docs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.api.limits import MAX_DB_INT, DbId
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.db.models import Piece
from airflow_domino_plugin.services import repositories as service
from airflow_domino_plugin.workflows.dynamic_outputs import declaring_inputs

router = APIRouter(prefix="/pieces", tags=["pieces"], dependencies=[requires(Permission.READ)])


class PieceSummary(BaseModel):
    id: int
    name: str
    description: str
    repository_id: int
    repository: str
    version: str
    tags: list[str]
    style: dict[str, Any]

    @classmethod
    def of(cls, piece: Piece) -> PieceSummary:
        return cls(
            id=piece.id,
            name=piece.name,
            description=piece.description,
            repository_id=piece.repository_id,
            repository=piece.repository.name,
            version=piece.repository.version,
            tags=[str(t) for t in piece.tags],
            style=piece.style,
        )


class PieceOut(PieceSummary):
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    secrets_schema: dict[str, Any]
    dependency: dict[str, Any]
    container_resources: dict[str, Any]
    source_url: str
    dynamic_output_inputs: list[str] = Field(
        default_factory=list,
        description="Inputs whose items declare outputs (Domino's `output_args`: lists of `{name, type, "
        "description}`); each item becomes an output of the task, typed by its `type`.",
    )


@router.get("", response_model=PageOut[PieceSummary])
def list_pieces(
    session: SessionDep,
    search: Annotated[str, Query(max_length=200, description="Matches name, description and tags")] = "",
    repository_id: Annotated[
        int | None, Query(ge=1, le=MAX_DB_INT, description="Only pieces of this repository version")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageOut[PieceSummary]:
    page = service.list_pieces(session, search=search, repository_id=repository_id, limit=limit, offset=offset)
    return PageOut(items=[PieceSummary.of(p) for p in page.items], total=page.total)


@router.get("/{piece_id}", response_model=PieceOut)
def get_piece(piece_id: DbId, session: SessionDep) -> PieceOut:
    piece = service.get_piece(session, piece_id)
    return PieceOut(
        **PieceSummary.of(piece).model_dump(),
        input_schema=piece.input_schema,
        output_schema=piece.output_schema,
        secrets_schema=piece.secrets_schema,
        dependency=piece.dependency,
        container_resources=piece.container_resources,
        source_url=piece.source_url,
        dynamic_output_inputs=declaring_inputs(piece.input_schema or {}, piece.output_schema or {}),
    )
