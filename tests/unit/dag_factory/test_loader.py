"""The loader file's contract: one DAG per workflow, placeholders for broken ones, snapshot fallback,
node-test DAGs only for workflows that asked for node tests, and only the needed DAG inside a task."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.dag_factory.loader import load_dags
from airflow_domino_plugin.dag_factory.store import StoreUnavailable, read_from_database
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision, metadata
from airflow_domino_plugin.db.types import utcnow

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
            _doc("untested"),
        ):
            # `untested` never asked for a node test; the other two did.
            since = None if document["id"] == "untested" else utcnow()
            workflow = Workflow(id=document["id"], name=document["name"], node_tests_since=since)
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
    assert set(dags) == {"good", "broken", "untested", "domino-node-test--good", "domino-node-test--broken"}
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
        "untested",
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


def test_a_workflow_that_asked_for_node_tests_has_a_one_task_node_test_dag(store: tuple[str, Path]) -> None:
    dags = {dag.dag_id: dag for dag in load_dags().values()}
    assert "domino-node-test--untested" not in dags  # no node test asked for: no DAG to parse
    test_dag = dags["domino-node-test--broken"]  # a workflow that cannot be built still has one
    assert set(test_dag.task_dict) == {"node"}
    assert "domino-node-test" in test_dag.tags
    assert test_dag.is_paused_upon_creation is False


def test_inside_a_node_test_task_only_that_dag_is_built(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "domino-node-test--good")
    assert [dag.dag_id for dag in load_dags().values()] == ["domino-node-test--good"]


def test_inside_a_node_test_task_of_an_untested_workflow_no_dag_is_built(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "domino-node-test--untested")
    assert load_dags() == {}


def test_a_workflow_gets_its_node_test_dag_once_it_asks_for_node_tests(store: tuple[str, Path]) -> None:
    url, _snapshot = store
    engine = sa.create_engine(url)
    with Session(engine) as session:
        workflow = session.get(Workflow, "untested")
        assert workflow is not None
        workflow.node_tests_since = utcnow()
        session.commit()
    engine.dispose()
    assert "domino-node-test--untested" in {dag.dag_id for dag in load_dags().values()}


def test_the_snapshot_keeps_which_workflows_have_node_tests(
    store: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    load_dags()  # writes the snapshot
    monkeypatch.setenv("AIRFLOW__DOMINO__SQL_ALCHEMY_CONN", f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    names = {dag.dag_id for dag in load_dags().values()}
    assert "domino-node-test--good" in names
    assert "domino-node-test--untested" not in names


def test_the_store_reads_the_columns_the_models_declare(store: tuple[str, Path]) -> None:
    """The factory's light Core tables must name real columns of ``db.models`` (no ORM at parse time)."""
    from airflow_domino_plugin.dag_factory import store as store_module

    for light in (store_module._workflows, store_module._revisions):
        declared = metadata.tables[light.name]
        assert {c.name for c in light.columns} <= {c.name for c in declared.columns}, light.name
    url, _snapshot = store
    by_id = {r.workflow_id: r for r in read_from_database(url)}
    assert (by_id["good"].node_tests, by_id["untested"].node_tests) == (True, False)
    assert [r.workflow_id for r in read_from_database(url, "good")] == ["good"]


def test_parsing_for_one_task_does_not_import_what_only_a_run_needs(tmp_path: Path) -> None:
    """A task process parses the loader for its one DAG: the ORM models, the piece hook, input
    resolution and masking are imported when the task runs, not while its DAG is built."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from airflow_domino_plugin.dag_factory.loader import load_dags\n"
        "print(sorted(load_dags()))\n"
        "heavy = ['airflow_domino_plugin.db.models', 'airflow_domino_plugin.operators.hook',\n"
        "         'airflow_domino_plugin.operators.inputs', 'airflow_domino_plugin.execution.masking']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    url = f"sqlite:///{tmp_path / 'domino.db'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with Session(engine) as session:
        workflow = Workflow(id="good", name="Good", node_tests_since=utcnow())
        revision = WorkflowRevision(workflow=workflow, number=1, document=_doc("good"))
        session.add_all([workflow, revision])
        session.flush()
        workflow.current_revision_id = workflow.deployed_revision_id = revision.id
        session.commit()
    engine.dispose()
    for dag_id, expected in (("good", "['domino_good']"), ("domino-node-test--good", "['domino-node-test--good']")):
        env = {
            **os.environ,
            "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN": url,
            "AIRFLOW__DOMINO__SNAPSHOT_PATH": str(tmp_path / "snapshot.json"),
            "_AIRFLOW_PARSING_CONTEXT_DAG_ID": dag_id,
        }
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.split("\n")[:2] == [expected, "[]"], (dag_id, out.stdout, out.stderr[-2000:])


def test_final_tasks_update_the_completion_assets_other_workflows_wait_for() -> None:
    from airflow_domino_plugin.dag_factory.builder import build_dag
    from airflow_domino_plugin.dag_factory.store import StoredRevision
    from airflow_domino_plugin.workflows.document import Workflow as Document
    from airflow_domino_plugin.workflows.subflows import completion_assets

    document = {
        **_doc("chain"),
        "tasks": [
            *_doc("chain")["tasks"],
            {"id": "side", "piece": PIECE, "inputs": {"a": {"$upstream": {"task": "a", "output": "total"}}}},
        ],
    }
    dag = build_dag(StoredRevision("chain", 1, 1, document))
    updated = {task_id: [o.uri for o in task.outlets] for task_id, task in dag.task_dict.items() if task.outlets}
    expected = completion_assets(Document.model_validate(document))
    assert set(expected) == {"b", "side"}
    assert updated == {task_id: [uri] for task_id, uri in expected.items()}
