"""A real Airflow stack per test session, on loopback.

Two flavours: SQLite with the simple auth manager (the local stack's default) and PostgreSQL with
the FAB auth manager (what most deployments use). A test module runs on both unless ``ONE_FLAVOUR``
below names it: then one flavour is enough for it and it runs on that one only (the rule, and why
each module is where it is: docs/development.md "Which stack flavours a test runs on"). When the
flavour it names is not selected, it runs on the first selected one instead, so a narrowed run
never drops a test.

``DOMINO_TEST_STACKS=sqlite-simple`` narrows the set while developing;
``DOMINO_TEST_EVERY_STACK=1`` ignores ``ONE_FLAVOUR`` (every module on every selected flavour).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tools.localstack import Stack, User, free_port, running
from tools.postgres import throwaway_database

FLAVOURS = {"sqlite-simple": ("sqlite", "simple"), "postgres-fab": ("postgres", "fab")}
SELECTED = [f for f in os.environ.get("DOMINO_TEST_STACKS", ",".join(FLAVOURS)).split(",") if f]
EVERY_STACK = os.environ.get("DOMINO_TEST_EVERY_STACK", "") not in ("", "0")
# One pytest session per flavour, run side by side (``make test-pin``): a session with
# DOMINO_TEST_SHARD=<flavour> keeps only that flavour's stack tests; the tests that use no flavoured
# stack (their own stacks, Docker, packaging) go to the shard DOMINO_TEST_SHARD_REST names (default:
# the first selected flavour), so each test still runs exactly once over the shards.
SHARD = os.environ.get("DOMINO_TEST_SHARD", "")
SHARD_REST = os.environ.get("DOMINO_TEST_SHARD_REST", SELECTED[0] if SELECTED else "")

# Modules that run on one flavour only (paths under tests/). The rule: a module runs on BOTH
# flavours when what it checks depends on the metadata database or on the auth manager (plugin
# load, migrations, auth and permissions, storage of workflows, revisions, repositories, secrets,
# audit rows, Airflow's runs/HITL rows), or when it is in the `versions` set. A module whose subject
# is the plugin's own logic on top of a running stack (executing pieces, example workflows, control
# flow, node tests, sub-workflows, faults, the sandbox, GUI journeys) runs on one, and the one-flavour
# modules are split between the flavours so each flavour also carries runs and journeys end to end.
ONE_FLAVOUR = {
    "integration/test_execution.py": "sqlite-simple",
    "integration/test_examples.py": "sqlite-simple",
    "integration/test_flow.py": "sqlite-simple",
    "integration/test_node_tests.py": "postgres-fab",
    "integration/test_faults.py": "sqlite-simple",
    "integration/test_domino_import.py": "postgres-fab",
    "integration/test_domino_bindings.py": "postgres-fab",
    "integration/test_subflows.py": "postgres-fab",
    "integration/test_sandbox.py": "postgres-fab",
    "browser/test_editor_journey.py": "sqlite-simple",
    "browser/test_layout_journey.py": "sqlite-simple",
    "browser/test_flow_journey.py": "sqlite-simple",
    "browser/test_node_test_journey.py": "postgres-fab",
    "browser/test_drafts_journey.py": "sqlite-simple",
    "browser/test_pieces_journey.py": "sqlite-simple",
    "browser/test_domino_import_journey.py": "sqlite-simple",
    "browser/test_runs_journey.py": "postgres-fab",
    "browser/test_secrets_journey.py": "postgres-fab",
    "browser/test_approvals_journey.py": "postgres-fab",
    "browser/test_subflows_journey.py": "postgres-fab",
    "browser/test_domino_bindings_journey.py": "postgres-fab",
}
HITL_RESUME_DELAY_S = 12
STOP_GRACE_S = 3.0  # seconds a session's stack gets after SIGTERM before what is left is killed
TESTS = Path(__file__).resolve().parent
EXAMPLES_DATA = TESTS.parent / "examples" / "data"

USERS = {
    "admin": User("admin", "admin-pw", "admin"),
    "op": User("operator", "op-pw", "op"),
    "user": User("editor", "editor-pw", "user"),
    "viewer": User("viewer", "viewer-pw", "viewer"),
}


@dataclass
class RunningStack:
    stack: Stack
    flavour: str

    def client(self, role: str | None = "admin", prefix: str = "/domino/api/v1") -> httpx.Client:
        headers = {}
        if role is not None:
            user = USERS[role]
            headers["Authorization"] = f"Bearer {self.stack.token(user.username, user.password)}"
        return httpx.Client(base_url=f"{self.stack.url}{prefix}", headers=headers, timeout=60)


_current: list[RunningStack] = []
PLANTED_AWS_SECRET = "canary-aws-planted-3e8d51"


def _shared_repositories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.getbasetemp() / "repositories"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session", params=SELECTED)
def airflow_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    database, auth = FLAVOURS[request.param]
    with contextlib.ExitStack() as stack_context:
        db_url = stack_context.enter_context(throwaway_database()) if database == "postgres" else ""
        stack = Stack(
            home=tmp_path_factory.mktemp(request.param),
            port=free_port(),
            db_url=db_url,
            auth=auth,
            users=list(USERS.values()),
            # One repositories folder for the whole session: piece virtualenvs are keyed by their
            # requirements, so the second stack reuses what the first one built.
            extra_env={
                "AIRFLOW__DOMINO__REPOSITORIES_PATH": str(_shared_repositories(tmp_path_factory)),
                # The example workflows read examples/data: the docker runner mounts it for them.
                "AIRFLOW__DOMINO__DOCKER_EXTRA_MOUNTS": f"{EXAMPLES_DATA}:{EXAMPLES_DATA}:ro",
                # A cloud credential in every component's environment, as deployments have them:
                # piece code must never see it (tests/integration/test_sandbox.py).
                "AWS_SECRET_ACCESS_KEY": PLANTED_AWS_SECRET,
                # An approval answered within this many seconds of its park is held until then (the
                # default 20 guards Airflow 3.3's race with the parked try's exit). Measured on the
                # 2-core machine at load 4-8: the supervisor sees the parked try exit 0.03 s or 5.05 s
                # after the park (it waits for its next [workers] min_heartbeat_interval, 5 s), the
                # scheduler has the exit at most 5.9 s after it (9 parks). 12 s still holds every quick
                # answer past that, twice over, and saves 8 s per answer.
                "AIRFLOW__DOMINO__HITL_RESUME_DELAY": str(HITL_RESUME_DELAY_S),
            },
        )
        # The session's end needs no graceful exit: the triggerer alone takes ~10 s after SIGTERM.
        stack_context.enter_context(running(stack, stop_timeout=STOP_GRACE_S))
        running_stack = RunningStack(stack, request.param)
        _current.append(running_stack)
        try:
            yield running_stack
        finally:
            _current.remove(running_stack)


@pytest.fixture
def admin(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    with airflow_stack.client("admin") as client:
        yield client


@pytest.fixture
def viewer(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    with airflow_stack.client("viewer") as client:
        yield client


@pytest.fixture
def anonymous(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    with airflow_stack.client(None) as client:
        yield client


def _flavours_for(item: pytest.Item) -> list[str]:
    if EVERY_STACK:
        return SELECTED
    flavour = ONE_FLAVOUR.get(item.path.relative_to(TESTS).as_posix())
    if flavour is None:
        return SELECTED
    return [flavour] if flavour in SELECTED else SELECTED[:1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the flavours a module of ``ONE_FLAVOUR`` does not run on, and what another shard runs."""
    unknown = {path: flavour for path, flavour in ONE_FLAVOUR.items() if flavour not in FLAVOURS}
    if unknown:
        raise pytest.UsageError(f"tests/stack.py ONE_FLAVOUR names unknown flavours: {unknown}")
    if SHARD and (SHARD not in SELECTED or SHARD_REST not in SELECTED):
        raise pytest.UsageError(
            f"DOMINO_TEST_SHARD={SHARD!r} and DOMINO_TEST_SHARD_REST={SHARD_REST!r} must each be one of"
            f" the selected flavours {SELECTED}"
        )
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        flavour = callspec.params.get("airflow_stack") if callspec is not None else None
        if flavour is not None:
            wanted = flavour in _flavours_for(item) and (not SHARD or flavour == SHARD)
        else:
            wanted = not SHARD or SHARD == SHARD_REST
        (keep if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Attach the components' logs to a failing integration test's report."""
    report = yield
    if report.failed and _current:  # type: ignore[attr-defined]
        report.sections.append((f"Airflow logs ({_current[-1].flavour})", _current[-1].stack.all_logs(40)))  # type: ignore[attr-defined]
    return report


@pytest.fixture
def airflow_api(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    """Airflow's own REST API (``/api/v2``) as the admin."""
    with airflow_stack.client("admin", prefix="/api/v2") as client:
        yield client


@pytest.fixture(scope="session")
def fixture_repository(airflow_stack: RunningStack) -> dict:
    """The Domino-style test repository, installed once per stack through the REST API."""
    from tests.integration.helpers import FIXTURE_REPO, install_repository

    with airflow_stack.client("admin") as client:
        job = install_repository(client, FIXTURE_REPO)
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    return job


@pytest.fixture(scope="session")
def example_repository(airflow_stack: RunningStack) -> dict:
    """examples/pieces, installed once per stack through the REST API (several modules run its workflows)."""
    from tests.integration.helpers import REPO, install_repository

    with airflow_stack.client("admin") as client:
        job = install_repository(client, REPO / "examples" / "pieces")
    assert job["state"] == "succeeded", (job.get("error"), job.get("log", [])[-5:])
    assert job["progress"] == 100
    return job


@pytest.fixture(scope="session")
def binding_repository(airflow_stack: RunningStack) -> dict:
    """tests/fixtures/domino_binding_repo (key/value arguments, declared and optional outputs), once per stack."""
    from tests.integration.helpers import BINDING_REPO, install_repository

    with airflow_stack.client("admin") as client:
        job = install_repository(client, BINDING_REPO)
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    return job


@pytest.fixture(scope="session")
def celery_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """A CeleryExecutor stack (PostgreSQL, Redis) with two workers laid out as separate machines."""
    from tools.celerystack import running_celery_stack

    with running_celery_stack(tmp_path_factory.mktemp("celery"), users=list(USERS.values())) as stack:
        running_stack = RunningStack(stack, "celery")
        _current.append(running_stack)
        try:
            yield running_stack
        finally:
            _current.remove(running_stack)
