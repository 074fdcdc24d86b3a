"""Who may do what: the plugin's permissions mapped onto Airflow's auth manager.

Every route depends on one of these. The mapping (documented in ``docs/permissions.md``):

========================  ===============================================  ===================
Permission                Checked with the active auth manager             Simple / FAB role
========================  ===============================================  ===================
``READ``                  DAG ``GET``                                      Viewer and up
``EDIT_WORKFLOWS``        DAG ``PUT`` / ``DELETE`` on the workflow's DAG   User and up
``RUN_WORKFLOWS``         DAG run ``POST`` / ``PUT`` on the workflow's DAG User and up
``MANAGE_SECRETS``        Variable and Connection with the same method     Op and up
``ADMIN``                 custom view ``Domino Repositories``              Admin
========================  ===============================================  ===================

The simple auth manager grants every custom view to every role, so for ``ADMIN`` it is asked
for the Admin role instead; with FAB, the ``Domino Repositories`` permissions are created at
API-server start and given to the Admin role (other roles can be granted them in FAB's UI).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any, Literal

from fastapi import Depends, HTTPException, Request, status

from airflow_domino_plugin.airflow_adapter.auth import (
    GetUserDep,
    auth_manager,
    auth_manager_kind,
    connection_details,
    dag_details,
    dag_run_access_entity,
    hitl_access_entity,
    variable_details,
)

log = logging.getLogger(__name__)

ADMIN_RESOURCE = "Domino Repositories"

Method = Literal["GET", "POST", "PUT", "DELETE"]


class Permission(enum.Enum):
    READ = "read"
    EDIT_WORKFLOWS = "edit_workflows"
    RUN_WORKFLOWS = "run_workflows"
    MANAGE_SECRETS = "manage_secrets"
    ADMIN = "admin"


def is_allowed(permission: Permission, user: Any, *, method: Method = "GET", dag_id: str | None = None) -> bool:
    """Ask the active auth manager whether ``user`` has ``permission`` (for ``dag_id`` if given)."""
    manager: Any = auth_manager()
    details = dag_details(dag_id) if dag_id else None
    if permission is Permission.READ:
        return bool(manager.is_authorized_dag(method="GET", details=details, user=user))
    if permission is Permission.EDIT_WORKFLOWS:
        return bool(manager.is_authorized_dag(method=method, details=details, user=user))
    if permission is Permission.RUN_WORKFLOWS:
        return bool(
            manager.is_authorized_dag(method=method, access_entity=dag_run_access_entity(), details=details, user=user)
        )
    if permission is Permission.MANAGE_SECRETS:
        return bool(
            manager.is_authorized_variable(method=method, user=user)
            and manager.is_authorized_connection(method=method, user=user)
        )
    if auth_manager_kind(manager) == "simple":
        return str(getattr(user, "role", "") or "").upper() == "ADMIN"
    return bool(manager.is_authorized_custom_view(method=method, resource_name=ADMIN_RESOURCE, user=user))


def requires(permission: Permission, method: Method = "GET", dag_id_param: str | None = None) -> Any:
    """A FastAPI dependency that authenticates the caller and checks ``permission``.

    ``dag_id_param`` names the path parameter holding the workflow id, so per-DAG grants apply.
    """

    def dependency(request: Request, user: GetUserDep) -> Any:
        dag_id = request.path_params.get(dag_id_param) if dag_id_param else None
        if not is_allowed(permission, user, method=method, dag_id=dag_id):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"Your Airflow role does not allow this ({permission.value.replace('_', ' ')}).",
            )
        return user

    return Depends(dependency)


def step_responder(user: Any) -> Callable[[str], bool]:
    """Whether ``user`` may answer approval/input steps of a DAG: Airflow's ``PUT`` on its HITL details."""
    manager: Any = auth_manager()

    def may_respond(dag_id: str) -> bool:
        return bool(
            manager.is_authorized_dag(
                method="PUT", access_entity=hitl_access_entity(), details=dag_details(dag_id), user=user
            )
        )

    return may_respond


def dag_reader(user: Any) -> Callable[[str], bool]:
    """Whether ``user`` may read a DAG (``GET``)."""
    return lambda dag_id: is_allowed(Permission.READ, user, dag_id=dag_id)


def user_id(user: Any) -> str | None:
    """The id the auth manager gives the user (what approval respondents list)."""
    getter: Callable[[], Any] | None = getattr(user, "get_id", None)
    return str(getter()) if getter else None


def user_permissions(user: Any) -> dict[str, bool]:
    """What the GUI may offer this user: one flag per permission."""
    return {
        Permission.READ.value: is_allowed(Permission.READ, user),
        Permission.EDIT_WORKFLOWS.value: is_allowed(Permission.EDIT_WORKFLOWS, user, method="PUT"),
        Permission.RUN_WORKFLOWS.value: is_allowed(Permission.RUN_WORKFLOWS, user, method="POST"),
        Permission.MANAGE_SECRETS.value: is_allowed(Permission.MANAGE_SECRETS, user, method="PUT"),
        Permission.ADMIN.value: is_allowed(Permission.ADMIN, user, method="POST"),
    }


def secrets_reader(user: Any) -> Callable[[str, str], bool]:
    """What ``user`` may read, for secret bindings (``services.secret_access``): asked per id with ``GET``."""
    manager: Any = auth_manager()

    def may_read(kind: str, identifier: str) -> bool:
        if kind == "variable":
            details: Any = variable_details(identifier)
            return bool(manager.is_authorized_variable(method="GET", details=details, user=user))
        if kind == "connection":
            details = connection_details(identifier)
            return bool(manager.is_authorized_connection(method="GET", details=details, user=user))
        return is_allowed(Permission.MANAGE_SECRETS, user, method="GET")

    return may_read


def user_name(user: Any) -> str:
    getter: Callable[[], str] | None = getattr(user, "get_name", None)
    return getter() if getter else str(user)


def register_fab_permissions() -> None:
    """Create the ``Domino Repositories`` permissions in FAB and give them to the Admin role.

    Other auth managers are left alone: they answer ``is_authorized_custom_view`` from their own
    policy (for instance Keycloak resources named ``Domino Repositories``).
    """
    try:
        manager: Any = auth_manager()
    except RuntimeError:  # not inside the API server (e.g. building the OpenAPI document offline)
        return
    if auth_manager_kind(manager) != "fab":
        return
    try:
        security_manager = manager.security_manager
        admin = security_manager.find_role("Admin")
        for action in ("can_read", "can_create", "can_edit", "can_delete"):
            permission = security_manager.create_permission(action, ADMIN_RESOURCE)
            if admin is not None and permission is not None:
                security_manager.add_permission_to_role(admin, permission)
    except Exception:  # the API must still start; admin routes then answer 403 and the log says why
        log.exception("Could not register the %r permissions with FAB", ADMIN_RESOURCE)
