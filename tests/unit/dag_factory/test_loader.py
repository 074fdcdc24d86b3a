"""The loader file's contract: one DAG per workflow, placeholders for broken ones, snapshot fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.dag_factory.loader import load_dags
from airflow_domino_plugin.dag_factory.store import StoreUnavailable
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision, metadata

PIECE = {"repository": "r", "version": "1", "name": "AddPiece"}


def _doc(workflow_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": workflow_id.title(),
        "schedule": "@daily",
        "start_date": "2026-01-01T00:00:00Z",
        "params": {"x": {"type": "integer", "default": 3}},
        "defaults": {"retries": 2, "retry_delay_s": 5},
        "tasks": [
            {"id": "a", "piece": PIECE, "inputs": {"a": {"$param": "x"}}},
            {"id": "b", "piece": PIECE, "inputs": {"a": {"$upstream": {"task": "a", "output": "total"}}},
             "depends_on": ["a"], "timeout_s": 30},
        ],
        **extra,
    }  # fmt: skip


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'domino.db'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with Session(engine) as session:
        for document in (
            _doc("good"),
            {**_doc("broken"), "tasks": [{"id": "x", "piece": PIECE, "depends_on": ["nope"]}]},
        ):
            workflow = Workflow(id=document["id"], name=document["name"])
            revision = WorkflowRevision(workflow=workflow, number=1, document=document)
            session.add_all([workflow, revision])
            session.flush()
            workflow.current_revision_id = workflow.deployed_revision_id = revision.id
        session.commit()
    engine.dispose()
    snapshot = tmp_path / "snapshot.json"
    monkeypatch.setenv("AIRFLOW__DOMINO__SQL_ALCHEMY_CONN", url)
    monkeypatch.setenv("AIRFLOW__DOMINO__SNAPSHOT_PATH", str(snapshot))
    return url, snapshot


def test_builds_one_dag_per_workflow_with_its_settings(store: tuple[str, Path]) -> None:
    dags = {dag.dag_id: dag for dag in load_dags().values()}
    assert set(dags) == {"good", "broken", "domino-node-test--good", "domino-node-test--broken"}
    good = dags["good"]
    assert set(good.task_dict) == {"a", "b"}
    assert good.task_dict["a"].downstream_task_ids == {"b"}
    assert good.task_dict["b"].retries == 2
    assert good.task_dict["b"].execution_timeout.total_seconds() == 90  # type: ignore[union-attr]
    assert good.params["x"] == 3
    assert "domino" in good.tags
    assert good.task_dict["a"].inputs == {"a": {"$param": "x"}}


def test_a_broken_workflow_becomes_a_placeholder(store: tuple[str, Path]) -> None:
    broken = next(dag for dag in load_dags().values() if dag.dag_id == "broken")
    assert set(broken.task_dict) == {"build_error"}
    assert "domino-build-error" in broken.tags
    assert "nope" in broken.task_dict["build_error"].message  # type: ignore[attr-defined]


def test_unreadable_database_falls_back_to_the_last_snapshot(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _url, snapshot = store
    load_dags()
    assert snapshot.exists()
    monkeypatch.setenv("AIRFLOW__DOMINO__SQL_ALCHEMY_CONN", f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    assert {dag.dag_id for dag in load_dags().values()} == {
        "good",
        "broken",
        "domino-node-test--good",
        "domino-node-test--broken",
    }


def test_without_database_or_snapshot_it_raises_rather_than_returning_nothing(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__SQL_ALCHEMY_CONN", f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    with pytest.raises(StoreUnavailable, match="no snapshot"):
        load_dags()


def test_inside_a_task_only_the_needed_dag_is_built(store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "good")
    assert [dag.dag_id for dag in load_dags().values()] == ["good"]


def test_each_workflow_has_a_one_task_node_test_dag(store: tuple[str, Path]) -> None:
    dags = {dag.dag_id: dag for dag in load_dags().values()}
    test_dag = dags["domino-node-test--broken"]  # a workflow that cannot be built still has one
    assert set(test_dag.task_dict) == {"node"}
    assert "domino-node-test" in test_dag.tags
    assert test_dag.is_paused_upon_creation is False


def test_inside_a_node_test_task_only_that_dag_is_built(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "domino-node-test--good")
    assert [dag.dag_id for dag in load_dags().values()] == ["domino-node-test--good"]
