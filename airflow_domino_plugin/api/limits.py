"""Limits on what a request may carry, so hostile input answers 4xx instead of 500.

- :class:`BodySizeLimit`: bodies above ``[domino] max_request_bytes`` answer 413, whether the
  client announces the size (``Content-Length``) or streams it (counted as it arrives). It wraps
  only this plugin's app, never Airflow's own routes.
- :data:`DbInt` / :data:`DbId`: integers that fit every database column we query with them
  (PostgreSQL ``integer`` is 32-bit; beyond it the driver raises and the route would answer 500).
- JSON nesting is limited where values are declared (``workflows.document.check_depth``).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import HTTPException, Path, Query
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airflow_domino_plugin import config

MAX_DB_INT = 2**31 - 1

DbId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
OptionalDbIdQuery = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]


class RequestTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"The request body is larger than the limit of {limit} bytes ([domino] max_request_bytes).",
        )


def max_request_bytes() -> int:
    try:
        return max(0, int(config.get("max_request_bytes")))
    except (KeyError, ValueError):
        return 0


def _too_large_body(limit: int) -> bytes:
    message = f"The request body is larger than the limit of {limit} bytes ([domino] max_request_bytes)."
    return json.dumps({"detail": message, "errors": [{"path": "body", "message": f"At most {limit} bytes."}]}).encode()


class BodySizeLimit:
    """ASGI middleware: 413 for request bodies above the limit (0 = no limit)."""

    def __init__(self, app: ASGIApp, limit: int | None = None) -> None:
        self.app = app
        self._limit = limit

    @property
    def limit(self) -> int:
        return self._limit if self._limit is not None else max_request_bytes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit
        if scope["type"] != "http" or limit <= 0:
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = 0
                if announced > limit:
                    await _send_413(send, limit)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLarge:
            if not started:
                await _send_413(send, limit)


async def _send_413(send: Send, limit: int) -> None:
    body = _too_large_body(limit)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
