"""``/secrets``: the secrets installed pieces declare; values are write-only (no route returns one)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import AirflowApiDep, SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.api.paging import PageOut
from airflow_domino_plugin.services import secrets as service

router = APIRouter(prefix="/secrets", tags=["secrets"])

# Marks routes a read-only role may not even GET (tests/integration/test_auth.py reads it).
NEEDS_MANAGE_SECRETS = {"x-domino-permission": "manage_secrets"}


class SecretOut(BaseModel):
    repository: str
    name: str
    pieces: list[str] = Field(description="Pieces of the repository (any installed version) that declare it")
    description: str
    required: bool = Field(description="Required by at least one of those pieces")
    variable: str = Field(description='The Airflow Variable holding it; bind it as {"variable": "<this>"}')
    is_set: bool

    @classmethod
    def of(cls, secret: service.DeclaredSecret) -> SecretOut:
        return cls(
            repository=secret.repository,
            name=secret.name,
            pieces=secret.pieces,
            description=secret.description,
            required=secret.required,
            variable=secret.variable,
            is_set=secret.is_set,
        )


class SecretValue(BaseModel):
    value: str = Field(description="The secret value (never returned by any route)", min_length=1)


@router.get(
    "",
    response_model=PageOut[SecretOut],
    dependencies=[requires(Permission.MANAGE_SECRETS, "GET")],
    openapi_extra=NEEDS_MANAGE_SECRETS,
    summary="Every secret declared by an installed piece, and whether it is set",
)
def list_secrets(session: SessionDep) -> PageOut[SecretOut]:
    items = [SecretOut.of(s) for s in service.declared_secrets(session)]
    return PageOut(items=items, total=len(items))


@router.put(
    "/{repository}/{name}",
    status_code=204,
    summary="Set a secret (stored encrypted as an Airflow Variable)",
    responses={404: {"description": "No installed piece declares this secret"}},
)
def set_secret(
    repository: str,
    name: str,
    body: SecretValue,
    session: SessionDep,
    airflow: AirflowApiDep,
    user: Any = requires(Permission.MANAGE_SECRETS, "PUT"),
) -> Response:
    service.set_secret(session, repository, name, body.value, airflow=airflow)
    return Response(status_code=204)


@router.delete(
    "/{repository}/{name}",
    status_code=204,
    summary="Remove a secret's value",
    responses={404: {"description": "Neither declared nor set"}},
)
def delete_secret(
    repository: str,
    name: str,
    session: SessionDep,
    airflow: AirflowApiDep,
    user: Any = requires(Permission.MANAGE_SECRETS, "DELETE"),
) -> Response:
    service.delete_secret(session, repository, name, airflow=airflow)
    return Response(status_code=204)
