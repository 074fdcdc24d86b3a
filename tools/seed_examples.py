"""Create the example workflows on a running stack (used by `make run`); existing ones are left alone.

Run parameters whose default is a path inside this checkout (``examples/...``) are made absolute,
so the examples find their data wherever the checkout lives.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


def _absolute_defaults(document: dict[str, Any]) -> dict[str, Any]:
    for param in (document.get("params") or {}).values():
        default = param.get("default")
        if isinstance(default, str) and default.startswith("examples/"):
            param["default"] = str(REPO / default)
    return document


def main() -> int:
    url = os.environ.get("DOMINO_URL", "http://localhost:8080")
    user = os.environ.get("DOMINO_ADMIN_USER", "admin")
    password = os.environ.get("DOMINO_ADMIN_PASSWORD", "admin")
    token = httpx.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=30)
    token.raise_for_status()
    client = httpx.Client(
        base_url=f"{url}/domino/api/v1", headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=60
    )
    failures = 0
    for path in sorted((REPO / "examples" / "workflows").glob("*.json")):
        document = _absolute_defaults(json.loads(path.read_text()))
        if client.get(f"/workflows/{document['id']}").status_code == 200:
            print(f"Example workflow {document['id']} already exists")
            continue
        response = client.post("/workflows", json={"document": document, "message": f"Example from {path.name}"})
        if response.status_code == 201:
            print(f"Created example workflow {document['id']}")
        else:
            failures += 1
            print(f"Could not create {document['id']}: {response.status_code} {response.text[:800]}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
