"""Who am I and what may I do: lets the GUI show only the actions the user can take."""

from __future__ import annotations

from typing import Any

from airflow import __version__ as airflow_version
from fastapi import APIRouter
from pydantic import BaseModel, Field

from airflow_domino_plugin import __version__
from airflow_domino_plugin.api.authorization import Permission, requires, user_id, user_name, user_permissions

router = APIRouter(tags=["info"])


class UserInfo(BaseModel):
    name: str
    id: str | None = Field(
        default=None,
        description="The auth manager's id for the user: what approval respondents list (FAB: a number)",
    )


class Info(BaseModel):
    version: str
    airflow_version: str
    user: UserInfo
    permissions: dict[str, bool]


@router.get("/info", response_model=Info, summary="Plugin version, current user and permissions")
def info(user: Any = requires(Permission.READ)) -> Info:
    return Info(
        version=__version__,
        airflow_version=airflow_version,
        user=UserInfo(name=user_name(user), id=user_id(user)),
        permissions=user_permissions(user),
    )
