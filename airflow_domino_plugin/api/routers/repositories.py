"""``/repositories``: installed piece repository versions, installing new ones, upgrade reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.airflow_adapter.auth import SessionDep
from airflow_domino_plugin.api.authorization import Permission, is_allowed, requires, user_name
from airflow_domino_plugin.api.limits import DbId
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.db.models import InstallJob, Repository
from airflow_domino_plugin.services import repositories as service
from airflow_domino_plugin.services import source_access

router = APIRouter(prefix="/repositories", tags=["repositories"])

SourceType = Literal["local", "git", "github"]


class RepositoryOut(BaseModel):
    id: int
    name: str
    label: str
    version: str
    description: str
    source_type: str
    source_url: str
    source_ref: str
    commit_sha: str
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
            commit_sha=repository.commit_sha,
            status="installed",
            piece_count=piece_count,
            installed_at=repository.installed_at,
            installed_by=repository.installed_by,
        )


class InstallBody(BaseModel):
    source_type: SourceType = Field(description="`local` folder, any `git` URL, or `github` (owner/name)")
    source_url: str = Field(min_length=1, max_length=2000, description="Folder path, git URL, or owner/name")
    version: str = Field(default="", max_length=250, description="Tag to install (git/GitHub); empty: default branch")


class InstallJobOut(BaseModel):
    id: str
    source_type: str
    source_url: str
    version: str
    state: str = Field(description="queued | running | succeeded | failed")
    step: str
    progress: int = Field(description="Percent done")
    log: list[dict[str, Any]]
    error: str
    repository_id: int | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: InstallJob) -> InstallJobOut:
        return cls(
            id=job.id,
            source_type=job.source_type,
            source_url=job.source_url,
            version=job.source_ref,
            state=job.state,
            step=job.step,
            progress=job.progress,
            log=list(job.log),
            error=job.error,
            repository_id=job.repository_id,
            created_by=job.created_by,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )


def _session_factory() -> Session:
    return airflow_adapter.metadata_session(expire_on_commit=False)


@router.get("", response_model=PageOut[RepositoryOut], dependencies=[requires(Permission.READ)])
def list_repositories(session: SessionDep, limit: Limit = 50, offset: Offset = 0) -> PageOut[RepositoryOut]:
    page = service.list_repositories(session, limit=limit, offset=offset)
    counts = service.piece_counts(session, [r.id for r in page.items])
    return PageOut(items=[RepositoryOut.of(r, counts.get(r.id, 0)) for r in page.items], total=page.total)


@router.post(
    "/installs",
    response_model=InstallJobOut,
    status_code=202,
    summary="Install a repository version in the background; poll the returned job for progress",
)
def install(body: InstallBody, session: SessionDep, user: Any = requires(Permission.ADMIN, "POST")) -> InstallJobOut:
    source_access.check_install_source(body.source_type, body.source_url)
    job = service.start_install(
        session,
        _session_factory,
        source_type=body.source_type,
        url=body.source_url,
        ref=body.version,
        user=user_name(user),
    )
    return InstallJobOut.of(job)


@router.get("/installs", response_model=PageOut[InstallJobOut], dependencies=[requires(Permission.READ)])
def list_installs(session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> PageOut[InstallJobOut]:
    page = service.list_jobs(session, limit=limit, offset=offset)
    return PageOut(items=[InstallJobOut.of(j) for j in page.items], total=page.total)


@router.get("/installs/{job_id}", response_model=InstallJobOut, dependencies=[requires(Permission.READ)])
def get_install(job_id: str, session: SessionDep) -> InstallJobOut:
    return InstallJobOut.of(service.get_job(session, job_id))


@router.get(
    "/versions",
    summary="Versions (tags) a source offers, before installing one",
    description="Sources that are not installed yet, local folders and file:// URLs need the admin permission "
    "(the server contacts or reads them).",
    responses={403: {"description": "Needs the admin permission for this source, or outside the allowed roots"}},
)
def available_versions(
    source_type: Annotated[SourceType, Query()],
    source_url: Annotated[str, Query(min_length=1, max_length=2000)],
    session: SessionDep,
    user: Any = requires(Permission.READ),
) -> dict[str, list[str]]:
    is_admin = is_allowed(Permission.ADMIN, user, method="GET")
    source_access.check_versions_source(session, source_type, source_url, is_admin=is_admin)
    return {"versions": service.available_versions(source_type, source_url)}


@router.get("/{repository_id}", response_model=RepositoryOut, dependencies=[requires(Permission.READ)])
def get_repository(repository_id: DbId, session: SessionDep) -> RepositoryOut:
    repository = service.get_repository(session, repository_id)
    counts = service.piece_counts(session, [repository.id])
    return RepositoryOut.of(repository, counts.get(repository.id, 0))


@router.delete(
    "/{repository_id}",
    status_code=204,
    dependencies=[requires(Permission.ADMIN, "DELETE")],
    responses={409: {"description": "A workflow still uses this version"}},
)
def delete_repository(repository_id: DbId, session: SessionDep) -> Response:
    service.delete_repository(session, repository_id)
    return Response(status_code=204)


@router.get(
    "/{repository_id}/upgrade-report",
    dependencies=[requires(Permission.READ)],
    summary="Pieces added/removed and inputs/outputs added, removed or retyped in another installed version",
)
def upgrade_report(
    repository_id: DbId, session: SessionDep, to_version: Annotated[str, Query(min_length=1, max_length=250)]
) -> dict[str, Any]:
    return service.upgrade_report(session, repository_id, to_version)
