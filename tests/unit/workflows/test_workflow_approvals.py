"""Approval and input steps: the document, validation with JSON paths, the body's values, the response outputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow_domino_plugin.workflows.approvals import approval_spec, render_body, response_outputs
from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import Approval, Task, workflow_json_schema
from airflow_domino_plugin.workflows.validation import check_workflow

ADD = {"repository": "r", "version": "1", "name": "Add"}
SAY = {"repository": "r", "version": "1", "name": "Say"}
CATALOG = InMemoryPieceCatalog(
    [
        PieceSpec(
            "r",
            "1",
            "Add",
            input_schema={"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            output_schema={"type": "object", "properties": {"total": {"type": "integer"}}},
        ),
        PieceSpec(
            "r",
            "1",
            "Say",
            input_schema={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
            output_schema={"type": "object", "properties": {}},
        ),
    ]
)


def doc(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema_version": 1, "id": "wf", "name": "wf", "tasks": tasks}


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def report(tasks: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    result = check_workflow(doc(tasks), CATALOG)
    return [(i.path, i.code) for i in result.errors], [(i.path, i.code) for i in result.warnings]


def test_an_approval_task_is_a_kind_of_its_own_named_by_its_title():
    task = Task.model_validate({"id": "ok", "approval": {"title": "Publish?"}})
    assert task.kind == "approval"
    assert task.display_name == "Publish?"
    assert task.approval is not None
    assert task.approval.choices == ["Approve", "Reject"]
    assert Approval.model_validate({"kind": "input", "title": "t"}).choices == ["OK"]
    schema = workflow_json_schema()
    assert "approval" in schema["$defs"]["Task"]["properties"]
    assert set(schema["$defs"]["Approval"]["properties"]) >= {"title", "body", "options", "respondents", "timeout_s"}


def test_a_valid_approval_binds_upstream_values_and_downstream_binds_its_response():
    errors, warnings = report(
        [
            {"id": "sum", "piece": ADD, "inputs": {"a": 1}},
            {
                "id": "ask",
                "approval": {
                    "kind": "input",
                    "title": "Which channel?",
                    "body": "Total is **{{ total }}**",
                    "options": ["mail", "chat"],
                    "fields": {"note": {"type": "string", "default": ""}},
                    "timeout_s": 60,
                    "on_timeout": "mail",
                },
                "inputs": {"total": up("sum", "total")},
                "depends_on": ["sum"],
            },
            {"id": "tell", "piece": SAY, "inputs": {"text": up("ask", "chosen")}, "depends_on": ["ask"]},
            {"id": "note", "piece": SAY, "inputs": {"text": up("ask", "note")}, "depends_on": ["ask"]},
        ]
    )
    assert errors == []
    assert warnings == []


def test_approval_mistakes_name_their_field():
    errors, warnings = report(
        [
            {
                "id": "ask",
                "approval": {
                    "title": "Go?",
                    "body": "{{ missing }}",
                    "options": ["x"],
                    "on_timeout": "Maybe",
                    "fields": {"chosen": {"type": "string"}, "n": {"type": "integer", "default": "no"}},
                },
                "for_each": {"items": up("ask", "x"), "input": "v"},
            },
            {"id": "tell", "piece": SAY, "inputs": {"text": up("ask", "nothing")}, "depends_on": ["ask"]},
        ]
    )
    paths = dict(errors)
    assert paths["tasks[0].approval.options"] == "approval_options"
    assert paths["tasks[0].approval.on_timeout"] == "unknown_option"
    assert paths["tasks[0].approval.fields.chosen"] == "reserved_field_name"
    assert "tasks[0].approval.fields.n.default" in paths
    assert paths["tasks[0].approval.body"] == "unknown_body_value"
    assert paths["tasks[0].for_each"] == "unsupported_on_approval"
    assert any(path.startswith("tasks[1].inputs.text") for path in paths)
    assert ("tasks[0].approval.on_timeout", "on_timeout_without_timeout") in warnings


def test_the_body_shows_values_and_the_response_becomes_outputs():
    assert render_body("Total {{ total }} for {{region}}; {{ other }}", {"total": 3, "region": "EU"}) == (
        "Total 3 for EU; {{ other }}"
    )
    assert render_body("{{ rows }}", {"rows": [1, {"a": "é"}]}) == '[1, {"a": "é"}]'
    approval = Approval.model_validate({"title": "t", "fields": {"note": {"type": "string", "default": "-"}}})
    at = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    outputs = response_outputs(
        approval,
        {
            "chosen_options": ["Approve"],
            "params_input": {"note": "fine"},
            "responded_at": at,
            "responded_by_user": {"id": "1", "name": "alice"},
        },
    )
    assert outputs == {
        "note": "fine",
        "chosen": "Approve",
        "chosen_options": ["Approve"],
        "approved": True,
        "responded_by": "alice",
        "responded_at": "2026-12-03T07:00:00+00:00",
    }
    assert set(approval_spec(approval).output_schema["properties"]) == set(outputs)
