"""A real Airflow stack per test session, on loopback.

Two flavours, so every integration test runs on both: SQLite with the simple auth manager (the
local stack's default) and PostgreSQL with the FAB auth manager (what most deployments use).
``DOMINO_TEST_STACKS=sqlite-simple`` narrows the set while developing.
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
EXAMPLES_DATA = Path(__file__).resolve().parents[1] / "examples" / "data"

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
            },
        )
        stack_context.enter_context(running(stack))
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
