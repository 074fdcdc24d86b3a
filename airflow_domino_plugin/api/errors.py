"""Error responses: ``{"detail": message, "errors": [{"path", "message"}]}`` everywhere."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from airflow_domino_plugin.services.errors import InvalidInput, ServiceError


def _path(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body",)]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


async def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    body: dict[str, Any] = {"detail": exc.message, **exc.extra}
    if isinstance(exc, InvalidInput):
        body["errors"] = [issue.as_dict() for issue in exc.issues]
    return JSONResponse(body, status_code=exc.status)


async def _request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"path": _path(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
    summary = "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5])
    return JSONResponse({"detail": f"Invalid request: {summary}", "errors": errors}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
