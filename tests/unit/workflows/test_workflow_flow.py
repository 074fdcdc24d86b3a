"""Validation of for-each, branches and trigger rules: each error names its JSON path."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_domino_plugin.workflows.document import TRIGGER_RULES
from airflow_domino_plugin.workflows.flow import rule_holds
from airflow_domino_plugin.workflows.validation import ValidationIssue, validate_workflow


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def codes(issues: list[ValidationIssue]) -> set[tuple[str, str]]:
    return {(i.path, i.code) for i in issues}


def add_mapped_summary(doc: dict[str, Any], **for_each: Any) -> dict[str, Any]:
    """tasks[3] `per_scope`: SummarizePiece once per login scope (title = the scope)."""
    task = {
        "id": "per_scope",
        "piece": {"repository": "examples", "version": "1.0.0", "name": "SummarizePiece"},
        "inputs": {"rows": up("fetch", "rows")},
        "depends_on": ["fetch"],
        "for_each": {"items": up("login", "scopes"), "input": "title", "max_parallel": 2, **for_each},
    }
    doc["tasks"].append(task)
    return task


def test_for_each_over_a_list_is_valid_and_downstream_sees_a_list(doc, catalog):
    add_mapped_summary(doc)
    doc["tasks"].append(
        {
            "id": "after",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "SummarizePiece"},
            "inputs": {"rows": up("fetch", "rows"), "tags": up("per_scope", "report")},
            "depends_on": ["per_scope"],
        }
    )
    assert validate_workflow(doc, catalog) == []
    # A single value of a mapped task does not exist: its outputs are lists.
    doc["tasks"][4]["inputs"]["title"] = up("per_scope", "report")
    assert ("tasks[4].inputs.title", "incompatible_type") in codes(validate_workflow(doc, catalog))


def test_for_each_errors_name_their_path(doc, catalog):
    add_mapped_summary(doc, items=up("login", "token"))
    assert ("tasks[3].for_each.items", "for_each_not_list") in codes(validate_workflow(doc, catalog))
    doc["tasks"][3]["for_each"]["items"] = up("login", "nope")
    assert ('tasks[3].for_each.items["$upstream"].output', "unknown_output") in codes(validate_workflow(doc, catalog))
    doc["tasks"][3]["for_each"]["items"] = up("ghost", "rows")
    assert ('tasks[3].for_each.items["$upstream"].task', "unknown_upstream_task") in codes(
        validate_workflow(doc, catalog)
    )
    doc["tasks"][3]["for_each"] = {"items": up("login", "scopes"), "input": "limit"}
    assert ("tasks[3].for_each.input", "incompatible_type") in codes(validate_workflow(doc, catalog))
    doc["tasks"][3]["for_each"] = {"items": up("login", "scopes"), "input": "titel"}
    assert ("tasks[3].for_each.input", "unknown_input") in codes(validate_workflow(doc, catalog))
    doc["tasks"][3]["for_each"] = {"items": up("login", "scopes"), "input": "rows"}
    assert ("tasks[3].for_each.input", "for_each_input_set") in codes(validate_workflow(doc, catalog))
    doc["tasks"][3]["for_each"] = {"items": up("login", "scopes"), "input": "title", "max_parallel": 0}
    assert ("tasks[3].for_each.max_parallel", "invalid_value") in codes(validate_workflow(doc, catalog))


def test_for_each_needs_an_ancestor(doc, catalog):
    task = add_mapped_summary(doc)
    task["depends_on"] = []
    task["inputs"] = {"rows": [], "title": "x"}
    issues = codes(validate_workflow(doc, catalog))
    assert ('tasks[3].for_each.items["$upstream"].task', "upstream_not_ancestor") in issues


def branch_doc(doc: dict[str, Any], branch: dict[str, Any]) -> dict[str, Any]:
    """`fetch` branches between `big` and `small`; `join` runs after either."""
    doc["tasks"][1]["branch"] = branch
    doc["tasks"][1]["runner"] = "subprocess"
    for task_id in ("big", "small"):
        doc["tasks"].append(
            {
                "id": task_id,
                "piece": {"repository": "examples", "version": "1.0.0", "name": "LoginPiece"},
                "inputs": {"username": task_id},
                "secrets": {"PASSWORD": {"variable": "pw"}},
                "depends_on": ["fetch"],
            }
        )
    doc["tasks"].append(
        {
            "id": "join",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "LoginPiece"},
            "inputs": {"username": "join"},
            "secrets": {"PASSWORD": {"variable": "pw"}},
            "depends_on": ["big", "small"],
            "trigger_rule": "none_failed_min_one_success",
        }
    )
    return doc


def test_branch_on_own_output_and_param_is_valid(doc, catalog):
    rules = [
        {"value": up("fetch", "status"), "op": "ge", "operand": 400, "then": ["small"]},
        {"value": {"$param": "region"}, "op": "in", "operand": ["EU"], "then": ["big", "small"]},
        {"value": up("login", "scopes"), "op": "contains", "operand": "admin", "then": ["big"]},
    ]
    assert validate_workflow(branch_doc(doc, {"when": rules, "else": ["big"]}), catalog) == []


def test_branch_errors_name_their_path(doc, catalog):
    rules = [
        {"value": up("fetch", "statuz"), "op": "gt", "operand": [1], "then": ["summarize", "ghost"]},
        {"value": "literal", "op": "truthy", "operand": 1, "then": ["big"]},
        {"value": {"$param": "nope"}, "op": "in", "operand": "EU", "then": ["big"]},
        {"value": up("join", "token"), "op": "eq", "then": ["big"]},
    ]
    issues = codes(validate_workflow(branch_doc(doc, {"when": rules, "else": ["login"]}), catalog))
    assert {
        ('tasks[1].branch.when[0].value["$upstream"].output', "unknown_output"),
        ("tasks[1].branch.when[0].operand", "invalid_branch_operand"),
        ("tasks[1].branch.when[0].then[1]", "unknown_branch_target"),
        ("tasks[1].branch.when[1].value", "invalid_branch_value"),
        ("tasks[1].branch.when[1].operand", "invalid_branch_operand"),
        ('tasks[1].branch.when[2].value["$param"]', "unknown_param"),
        ("tasks[1].branch.when[2].operand", "invalid_branch_operand"),
        ('tasks[1].branch.when[3].value["$upstream"].task', "upstream_not_ancestor"),
        ("tasks[1].branch.else[0]", "branch_target_not_downstream"),
    } <= issues
    # `summarize` depends on fetch: a valid target.
    assert ("tasks[1].branch.when[0].then[0]", "branch_target_not_downstream") not in issues


def test_branch_shape_errors(doc, catalog):
    issues = validate_workflow(branch_doc(doc, {"when": [], "els": []}), catalog)
    assert {"tasks[1].branch.when", "tasks[1].branch.els"} <= {i.path for i in issues}
    doc["tasks"][1]["branch"] = {"when": [{"value": {"$param": "region"}, "op": "matches", "then": ["big"]}]}
    [issue] = [i for i in validate_workflow(doc, catalog) if i.path == "tasks[1].branch.when[0].op"]
    assert "contains" in issue.message


def test_branch_and_for_each_need_the_subprocess_runner(doc, catalog):
    rules = [{"value": {"$param": "region"}, "op": "truthy", "then": ["big"]}]
    branch_doc(doc, {"when": rules})["tasks"][1]["runner"] = "kubernetes"
    add_mapped_summary(doc)["runner"] = "docker"
    issues = codes(validate_workflow(doc, catalog))
    assert {("tasks[1].branch", "runner_unsupported"), ("tasks[6].for_each", "runner_unsupported")} <= issues


def test_trigger_rule_is_checked_by_name(doc, catalog):
    doc["tasks"][2]["trigger_rule"] = "sometimes"
    [issue] = [i for i in validate_workflow(doc, catalog) if i.path == "tasks[2].trigger_rule"]
    assert "none_failed_min_one_success" in issue.message


def test_trigger_rules_are_airflows():
    from airflow.task.trigger_rule import TriggerRule

    assert set(TRIGGER_RULES) <= {rule.value for rule in TriggerRule}


def test_for_each_and_branch_on_one_task_is_refused(doc, catalog):
    task = add_mapped_summary(doc)
    task["branch"] = {"when": [{"value": {"$param": "region"}, "op": "truthy", "then": ["summarize"]}]}
    issues = codes(validate_workflow(doc, catalog))
    assert ("tasks[3].branch", "for_each_with_branch") in issues


@pytest.mark.parametrize(
    ("op", "value", "operand", "holds"),
    [
        ("eq", 1, 1, True),
        ("ne", "a", "a", False),
        ("gt", 5, 3, True),
        ("le", "a", "b", True),
        ("in", "EU", ["EU", "US"], True),
        ("not_in", 3, [1, 2], True),
        ("contains", "hello", "ell", True),
        ("contains", [1, 2], 3, False),
        ("truthy", [], None, False),
        ("falsy", 0, None, True),
    ],
)
def test_rules(op, value, operand, holds):
    assert rule_holds(op, value, operand) is holds


def test_rule_refuses_mixed_comparisons():
    with pytest.raises(TypeError):
        rule_holds("gt", "5", 3)


def test_diff_shows_branch_and_for_each_as_written():
    from airflow_domino_plugin.workflows.diff import diff_workflows

    base = {
        "schema_version": 1,
        "id": "x",
        "name": "x",
        "tasks": [{"id": "a", "piece": {"repository": "r", "version": "1", "name": "P"}}],
    }
    changed = {
        **base,
        "tasks": [
            {
                **base["tasks"][0],
                "branch": {"when": [{"value": {"$param": "p"}, "op": "truthy", "then": ["z"]}], "else": ["y"]},
                "for_each": {"items": up("b", "o"), "input": "n"},
            }
        ],
    }
    [task] = diff_workflows(base, changed)["tasks"]["changed"]
    by_path = {change["path"]: change["new"] for change in task["changes"]}
    assert by_path["branch"]["else"] == ["y"]
    assert by_path["for_each"]["items"] == up("b", "o")
