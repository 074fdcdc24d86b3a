"""Fixtures for the kubernetes runner tests: ``[domino]`` config, a fake Kubernetes API, task contexts."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def domino_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``[domino]`` options through env vars (Airflow's conf reads them at call time)."""
    storage = tmp_path / "results"
    for name, value in {
        "KUBERNETES_NAMESPACE": "domino-pieces",
        "KUBERNETES_SERVICE_ACCOUNT": "domino-piece",
        "KUBERNETES_IMAGE_PULL_SECRETS": "regcred, ghcr",
        "KUBERNETES_GPU_RESOURCE_NAME": "amd.com/gpu",
        "KUBERNETES_RUNTIME_IMAGE": "registry.example.com/airflow-domino:3.3.2-domino-0.1.0",
        "STORAGE_URL": f"file://{storage}",
    }.items():
        monkeypatch.setenv(f"AIRFLOW__DOMINO__{name}", value)
    # The XCom sidecar image is read from this connection while building the pod.
    monkeypatch.setenv("AIRFLOW_CONN_KUBERNETES_DEFAULT", json.dumps({"conn_type": "kubernetes"}))
    return storage


@dataclass
class FakeKubernetesAPI:
    """Secrets endpoints of the Kubernetes API, in memory, as JSON over HTTP."""

    url: str = ""
    secrets: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_SECRETS = re.compile(r"^/api/v1/namespaces/(?P<ns>[^/]+)/secrets(?:/(?P<name>[^/?]+))?(?:\?.*)?$")


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": reason,
        "message": message,
        "code": code,
    }


@pytest.fixture
def kube_api() -> Iterator[FakeKubernetesAPI]:
    api = FakeKubernetesAPI()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            match = _SECRETS.match(self.path)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            with api.lock:
                api.calls.append(("POST", self.path))
                if not match or match["name"]:
                    return self._answer(404, _status(404, "NotFound", self.path))
                key = (match["ns"], body["metadata"]["name"])
                if key in api.secrets:
                    return self._answer(409, _status(409, "AlreadyExists", f"secrets {key[1]!r} already exists"))
                body["metadata"].update(namespace=match["ns"], uid=f"uid-{len(api.calls)}", resourceVersion="1")
                api.secrets[key] = body
            return self._answer(201, body)

        def do_DELETE(self) -> None:
            match = _SECRETS.match(self.path)
            with api.lock:
                api.calls.append(("DELETE", self.path))
                if not match or not match["name"]:
                    return self._answer(404, _status(404, "NotFound", self.path))
                removed = api.secrets.pop((match["ns"], match["name"]), None)
            if removed is None:
                return self._answer(404, _status(404, "NotFound", f"secrets {match['name']!r} not found"))
            return self._answer(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
