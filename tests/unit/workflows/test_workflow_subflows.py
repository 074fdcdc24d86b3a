"""Sub-workflow tasks and data-aware schedules: the document, validation (paths named), cycles."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import Task, Workflow, workflow_json_schema
from airflow_domino_plugin.workflows.subflows import completion_assets, find_cycle, referenced_workflows
from airflow_domino_plugin.workflows.validation import check_workflow

ADD = {"repository": "r", "version": "1", "name": "Add"}
CATALOG = InMemoryPieceCatalog(
    [
        PieceSpec(
            "r",
            "1",
            "Add",
            input_schema={
                "type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "integer", "default": 0}},
                "required": ["a"],
            },
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


def doc(workflow_id: str, tasks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "tasks": tasks, **extra}


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


CHILD = Workflow.model_validate(
    doc(
        "child",
        [
            {"id": "first", "piece": ADD, "inputs": {"a": {"$param": "x"}}},
            {"id": "last", "piece": ADD, "inputs": {"a": up("first", "total")}, "depends_on": ["first"]},
        ],
        params={"x": {"type": "integer"}},
    )
)


def errors(raw: dict[str, Any], workflows: dict[str, Workflow] | None = None) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in check_workflow(raw, CATALOG, workflows=workflows or {}).errors]


def test_a_task_sets_exactly_one_of_piece_and_workflow():
    with pytest.raises(ValidationError, match="exactly one of `piece`, `workflow`, `approval`; got none"):
        Task.model_validate({"id": "t"})
    with pytest.raises(ValidationError, match="got `piece` and `workflow`"):
        Task.model_validate({"id": "t", "piece": ADD, "workflow": {"id": "child"}})
    assert Task.model_validate({"id": "t", "workflow": {"id": "child"}}).kind == "workflow"


def test_old_documents_stay_valid_and_the_schema_has_the_new_fields():
    assert (
        errors(
            doc(
                "old",
                [{"id": "a", "piece": ADD, "inputs": {"a": 1}}],
                schedule="@daily",
                start_date="2026-01-01T00:00:00Z",
            )
        )
        == []
    )
    schema = workflow_json_schema()
    task = schema["$defs"]["Task"]["properties"]
    assert {"workflow", "outlets"} <= set(task)
    assert "schedule_on" in schema["properties"]
    assert {"SubWorkflowRef", "ScheduleOn"} <= set(schema["$defs"])


def test_sub_workflow_inputs_are_the_childs_params_and_outputs_its_final_tasks():
    parent = doc(
        "parent",
        [
            {"id": "run", "workflow": {"id": "child"}, "inputs": {"x": 2}},
            {"id": "after", "piece": ADD, "inputs": {"a": up("run", "last.total")}, "depends_on": ["run"]},
        ],
    )
    assert errors(parent, {"child": CHILD}) == []
    parent["tasks"][0]["inputs"] = {"x": "two", "y": 1}
    parent["tasks"][1]["inputs"] = {"a": up("run", "first.total")}  # not a final task of the child
    assert errors(parent, {"child": CHILD}) == [
        ("tasks[0].inputs.x", "invalid_input"),
        ("tasks[0].inputs.y", "unknown_input"),
        ("tasks[1].inputs.a", "unknown_output"),
    ]
    parent["tasks"][0]["inputs"] = {}
    assert ("tasks[0].inputs.x", "missing_input") in errors(parent, {"child": CHILD})


def test_unknown_and_self_and_cyclic_workflows_are_refused_naming_the_field():
    assert errors(doc("p", [{"id": "run", "workflow": {"id": "nope"}}])) == [
        ("tasks[0].workflow.id", "unknown_workflow")
    ]
    assert errors(doc("p", [{"id": "run", "workflow": {"id": "p"}}])) == [("tasks[0].workflow.id", "workflow_cycle")]
    b = Workflow.model_validate(doc("b", [{"id": "call_c", "workflow": {"id": "c"}}]))
    c = Workflow.model_validate(doc("c", [{"id": "call_a", "workflow": {"id": "a"}}]))
    a = doc("a", [{"id": "add", "piece": ADD, "inputs": {"a": 1}}, {"id": "call_b", "workflow": {"id": "b"}}])
    report = check_workflow(a, CATALOG, workflows={"b": b, "c": c})
    assert [(i.path, i.code) for i in report.errors] == [("tasks[1].workflow.id", "workflow_cycle")]
    assert "`a` runs `b`, which runs `c`, which runs `a`" in report.errors[0].message
    assert find_cycle(Workflow.model_validate(a), {"b": b}) is None


def test_schedule_on_workflows_and_assets():
    tasks = [{"id": "t", "piece": ADD, "inputs": {"a": 1}, "outlets": ["s3://bucket/sales.csv"]}]
    ok = doc("w", tasks, schedule_on={"workflows": ["child"], "assets": ["sales"]})
    assert errors(ok, {"child": CHILD}) == []
    assert referenced_workflows(ok) == {"child"}
    assert errors(doc("w", tasks, schedule_on={"workflows": ["gone", "w"]})) == [
        ("schedule_on.workflows[0]", "unknown_workflow"),
        ("schedule_on.workflows[1]", "workflow_cycle"),
    ]
    assert errors(doc("w", tasks, schedule_on={}), {}) == [("schedule_on", "empty_schedule_on")]
    both = doc("w", tasks, schedule="@daily", start_date="2026-01-01T00:00:00Z", schedule_on={"assets": ["a"]})
    assert errors(both) == [("schedule_on", "schedule_conflict")]
    bad_asset = doc("w", [{**tasks[0], "outlets": ["has space"]}])
    assert errors(bad_asset) == [("tasks[0].outlets[0]", "invalid_value")]
    # Scheduled runs have no conf: parameters need defaults.
    no_default = doc("w", tasks, schedule_on={"assets": ["a"]}, params={"p": {"type": "string"}})
    assert errors(no_default) == [("params.p", "param_default_required")]


def test_completion_assets_are_the_final_tasks():
    assert completion_assets(CHILD) == {"last": "x-domino://workflows/child/tasks/last"}


def test_schedule_cycles_between_workflows_are_refused_naming_the_field():
    tasks = [{"id": "t", "piece": ADD, "inputs": {"a": 1}}]
    # b runs after c completes, c after a: saving a scheduled on b closes the loop a -> b -> c -> a.
    b = Workflow.model_validate(doc("b", tasks, schedule_on={"workflows": ["c"]}))
    c = Workflow.model_validate(doc("c", tasks, schedule_on={"workflows": ["a"]}))
    a = doc("a", tasks, schedule_on={"workflows": ["child", "b"]})
    report = check_workflow(a, CATALOG, workflows={"b": b, "c": c, "child": CHILD})
    assert [(i.path, i.code) for i in report.errors] == [("schedule_on.workflows[1]", "workflow_cycle")]
    message = report.errors[0].message
    assert "`a` runs after `b` completes, which runs after `c` completes, which runs after `a` completes" in message
    # Two workflows waiting for each other.
    two = check_workflow(doc("c", tasks, schedule_on={"workflows": ["a"]}), CATALOG, workflows={
        "a": Workflow.model_validate(doc("a", tasks, schedule_on={"workflows": ["c"]}))})  # fmt: skip
    assert [(i.path, i.code) for i in two.errors] == [("schedule_on.workflows[0]", "workflow_cycle")]
    # A chain without a loop is fine, and so is a sub-workflow call next to a schedule (different edges).
    assert errors(doc("a", tasks, schedule_on={"workflows": ["c"]}), {"c": CHILD}) == []


def test_a_workflow_scheduled_on_an_asset_it_updates_itself_is_refused():
    tasks = [{"id": "t", "piece": ADD, "inputs": {"a": 1}, "outlets": ["sales"]}]
    assert errors(doc("w", tasks, schedule_on={"assets": ["orders", "sales"]})) == [
        ("schedule_on.assets[1]", "workflow_cycle")
    ]


def test_schedule_cycles_through_assets_other_workflows_update_are_refused():
    def producing(asset: str) -> list[dict]:
        return [{"id": "t", "piece": ADD, "inputs": {"a": 1}, "outlets": [asset]}]

    # b updates `orders` and runs after a completes: a scheduled on `orders` would loop a -> b -> a.
    b = Workflow.model_validate(doc("b", producing("orders"), schedule_on={"workflows": ["a"]}))
    a = doc("a", producing("report"), schedule_on={"assets": ["sales", "orders"]})
    report = check_workflow(a, CATALOG, workflows={"b": b})
    assert [(i.path, i.code) for i in report.errors] == [("schedule_on.assets[1]", "workflow_cycle")]
    assert "`a` runs after `b` updates asset `orders`, which runs after `a` completes" in report.errors[0].message
    # Both ways through assets: c waits for `report` (a's), a waits for `cleaned` (c's).
    c = Workflow.model_validate(doc("c", producing("cleaned"), schedule_on={"assets": ["report"]}))
    loop = check_workflow(
        doc("a", producing("report"), schedule_on={"assets": ["cleaned"]}), CATALOG, workflows={"c": c}
    )
    assert [(i.path, i.code) for i in loop.errors] == [("schedule_on.assets[0]", "workflow_cycle")]
    assert "`c` updates asset `cleaned`, which runs after `a` updates asset `report`" in loop.errors[0].message
    # An asset nobody in the loop updates, and a producer that does not wait back, are fine.
    c_free = Workflow.model_validate(doc("c", producing("cleaned")))
    assert (
        check_workflow(
            doc("a", producing("report"), schedule_on={"assets": ["cleaned"]}), CATALOG, workflows={"c": c_free}
        ).errors
        == []
    )
