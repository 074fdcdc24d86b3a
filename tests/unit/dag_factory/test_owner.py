"""The DAG's owner in Airflow is who created the workflow, as Domino's workflows list shows it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.dag_factory.builder import build_dag
from airflow_domino_plugin.dag_factory.store import StoredRevision, read_from_database, read_snapshot, write_snapshot
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision, metadata

PIECE = {"repository": "r", "version": "1", "name": "P"}
DOCUMENT = {"schema_version": 1, "id": "sales", "name": "Sales", "tasks": [{"id": "a", "piece": PIECE}]}


def test_the_creator_owns_the_dag_and_its_tasks() -> None:
    dag = build_dag(StoredRevision("sales", 1, 1, DOCUMENT, owner="ada"))
    assert dag.owner == "ada"
    assert dag.task_dict["a"].owner == "ada"


def test_without_a_creator_airflow_keeps_its_default_owner() -> None:
    dag = build_dag(StoredRevision("sales", 1, 1, DOCUMENT))
    assert dag.task_dict["a"].owner == "airflow"


def test_the_store_reads_the_creator_and_the_snapshot_keeps_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'domino.db'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with Session(engine) as session:
        workflow = Workflow(id="sales", name="Sales", created_by="ada", updated_by="bob")
        revision = WorkflowRevision(workflow=workflow, number=1, document=DOCUMENT, author="bob")
        session.add_all([workflow, revision])
        session.flush()
        workflow.current_revision_id = workflow.deployed_revision_id = revision.id
        session.commit()
    engine.dispose()
    revisions = read_from_database(url)
    assert [r.owner for r in revisions] == ["ada"]
    write_snapshot(tmp_path / "snapshot.json", revisions)
    assert read_snapshot(tmp_path / "snapshot.json") == revisions
    # A snapshot written before owners were stored still loads (owner empty: Airflow's default).
    (tmp_path / "old.json").write_text('[{"workflow_id": "sales", "revision_id": 1, "number": 1, "document": {}}]')
    assert read_snapshot(tmp_path / "old.json")[0].owner == ""
