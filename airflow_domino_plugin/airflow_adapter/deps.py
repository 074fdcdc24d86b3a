"""The API server's FastAPI dependencies for a database session and the logged-in user.

Kept apart from the rest of the adapter because importing them loads Airflow's API-server
modules; the package exposes them lazily.
"""

from __future__ import annotations

from airflow.api_fastapi.common.db.common import SessionDep
from airflow.api_fastapi.core_api.security import GetUserDep

__all__ = ["GetUserDep", "SessionDep"]
