"""HttpRequestPiece: one HTTP request with the standard library (no dependency group needed)."""

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from airflow_domino_sdk import BasePiece

from .models import BodyFormat, InputModel, OutputModel, SecretsModel


def _with_query(url: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def _without_query(url: str) -> str:
    """What is safe to log: query strings often carry keys."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query="", fragment=""))


def _parse_json(text: str, content_type: str) -> dict[str, Any] | list[Any] | None:
    if "json" not in content_type and not text.lstrip().startswith(("{", "[")):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None


class HttpRequestPiece(BasePiece):
    """Calls an HTTP endpoint and returns status, text, parsed JSON and headers."""

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel | None = None) -> OutputModel:
        url = _with_query(input_data.url, [(p.name, p.value) for p in input_data.query_params])
        headers = {h.name: h.value for h in input_data.headers}
        token = secrets_data.API_TOKEN if secrets_data else None
        if token:
            headers[input_data.token_header] = f"{input_data.token_prefix}{token}"
        data: bytes | None = None
        if input_data.body_format is BodyFormat.json:
            data = json.dumps(input_data.json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif input_data.body_format is BodyFormat.text:
            data = input_data.text_body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        request = urllib.request.Request(url, data=data, headers=headers, method=input_data.method.value)
        self.logger.info("%s %s", input_data.method.value, _without_query(url))
        try:
            with urllib.request.urlopen(request, timeout=input_data.timeout_seconds) as response:
                status = int(response.status)
                raw = response.read()
                message: Message = response.headers
                final_url = response.geturl()
        except urllib.error.HTTPError as exc:  # 4xx/5xx (and unfollowed 3xx) still carry a response
            status, raw, message, final_url = exc.code, exc.read(), exc.headers, exc.geturl()
        except urllib.error.URLError as exc:
            raise RuntimeError(f"request to {_without_query(url)} failed: {exc.reason}") from exc
        charset = message.get_content_charset() or "utf-8"
        text = raw.decode(charset, errors="replace")
        response_headers: dict[str, str] = {}
        for name, value in message.items():
            key = name.lower()
            response_headers[key] = f"{response_headers[key]}, {value}" if key in response_headers else value
        self.logger.info("-> %s, %d bytes", status, len(raw))
        if status >= 400 and input_data.fail_on_error_status:
            raise RuntimeError(f"{input_data.method.value} {_without_query(url)} returned {status}: {text[:500]}")
        return OutputModel(
            status_code=status,
            ok=status < 400,
            text=text,
            json_data=_parse_json(text, message.get_content_type()),
            headers=response_headers,
            final_url=final_url,
        )
