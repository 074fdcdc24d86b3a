"""The DAG builder compiles approval and input steps to the standard provider's Human-in-the-loop operators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator, HITLOperator

from airflow_domino_plugin.dag_factory.builder import build_dag
from airflow_domino_plugin.dag_factory.store import StoredRevision

PIECE = {"repository": "r", "version": "1", "name": "P"}


def build(tasks: list[dict[str, Any]]) -> Any:
    document = {"schema_version": 1, "id": "wf", "name": "Wf", "tasks": tasks, "defaults": {"retries": 2}}
    return build_dag(StoredRevision("wf", 1, 1, document))


def test_an_approval_becomes_an_approval_operator_with_its_request():
    dag = build(
        [
            {"id": "sum", "piece": PIECE},
            {
                "id": "ok",
                "approval": {
                    "title": "Publish?",
                    "body": "Total {{ total }}",
                    "respondents": ["alice"],
                    "timeout_s": 3600,
                    "on_timeout": "Reject",
                    "fields": {"why": {"type": "string", "default": ""}},
                },
                "inputs": {"total": {"$upstream": {"task": "sum", "output": "total"}}},
                "depends_on": ["sum"],
            },
            {"id": "publish", "piece": PIECE, "depends_on": ["ok"]},
        ]
    )
    ok = dag.task_dict["ok"]
    assert isinstance(ok, ApprovalOperator)
    assert ok.task_display_name == "Publish?"
    assert (ok.subject, ok.body) == ("Publish?", "Total {{ total }}")
    assert ok.template_fields == ()  # the document's text is never rendered as Jinja
    assert ok.options == ["Approve", "Reject"]
    assert ok.defaults == ["Reject"]
    assert ok.response_timeout == timedelta(hours=1)
    assert ok.assigned_users == [{"id": "alice", "name": "alice"}]
    assert list(ok.params) == ["why"]
    assert ok.retries == 0
    assert ok.upstream_task_ids == {"sum"}
    assert dag.task_dict["publish"].upstream_task_ids == {"ok"}


def test_an_input_step_offers_its_options_or_ok():
    dag = build(
        [
            {"id": "pick", "approval": {"kind": "input", "title": "Which?", "options": ["a", "b"], "multiple": True}},
            {"id": "form", "approval": {"kind": "input", "title": "Fill in", "fields": {"n": {"type": "integer"}}}},
        ]
    )
    pick, form = dag.task_dict["pick"], dag.task_dict["form"]
    assert isinstance(pick, HITLOperator)
    assert not isinstance(pick, ApprovalOperator)
    assert (pick.options, pick.multiple, pick.defaults, pick.assigned_users) == (["a", "b"], True, None, None)
    assert form.options == ["OK"]
    assert form.response_timeout is None
