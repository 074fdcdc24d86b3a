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
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
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


def seed(api: str, token: str) -> dict[str, Any]:
    """Install the fixture repository, save a workflow and run it once; returns the ids that exist now."""
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
    workflow = _call(f"{api}/workflows", token, "POST", {"document": document})
    run = _trigger(api, token, "fuzz_target")
    pieces = _call(f"{api}/pieces?repository_id={job['repository_id']}&limit=1", token)
    return {
        "workflow_id": "fuzz_target",
        "revision_id": workflow["revision"]["id"],
        "run_id": run["run_id"],
        "task_id": "add",
        "repository_id": job["repository_id"],
        "piece_id": pieces["items"][0]["id"],
        "job_id": job["id"],
    }


def _trigger(api: str, token: str, workflow_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:  # 409 until Airflow has parsed the new workflow
        try:
            _call(f"{api}/workflows/{workflow_id}/unpause", token, "POST")
            run = _call(f"{api}/workflows/{workflow_id}/runs", token, "POST", {})
            break
        except urllib.error.HTTPError as exc:
            if exc.code not in (404, 409) or time.monotonic() > deadline:
                raise
            time.sleep(1)
    while time.monotonic() < deadline + 180:
        state = _call(f"{api}/workflows/{workflow_id}/runs/{run['run_id']}", token)["state"]
        if state in ("success", "failed"):
            break
        time.sleep(1)
    return dict(run)


def _schemathesis(
    schema_file: Path, base_url: str, token: str, max_examples: int, workers: int, out: Path, extra: list[str]
) -> tuple[dict[str, int], str]:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        *extra[:2],
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
        *extra[2:],
    ]
    result = subprocess.run(command, cwd=out.parent, check=False, capture_output=True, text=True)
    output = result.stdout + result.stderr
    out.write_text(output)
    return {**_count(output), "exit_code": result.returncode}, output


def fuzz(
    base_url: str, token: str, max_examples: int, workers: int, report_dir: Path, ids: dict[str, Any] | None = None
) -> dict[str, int]:
    """Run schemathesis; return ``{"requests", "server_errors", "schema_violations", "exit_code"}``.

    The first pass fuzzes everything, path ids included (so most deep routes answer 404). With
    ``ids`` a second pass pins the path parameters to things that exist (a workflow, its
    revision, a finished run and its task, the repository, a piece, the install job) so query
    parameters and bodies reach the routes' own logic; it leaves out DELETEs, which would
    remove what the other operations need.
    """
    api = f"{base_url}/domino/api/v1"
    spec = _call(f"{api}/openapi.json", token)
    schema_file = report_dir / "openapi.json"
    schema_file.write_text(json.dumps(spec))
    total, _ = _schemathesis(schema_file, base_url, token, max_examples, workers, report_dir / "pass1.out", [])
    if ids:
        config = report_dir / "schemathesis.toml"
        config.write_text("[parameters]\n" + "".join(f'"path.{k}" = {json.dumps(str(v))}\n' for k, v in ids.items()))
        extra = ["--config-file", str(config), "--exclude-method", "DELETE"]
        second, _ = _schemathesis(schema_file, base_url, token, max_examples, workers, report_dir / "pass2.out", extra)
        total = {key: total[key] + second[key] for key in ("requests", "server_errors", "schema_violations")} | {
            "exit_code": total["exit_code"] or second["exit_code"]
        }
    return total


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
            ids = seed(f"{stack.url}/domino/api/v1", token)
            figure = fuzz(stack.url, token, args.max_examples, args.workers, report_dir, ids)
    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {figure['requests']} requests, {figure['server_errors']} server errors, "
        f"{figure['schema_violations']} schema violations ({elapsed:.0f} s; output in {report_dir})"
    )
    ok = figure["server_errors"] == 0 and figure["schema_violations"] == 0 and figure["exit_code"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
