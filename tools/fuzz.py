"""Fuzz the REST API with schemathesis against a real stack: ``make fuzz``.

Starts a throw-away stack (SQLite, simple auth manager), installs the test pieces repository,
saves a workflow so that ids exist to hit, then runs ``schemathesis run`` over the API's own
OpenAPI document with an admin token. Prints the figure: requests sent, server errors (5xx) and
schema violations (responses that do not match the document), and exits non-zero unless both
are 0. ``--stack-url`` fuzzes an already running stack instead (``make run``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from tools.localstack import Stack, User, free_port, running

REPO = Path(__file__).resolve().parents[1]
FIXTURE_REPO = REPO / "tests" / "fixtures" / "domino_style_repo"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ADMIN = User("admin", "admin-pw", "admin")


def _call(url: str, token: str, method: str = "GET", body: Any = None) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def seed(api: str, token: str) -> None:
    """Install the fixture repository and save one workflow, so routes with ids have data."""
    job = _call(
        f"{api}/repositories/installs", token, "POST", {"source_type": "local", "source_url": str(FIXTURE_REPO)}
    )
    deadline = time.monotonic() + 300
    while job["state"] not in ("succeeded", "failed") and time.monotonic() < deadline:
        time.sleep(1)
        job = _call(f"{api}/repositories/installs/{job['id']}", token)
    if job["state"] != "succeeded":
        raise RuntimeError(f"installing the fixture repository failed: {job['error']}")
    piece = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}
    document = {
        "schema_version": 1,
        "id": "fuzz_target",
        "name": "fuzz target",
        "tasks": [{"id": "add", "piece": piece, "inputs": {"a": 1, "b": 2}}],
    }
    _call(f"{api}/workflows", token, "POST", {"document": document})


def fuzz(base_url: str, token: str, max_examples: int, workers: int, report_dir: Path) -> dict[str, int]:
    """Run schemathesis; return ``{"requests", "server_errors", "schema_violations", "exit_code"}``."""
    api = f"{base_url}/domino/api/v1"
    spec = _call(f"{api}/openapi.json", token)
    schema_file = report_dir / "openapi.json"
    schema_file.write_text(json.dumps(spec))
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        str(schema_file),
        "--url",
        f"{base_url}/domino",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(max_examples),
        "--workers",
        str(workers),
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "60",
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "--seed",
        "1",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": ""}
    result = subprocess.run(command, env=env, cwd=report_dir, check=False, capture_output=True, text=True)
    output = result.stdout + result.stderr
    (report_dir / "schemathesis.out").write_text(output)
    return {**_count(output), "exit_code": result.returncode}


def _count(output: str) -> dict[str, int]:
    """Requests and failures from schemathesis's summary (one request per generated test case)."""
    generated = re.search(r"Test cases:\s*\n?\s*(\d+) generated", output)
    server_errors = violations = 0
    for code, _what, count in re.findall(r"(ST\d+) ([^:\n]+): (\d+)", output):
        if code == "ST101":  # Server error
            server_errors += int(count)
        else:
            violations += int(count)
    return {
        "requests": int(generated.group(1)) if generated else 0,
        "server_errors": server_errors,
        "schema_violations": violations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=30, help="examples per operation and phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stack-url", default="", help="fuzz this running stack (log in as --user/--password)")
    parser.add_argument("--user", default=ADMIN.username)
    parser.add_argument("--password", default=ADMIN.password)
    parser.add_argument("--report-dir", default="", help="keep schemathesis's output here")
    args = parser.parse_args(argv)
    report_dir = Path(args.report_dir or tempfile.mkdtemp(prefix="domino-fuzz-"))
    report_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if args.stack_url:
        stack = Stack(home=report_dir / "unused", port=0)
        stack.port = int(args.stack_url.rsplit(":", 1)[-1].split("/")[0])
        token = stack.token(args.user, args.password)
        figure = fuzz(args.stack_url.rstrip("/"), token, args.max_examples, args.workers, report_dir)
    else:
        stack = Stack(home=Path(tempfile.mkdtemp(prefix="domino-fuzz-home-")), port=free_port(), users=[ADMIN])
        with running(stack):
            token = stack.token(ADMIN.username, ADMIN.password)
            seed(f"{stack.url}/domino/api/v1", token)
            figure = fuzz(stack.url, token, args.max_examples, args.workers, report_dir)
    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {figure['requests']} requests, {figure['server_errors']} server errors, "
        f"{figure['schema_violations']} schema violations ({elapsed:.0f} s; output in {report_dir})"
    )
    ok = figure["server_errors"] == 0 and figure["schema_violations"] == 0 and figure["exit_code"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
