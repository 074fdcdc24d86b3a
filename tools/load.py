"""A load driver for the REST API: concurrent clients doing mixed reads, edits and triggers.

Each client loops until the time is up, picking an operation by weight: reads (workflow list,
one workflow, its revisions, its runs, the piece catalog), edits (GET the workflow, PUT it back
changed with the ``base_revision_id`` it read: another client's edit in between answers 409,
which is the conflict mechanism working) and triggers (POST a run; 409 while Airflow has not
loaded the latest revision yet). Every answer is counted; an error is a transport failure, a
5xx, or a 4xx other than those 409s. :func:`lost_updates` then checks that every edit answered
200 is in the workflow's revision history with its message, and that the history has no gaps.
Used by bench/load.py (the 60 s figure) and tests/integration/test_load.py (a bounded run).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.integration.helpers import dag, wait_for

READS = ("list", "get", "revisions", "runs", "pieces")
WEIGHTS = {"list": 10, "get": 15, "revisions": 10, "runs": 10, "pieces": 5, "edit": 35, "trigger": 15}


@dataclass
class Saved:
    workflow_id: str
    revision_id: int
    number: int
    message: str


@dataclass
class LoadReport:
    clients: int
    seconds: float
    requests: int = 0
    by_operation: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)  # "<operation> <status>"
    errors: list[str] = field(default_factory=list)
    saved: list[Saved] = field(default_factory=list)
    unanswered: set[str] = field(default_factory=set)  # messages of edits whose answer never came
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> str:
        ordered = sorted(self.latencies)

        def pct(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

        conflicts = sum(n for key, n in self.statuses.items() if key.endswith(" 409"))
        return (
            f"{self.clients} clients x {self.seconds:.0f}s: {self.requests} requests "
            f"({self.requests / self.seconds:.1f}/s), p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms; "
            f"{len(self.saved)} edits saved, {conflicts} answered 409 (conflict), "
            f"{self.by_operation['trigger']} triggers; errors: {len(self.errors)}\n"
            f"  answers: {dict(sorted(self.statuses.items()))}"
        )


def _expected(operation: str, status: int) -> bool:
    if operation in ("edit", "trigger") and status == 409:
        return True
    if operation == "trigger":
        return status == 201
    return status == 200


def run_load(
    base_url: str, token: str, workflow_ids: list[str], *, clients: int = 20, seconds: float = 60.0, seed: int = 0
) -> LoadReport:
    """Drive ``clients`` concurrent clients against ``base_url`` (…/domino/api/v1) for ``seconds``."""
    report = LoadReport(clients=clients, seconds=seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    operations, weights = list(WEIGHTS), list(WEIGHTS.values())

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
            sequence = 0
            while time.monotonic() < deadline:
                operation = rng.choices(operations, weights)[0]
                workflow_id = rng.choice(workflow_ids)
                sequence += 1
                started = time.monotonic()
                try:
                    status, saved = _operate(http, operation, workflow_id, f"load c{number} #{sequence}", rng)
                except httpx.HTTPError as exc:
                    with lock:
                        report.requests += 1
                        if operation == "edit":
                            report.unanswered.add(f"load c{number} #{sequence}")
                        report.errors.append(f"{operation} {workflow_id}: {type(exc).__name__}: {exc}")
                    continue
                with lock:
                    report.requests += 1
                    report.latencies.append(time.monotonic() - started)
                    report.by_operation[operation] += 1
                    report.statuses[f"{operation} {status}"] += 1
                    if not _expected(operation, status):
                        report.errors.append(f"{operation} {workflow_id}: HTTP {status}")
                    if saved is not None:
                        report.saved.append(saved)

    threads = [threading.Thread(target=client, args=(n,), name=f"load-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report


def _operate(
    http: httpx.Client, operation: str, workflow_id: str, message: str, rng: random.Random
) -> tuple[int, Saved | None]:
    if operation == "list":
        return http.get("/workflows", params={"limit": 50}).status_code, None
    if operation == "get":
        return http.get(f"/workflows/{workflow_id}").status_code, None
    if operation == "revisions":
        return http.get(f"/workflows/{workflow_id}/revisions", params={"limit": 20}).status_code, None
    if operation == "runs":
        return http.get(f"/workflows/{workflow_id}/runs", params={"limit": 20}).status_code, None
    if operation == "pieces":
        return http.get("/pieces", params={"limit": 50}).status_code, None
    if operation == "trigger":
        return http.post(f"/workflows/{workflow_id}/runs", json={"params": {}}).status_code, None
    current = http.get(f"/workflows/{workflow_id}")
    if current.status_code != 200:
        return current.status_code, None
    body = current.json()
    document = body["document"]
    document["description"] = message
    document["tasks"][0]["inputs"]["b"] = rng.randint(0, 1000)
    saved = http.put(
        f"/workflows/{workflow_id}",
        json={"document": document, "base_revision_id": body["revision"]["id"], "message": message},
    )
    if saved.status_code != 200:
        return saved.status_code, None
    revision = saved.json()["revision"]
    return 200, Saved(workflow_id, int(revision["id"]), int(revision["number"]), message)


def revision_history(http: httpx.Client, workflow_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = http.get(f"/workflows/{workflow_id}/revisions", params={"limit": 200, "offset": len(items)})
        page.raise_for_status()
        body = page.json()
        items.extend(body["items"])
        if len(items) >= body["total"] or not body["items"]:
            return items


def lost_updates(http: httpx.Client, report: LoadReport, first_numbers: dict[str, int]) -> list[str]:
    """Problems with the saved edits: missing from the history, wrong message, gaps, duplicates.

    ``first_numbers``: each workflow's current revision number before the load started.
    """
    problems = []
    for workflow_id, before in first_numbers.items():
        history = {int(r["id"]): r for r in revision_history(http, workflow_id)}
        saved = [s for s in report.saved if s.workflow_id == workflow_id]
        for edit in saved:
            revision = history.get(edit.revision_id)
            if revision is None:
                problems.append(f"{workflow_id}: revision {edit.revision_id} ({edit.message}) is not in the history")
            elif revision["message"] != edit.message or int(revision["number"]) != edit.number:
                problems.append(f"{workflow_id}: revision {edit.revision_id} holds {revision}, expected {edit}")
        after = [r for r in history.values() if int(r["number"]) > before]
        numbers = sorted(int(r["number"]) for r in after)
        if numbers != list(range(before + 1, before + 1 + len(after))):
            problems.append(f"{workflow_id}: revision numbers after {before} have gaps or repeats: {numbers[:20]}")
        confirmed = {s.message for s in saved}
        for revision in after:
            if revision["message"] not in confirmed and revision["message"] not in report.unanswered:
                problems.append(f"{workflow_id}: revision {revision['number']} ({revision['message']!r}) is unexpected")
        current = http.get(f"/workflows/{workflow_id}").json()
        if history and current["revision"]["id"] != max(history):
            problems.append(f"{workflow_id}: the current revision is not the newest one in the history")
    return problems


PIECE = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}


def document(workflow_id: str) -> dict:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": workflow_id,
        "schedule": None,
        "max_active_runs": 1,
        "tasks": [
            {"id": "first", "piece": PIECE, "inputs": {"a": 1, "b": 1}},
            {"id": "second", "piece": PIECE, "depends_on": ["first"],
             "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 1}},
        ],
    }  # fmt: skip


def prepare(admin: httpx.Client, airflow: httpx.Client, count: int, prefix: str) -> dict[str, int]:
    """Create ``count`` workflows (or reuse them) and wait for their DAGs; returns their revision numbers."""
    numbers = {}
    for index in range(count):
        workflow_id = f"{prefix}_{index}"
        existing = admin.get(f"/workflows/{workflow_id}")
        if existing.status_code == 404:
            admin.post("/workflows", json={"document": document(workflow_id)}).raise_for_status()
        wait_for(f"DAG {workflow_id}", lambda w=workflow_id: dag(airflow, w), timeout=120)
        numbers[workflow_id] = int(admin.get(f"/workflows/{workflow_id}").json()["revision"]["number"])
    return numbers


def pause(airflow: httpx.Client, workflow_ids: list[str]) -> None:
    """Stop the runs the load queued from starting: the stack should not keep working afterwards."""
    for workflow_id in workflow_ids:
        airflow.patch(f"/dags/{workflow_id}", json={"is_paused": True})
