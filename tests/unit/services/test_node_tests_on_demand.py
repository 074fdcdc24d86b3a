"""A workflow's node-test DAG is asked for by its first node test; until Airflow has loaded it the
API answers "preparing" (progress, nothing started), not an error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.db.models import Workflow, metadata
from airflow_domino_plugin.services import airflow_dags
from airflow_domino_plugin.services import node_tests as service


class FakeAirflow:
    """Airflow as the service sees it: the node-test DAG appears after ``loads_after`` looks."""

    def __init__(self, loads_after: int) -> None:
        self.loads_after = loads_after
        self.looks = 0
        self.reparses: list[str | None] = []
        self.watched: list[str] = []

    def trigger(self, session: Session, dag_id: str, **kwargs: Any) -> airflow_adapter.DagRunInfo:
        self.looks += 1
        if self.looks <= self.loads_after:
            raise airflow_adapter.DagNotLoaded(dag_id)
        return airflow_adapter.DagRunInfo(
            **{field: None for field in airflow_adapter.DagRunInfo.__dataclass_fields__}
            | {"dag_id": dag_id, "run_id": "manual__1", "conf": kwargs["conf"]}
        )


@pytest.fixture
def airflow(monkeypatch: pytest.MonkeyPatch) -> FakeAirflow:
    fake = FakeAirflow(loads_after=0)
    monkeypatch.setattr(airflow_adapter, "trigger_dag_run", fake.trigger)
    monkeypatch.setattr(airflow_dags, "request_reparse", lambda session, **kw: fake.reparses.append(kw.get("dag_id")))
    monkeypatch.setattr(airflow_dags, "watch_until_parsed", lambda dag_id, _rev: fake.watched.append(dag_id))
    monkeypatch.setattr(service, "PREPARE_POLL_S", 0.01)
    return fake


@pytest.fixture
def session() -> Iterator[Session]:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Workflow(id="sales", name="Sales"))
        session.commit()
        yield session
    engine.dispose()


def _workflow(session: Session) -> Workflow:
    workflow = session.get(Workflow, "sales")
    assert workflow is not None
    return workflow


def test_the_first_node_test_asks_for_the_dag_and_starts_once_it_is_loaded(
    airflow: FakeAirflow, session: Session
) -> None:
    airflow.loads_after = 2  # the DAG processor needs a moment
    started = service.trigger_when_loaded(session, _workflow(session), {"task_id": "a"}, user_name="ada")
    assert isinstance(started, airflow_adapter.DagRunInfo)
    assert started.dag_id == "domino-node-test--sales"
    assert _workflow(session).node_tests_since is not None  # recorded: the factory builds the DAG from now on
    assert airflow.reparses == ["domino-node-test--sales"]
    assert airflow.watched == ["domino-node-test--sales"]


def test_while_airflow_has_not_loaded_it_the_answer_is_preparing_not_an_error(
    airflow: FakeAirflow, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "PREPARE_WAIT_S", 0.05)
    airflow.loads_after = 10**6
    answer = service.trigger_when_loaded(session, _workflow(session), {}, user_name="ada")
    assert isinstance(answer, service.Preparing)
    assert answer.dag_id == "domino-node-test--sales"
    assert answer.retry_after_s > 0
    assert "Nothing was started" in answer.message
    # Asked again: the column stays as recorded, the service looks once and nudges the DAG processor again.
    since = _workflow(session).node_tests_since
    looks = airflow.looks
    again = service.trigger_when_loaded(session, _workflow(session), {}, user_name="ada")
    assert isinstance(again, service.Preparing)
    assert airflow.looks == looks + 1
    assert _workflow(session).node_tests_since == since
    airflow.loads_after = 0
    assert isinstance(service.trigger_when_loaded(session, _workflow(session), {}), airflow_adapter.DagRunInfo)


def test_a_workflow_with_node_tests_triggers_at_once(airflow: FakeAirflow, session: Session) -> None:
    service.trigger_when_loaded(session, _workflow(session), {})
    airflow.reparses.clear()
    assert isinstance(service.trigger_when_loaded(session, _workflow(session), {}), airflow_adapter.DagRunInfo)
    assert airflow.reparses == []
    assert airflow.looks == 2
