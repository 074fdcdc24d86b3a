"""The API server's session and user dependencies and the active auth manager (for ``api/`` and ``views/``).

Which auth manager is active is answered with ``isinstance`` against the classes Airflow and the
FAB provider ship (imported lazily: the FAB provider may not be installed), not by class name,
so a subclass of either counts as that kind.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Literal

from airflow.api_fastapi.common.db.common import SessionDep
from airflow.api_fastapi.core_api.security import GetUserDep
from fastapi import Depends, HTTPException, Request

from airflow_domino_plugin.airflow_adapter._compat import parameters
from airflow_domino_plugin.airflow_adapter.rest import AirflowApi, Caller

AuthManagerKind = Literal["simple", "fab", "other"]

__all__ = [
    "AirflowApiDep",
    "AuthManagerKind",
    "GetUserDep",
    "SessionDep",
    "airflow_api",
    "auth_manager",
    "auth_manager_kind",
    "connection_details",
    "current_user_or_none",
    "dag_details",
    "dag_run_access_entity",
    "hitl_access_entity",
    "variable_details",
]


def airflow_api(request: Request) -> AirflowApi:
    """Airflow's REST API as the user of ``request``; ``rest.call`` forwards only their credentials."""
    return AirflowApi(Caller(tuple(request.headers.items())))


AirflowApiDep = Annotated[AirflowApi, Depends(airflow_api)]
"""A route parameter: Airflow's REST API as the requesting user."""


def auth_manager() -> Any:
    """The active auth manager; raises ``RuntimeError`` outside the API server."""
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager()


def auth_manager_kind(manager: Any) -> AuthManagerKind:
    """``simple`` (every custom view granted to every role), ``fab`` (owns a permission store) or ``other``."""
    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager

    if isinstance(manager, SimpleAuthManager):
        return "simple"
    try:
        from airflow.providers.fab.auth_manager.fab_auth_manager import FabAuthManager
    except ImportError:
        return "other"
    return "fab" if isinstance(manager, FabAuthManager) else "other"


def dag_details(dag_id: str) -> Any:
    from airflow.api_fastapi.auth.managers.models.resource_details import DagDetails

    return DagDetails(id=dag_id)


def dag_run_access_entity() -> Any:
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity

    return DagAccessEntity.RUN


def hitl_access_entity() -> Any:
    """What Airflow's ``hitlDetails`` routes check (``HITL_DETAIL``; the run entity where it is missing)."""
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity

    return getattr(DagAccessEntity, "HITL_DETAIL", DagAccessEntity.RUN)


def variable_details(key: str) -> Any:
    from airflow.api_fastapi.auth.managers.models.resource_details import VariableDetails

    return VariableDetails(key=key)


def connection_details(conn_id: str) -> Any:
    from airflow.api_fastapi.auth.managers.models.resource_details import ConnectionDetails

    return ConnectionDetails(conn_id=conn_id)


async def current_user_or_none(request: Request) -> Any | None:
    """The user the request is logged in as (bearer token or the UI's cookie), or None.

    ``get_user`` is a FastAPI dependency whose other parameters (the OAuth2 and bearer schemes)
    changed between releases; called directly, every parameter after the request is given
    None, so the request's own header and cookie decide.
    """
    from airflow.api_fastapi.core_api.security import get_user

    names = [n for n in parameters(get_user) if n != "request"]
    call = get_user(request, **dict.fromkeys(names))
    try:
        return await call if inspect.isawaitable(call) else call
    except HTTPException:
        return None
