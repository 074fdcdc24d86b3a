"""Error responses: ``{"detail": message, "errors": [{"path", "message"}]}`` everywhere.

The same shape is what the OpenAPI document promises for every 4xx answer (see
:func:`document_errors`), so clients and fuzzers can rely on it; FastAPI's default
``HTTPValidationError`` schema (a list under ``detail``) is never sent and never documented.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from airflow_domino_plugin.services.errors import InvalidInput, ServiceError


class ErrorItem(BaseModel):
    """One problem with the request: where (a JSON path such as ``tasks[0].id``) and what was expected."""

    model_config = ConfigDict(extra="allow")

    path: str = Field(description="JSON path of the field (`query.limit`, `document.tasks[0].id`, `body`)")
    message: str
    pointer: str = Field(default="", description="The same place as a JSON pointer, when known")
    code: str = Field(default="", description="Machine-readable kind of problem, when known")


class ErrorOut(BaseModel):
    """Every 4xx answer; some add fields (a 409 on a stale save names the current revision)."""

    model_config = ConfigDict(extra="allow")

    detail: str = Field(description="What went wrong, for a person")
    errors: list[ErrorItem] = Field(default_factory=list, description="Each problem with its field path")


def _path(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body",)]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


async def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    body: dict[str, Any] = {"detail": exc.message, "errors": [], **exc.extra}
    if isinstance(exc, InvalidInput):
        body["errors"] = [issue.as_dict() for issue in exc.issues]
    return JSONResponse(body, status_code=exc.status)


async def _request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"path": _path(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
    summary = "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5])
    return JSONResponse({"detail": f"Invalid request: {summary}", "errors": errors}, status_code=422)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    errors: list[dict[str, str]] = []
    if exc.status_code == 400 and "parsing the body" in detail:
        detail = "The request body is not valid JSON."
        errors = [{"path": "body", "message": "Send a JSON document (Content-Type: application/json)."}]
    return JSONResponse({"detail": detail, "errors": errors}, status_code=exc.status_code, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/ErrorOut"}
_CLIENT_ERROR = "Client error (401 not logged in, 403 not allowed, 404 not found, 409 conflict, 413 too large, …)"


def document_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document promise :class:`ErrorOut` for every 4xx answer of every route."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorItem"] = ErrorItem.model_json_schema(ref_template="#/components/schemas/{model}")
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    error_schema.pop("$defs", None)
    schemas["ErrorOut"] = error_schema
    content = {"application/json": {"schema": ERROR_SCHEMA_REF}}
    for methods in spec.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, response in responses.items():
                if str(status).startswith("4"):
                    response["content"] = content
            responses.setdefault("4XX", {"description": _CLIENT_ERROR, "content": content})
            if "422" in responses and responses["422"].get("description") == "Validation Error":
                responses["422"]["description"] = "Invalid request: `errors` names each field"
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec
