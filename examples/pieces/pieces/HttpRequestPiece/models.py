"""Models of HttpRequestPiece."""

from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"
    HEAD = "HEAD"


class BodyFormat(StrEnum):
    none = "none"
    json = "json"
    text = "text"


class NameValue(BaseModel):
    """One header or query parameter."""

    name: str = Field(title="Name", min_length=1, description="Header or parameter name, e.g. `Accept`.")
    value: str = Field(default="", title="Value", description="Its value; may come from an upstream output.")


class InputModel(BaseModel):
    """HttpRequestPiece input."""

    url: str = Field(
        title="URL",
        description="An http:// or https:// URL. Query parameters below are appended to it.",
        examples=["https://api.example.org/orders"],
    )
    method: HttpMethod = Field(default=HttpMethod.GET, title="Method", description="HTTP method.")
    headers: list[NameValue] = Field(
        default=[],
        title="Headers",
        description="Request headers. For credentials use the API_TOKEN secret instead of a literal header.",
    )
    query_params: list[NameValue] = Field(
        default=[], title="Query parameters", description="Appended to the URL, URL-encoded, in this order."
    )
    body_format: BodyFormat = Field(
        default=BodyFormat.none,
        title="Body format",
        description="`json` sends `json_body` (Content-Type application/json); `text` sends `text_body`.",
        json_schema_extra={"from_upstream": "never"},
    )
    json_body: Any = Field(
        default=None,
        title="JSON body",
        description="Any JSON value, sent when the body format is `json`.",
        json_schema_extra={"widget": "codeeditor-json"},
    )
    text_body: str = Field(
        default="",
        title="Text body",
        description="Sent as UTF-8 when the body format is `text` (set Content-Type with a header).",
        json_schema_extra={"widget": "textarea"},
    )
    timeout_seconds: float = Field(default=30, gt=0, le=600, title="Timeout (s)", description="Per request.")
    fail_on_error_status: bool = Field(
        default=True,
        title="Fail on error status",
        description="Fail the task on a 4xx/5xx response. Off: the response is returned like any other.",
    )
    token_header: str = Field(
        default="Authorization",
        title="Token header",
        description="Header that carries the API_TOKEN secret, when it is set.",
        json_schema_extra={"from_upstream": "never"},
    )
    token_prefix: str = Field(
        default="Bearer ",
        title="Token prefix",
        description="Written before the token, e.g. `Bearer ` or `Token `; empty for a bare key.",
        json_schema_extra={"from_upstream": "never"},
    )

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        # urllib would also open file:// and ftp:// URLs; a workflow must not read worker files this way.
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http:// or https:// URL")
        return value.strip()


class OutputModel(BaseModel):
    """HttpRequestPiece output."""

    status_code: int = Field(title="Status code", description="HTTP status of the response.")
    ok: bool = Field(title="OK", description="True for a 2xx/3xx status.")
    text: str = Field(title="Text", description="Response body decoded as text (charset from Content-Type).")
    json_data: dict[str, Any] | list[Any] | None = Field(
        title="JSON",
        description="The body parsed as JSON when it is an object or an array; null otherwise.",
    )
    headers: dict[str, str] = Field(
        title="Headers", description="Response headers, names lower-cased; repeated headers joined with ', '."
    )
    final_url: str = Field(title="Final URL", description="URL after redirects.")


class SecretsModel(BaseModel):
    """HttpRequestPiece secrets (all optional)."""

    API_TOKEN: str | None = Field(
        default=None, description="Sent in `token_header` (after `token_prefix`) when set; never logged."
    )
