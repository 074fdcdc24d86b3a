"""Structured diffs between two revisions."""

from __future__ import annotations

import copy
import json

from airflow_domino_plugin.workflows.diff import diff_workflows
from airflow_domino_plugin.workflows.document import Workflow


def test_identical_documents_have_no_changes(doc):
    result = diff_workflows(doc, copy.deepcopy(doc))
    assert result["has_changes"] is False
    assert result["settings"] == []
    assert result["tasks"] == {"added": [], "removed": [], "changed": []}


def test_implicit_defaults_equal_explicit_ones(doc):
    explicit = copy.deepcopy(doc)
    explicit["tasks"][0]["depends_on"] = []
    explicit["description"] = doc["description"]
    explicit["tasks"][0]["label"] = None
    assert diff_workflows(doc, explicit)["has_changes"] is False


def test_reordering_tasks_is_not_a_change(doc):
    reordered = copy.deepcopy(doc)
    reordered["tasks"].reverse()
    assert diff_workflows(doc, reordered)["has_changes"] is False


def test_settings_tasks_and_edges(doc):
    new = copy.deepcopy(doc)
    new["schedule"] = "@hourly"
    new["params"]["region"]["default"] = "US"
    new["tags"].append("finance")
    new["tasks"][1]["inputs"]["headers"][1]["value"] = "text/csv"
    new["tasks"][1]["retries"] = 5
    del new["tasks"][1]["inputs"]["method"]
    new["tasks"][2]["depends_on"] = ["fetch", "notify"]
    new["tasks"].append({"id": "notify", "piece": {"repository": "examples", "version": "1.0.0", "name": "X"}})
    new["tasks"] = [t for t in new["tasks"] if t["id"] != "login"]
    new["tasks"][0]["depends_on"] = []
    new["ui"]["nodes"]["fetch"]["x"] = 999

    result = diff_workflows(Workflow.model_validate(doc), new)

    assert result["settings"] == [
        {"path": "schedule", "kind": "changed", "old": "0 5 * * MON-FRI", "new": "@hourly"},
        {"path": "tags", "kind": "changed", "old": ["sales"], "new": ["sales", "finance"]},
        {"path": "params.region.default", "kind": "changed", "old": "EU", "new": "US"},
    ]
    assert result["tasks"]["added"] == ["notify"]
    assert result["tasks"]["removed"] == ["login"]
    changed = {c["id"]: c["changes"] for c in result["tasks"]["changed"]}
    assert changed["fetch"] == [
        {"path": "inputs.method", "kind": "removed", "old": "GET", "new": None},
        {"path": "inputs.headers[1].value", "kind": "changed", "old": "application/json", "new": "text/csv"},
        {"path": "depends_on", "kind": "changed", "old": ["login"], "new": []},
        {"path": "retries", "kind": "changed", "old": 2, "new": 5},
    ]
    assert changed["summarize"] == [
        {"path": "depends_on", "kind": "changed", "old": ["fetch"], "new": ["fetch", "notify"]}
    ]
    assert result["edges"] == {
        "added": [{"from": "notify", "to": "summarize"}],
        "removed": [{"from": "login", "to": "fetch"}],
    }
    assert result["ui_changed"] is True
    assert result["has_changes"] is True
    json.dumps(result)  # JSON-serialisable as returned


def test_boolean_and_integer_are_different(doc):
    new = copy.deepcopy(doc)
    new["tasks"][0]["inputs"]["username"] = True
    old = copy.deepcopy(doc)
    old["tasks"][0]["inputs"]["username"] = 1
    [change] = diff_workflows(old, new)["tasks"]["changed"][0]["changes"]
    assert change == {"path": "inputs.username", "kind": "changed", "old": 1, "new": True}


def test_invalid_documents_are_still_diffable():
    old = {"schema_version": 0, "id": "x", "tasks": [{"id": "a"}]}
    new = {"schema_version": 0, "id": "x", "tasks": [{"id": "a", "depends_on": ["b"]}, {"id": "b"}]}
    result = diff_workflows(old, new)
    assert result["tasks"]["added"] == ["b"]
    assert result["edges"]["added"] == [{"from": "b", "to": "a"}]
