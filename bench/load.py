"""Load on the PostgreSQL stack: concurrent clients doing mixed reads, edits and triggers.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 60] [--workflows 5]

Starts a real stack on a throwaway PostgreSQL database (tools/postgres.py), installs the test
pieces, creates the workflows, then runs tools/load.py's driver. Baseline measured in the same
run: one client alone for a tenth of the time. Prints requests/s and latency percentiles for
both, the answers by operation and status, the errors (5xx, transport failures, unexpected 4xx)
and the lost updates (edits answered 200 that are missing from the revision history); exits
non-zero when either is not zero.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository  # noqa: E402
from tools.load import lost_updates, pause, prepare, run_load  # noqa: E402
from tools.localstack import Stack, free_port, running  # noqa: E402
from tools.postgres import throwaway_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workflows", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as home, throwaway_database() as db_url:
        stack = Stack(home=Path(home), port=free_port(), db_url=db_url)
        with running(stack):
            token = stack.token("admin", "admin")
            headers = {"Authorization": f"Bearer {token}"}
            base = f"{stack.url}/domino/api/v1"
            with (
                httpx.Client(base_url=base, headers=headers, timeout=120) as admin,
                httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=120) as airflow,
            ):
                job = install_repository(admin, FIXTURE_REPO)
                if job["state"] != "succeeded":
                    raise SystemExit(f"install failed: {job['error']}")
                before = prepare(admin, airflow, args.workflows, "load")
                baseline = run_load(base, token, list(before), clients=1, seconds=max(5.0, args.seconds / 10))
                print(f"baseline: {baseline.summary()}", flush=True)
                before = {w: int(admin.get(f"/workflows/{w}").json()["revision"]["number"]) for w in before}
                report = run_load(base, token, list(before), clients=args.clients, seconds=args.seconds, seed=1)
                pause(airflow, list(before))
                lost = lost_updates(admin, report, before)
    print(f"load:     {report.summary()}")
    print(f"throughput {report.requests / report.seconds / (baseline.requests / baseline.seconds):.1f}x the "
          f"single client's; errors {len(report.errors)}; lost updates {len(lost)}")  # fmt: skip
    for line in [*report.errors[:20], *lost[:20]]:
        print(f"  {line}")
    return 1 if report.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
