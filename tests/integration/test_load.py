"""Load on the PostgreSQL stack: 20 concurrent clients of mixed reads, edits and triggers for 20 s,
with no error and no lost update. bench/load.py runs the same driver for 60 s."""

from __future__ import annotations

import httpx
import pytest

from tests.stack import RunningStack
from tools.load import lost_updates, pause, prepare, run_load

CLIENTS, SECONDS = 20, 20.0


# The load figure is for PostgreSQL (SQLite serialises every write by design): this test runs on the
# PostgreSQL stack only, started for it if DOMINO_TEST_STACKS left it out.
@pytest.mark.parametrize("airflow_stack", ["postgres-fab"], indirect=True)
def test_concurrent_clients_get_no_errors_and_lose_no_update(
    airflow_stack: RunningStack, fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    before = prepare(admin, airflow_api, 5, "load")
    token = airflow_stack.stack.token("admin", "admin-pw")
    try:
        report = run_load(f"{airflow_stack.stack.url}/domino/api/v1", token, list(before), clients=CLIENTS,
                          seconds=SECONDS)  # fmt: skip
    finally:
        pause(airflow_api, list(before))
    print(report.summary())
    assert report.errors == []
    assert len(report.saved) > 0
    assert report.by_operation["trigger"] > 0
    assert lost_updates(admin, report, before) == []
