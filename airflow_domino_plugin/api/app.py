"""The plugin's FastAPI application, mounted by Airflow's API server at ``/domino``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from airflow_domino_plugin import __version__
from airflow_domino_plugin.api.authorization import Permission, register_fab_permissions, requires
from airflow_domino_plugin.api.errors import document_errors, install_error_handlers
from airflow_domino_plugin.api.limits import BodySizeLimit
from airflow_domino_plugin.api.routers import (
    approvals,
    health,
    info,
    node_tests,
    pieces,
    repositories,
    runs,
    schemas,
    secrets,
    workflow_import,
    workflows,
)
from airflow_domino_plugin.views import ui

API_PREFIX = "/api/v1"

DESCRIPTION = """REST API of airflow-domino-plugin: piece repositories, pieces, workflows and their runs.

Authenticate like Airflow's own API: `POST /auth/token` with a username and password gives a
JWT to send as `Authorization: Bearer <token>`; in a browser the Airflow session cookie works.
Paged lists answer `{"items": [...], "total": n}` and take `limit`/`offset`; every 4xx answers
`{"detail": message, "errors": [{"path", "message"}]}`. Request bodies above
`[domino] max_request_bytes` answer 413."""


def create_app() -> FastAPI:
    app = FastAPI(
        title="Domino for Airflow",
        version=__version__,
        description=DESCRIPTION,
        # Served below by routes that require an Airflow login: only /health is public.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    _document_errors_in_openapi(app)
    for module in (
        health,
        info,
        repositories,
        pieces,
        workflows,
        workflow_import,
        runs,
        approvals,
        node_tests,
        secrets,
        schemas,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(_docs_router(app), prefix=API_PREFIX)
    app.include_router(ui.router)
    register_fab_permissions()
    return app


def _document_errors_in_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _docs_router(app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[requires(Permission.READ)])

    @router.get("/openapi.json")
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @router.get("/docs")
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="openapi.json", title=f"{app.title} - API documentation")

    return router


class LazyApp:
    """An ASGI app that builds the real one on first use.

    Airflow imports plugins in every component (scheduler, workers, DAG processor); only the
    API server serves this app, so the others should not pay for building it.
    """

    def __init__(self) -> None:
        self._app: FastAPI | None = None

    @property
    def app(self) -> FastAPI:
        if self._app is None:
            self._app = create_app()
        return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
