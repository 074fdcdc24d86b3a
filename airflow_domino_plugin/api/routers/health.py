"""The only public route: is the plugin loaded and its database reachable."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from airflow_domino_plugin import __version__
from airflow_domino_plugin.airflow_adapter.auth import SessionDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", response_model=Health, summary="Plugin health (public)")
def health(session: SessionDep) -> Health:
    try:
        session.execute(text("SELECT 1 FROM domino_workflows WHERE 1 = 0"))
        database = "ok"
    except Exception:
        database = "unavailable"
    return Health(status="ok" if database == "ok" else "degraded", version=__version__, database=database)
