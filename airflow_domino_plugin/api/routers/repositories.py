"""``/repositories``: installed piece repository versions."""

from __future__ import annotations

from datetime import datetime

from airflow.api_fastapi.common.db.common import SessionDep
from fastapi import APIRouter
from pydantic import BaseModel

from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.db.models import Repository
from airflow_domino_plugin.services import repositories as service

router = APIRouter(prefix="/repositories", tags=["repositories"])


class RepositoryOut(BaseModel):
    id: int
    name: str
    label: str
    version: str
    description: str
    source_type: str
    source_url: str
    source_ref: str
    status: str
    piece_count: int
    installed_at: datetime
    installed_by: str

    @classmethod
    def of(cls, repository: Repository, piece_count: int) -> RepositoryOut:
        return cls(
            id=repository.id,
            name=repository.name,
            label=repository.label,
            version=repository.version,
            description=repository.description,
            source_type=repository.source_type,
            source_url=repository.source_url,
            source_ref=repository.source_ref,
            status="installed",
            piece_count=piece_count,
            installed_at=repository.installed_at,
            installed_by=repository.installed_by,
        )


@router.get("", response_model=PageOut[RepositoryOut], dependencies=[requires(Permission.READ)])
def list_repositories(session: SessionDep, limit: Limit = 50, offset: Offset = 0) -> PageOut[RepositoryOut]:
    page = service.list_repositories(session, limit=limit, offset=offset)
    counts = service.piece_counts(session, [r.id for r in page.items])
    return PageOut(items=[RepositoryOut.of(r, counts.get(r.id, 0)) for r in page.items], total=page.total)


@router.get("/{repository_id}", response_model=RepositoryOut, dependencies=[requires(Permission.READ)])
def get_repository(repository_id: int, session: SessionDep) -> RepositoryOut:
    repository = service.get_repository(session, repository_id)
    counts = service.piece_counts(session, [repository.id])
    return RepositoryOut.of(repository, counts.get(repository.id, 0))
