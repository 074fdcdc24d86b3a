"""The document models and the published JSON schema."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from airflow_domino_plugin.execution.runners.quantities import cpu_millicores, memory_bytes
from airflow_domino_plugin.workflows.document import (
    EXAMPLE_WORKFLOW,
    ConnectionSecret,
    VariableSecret,
    Workflow,
    workflow_json_schema,
)
from airflow_domino_plugin.workflows.issues import format_path, json_pointer
from airflow_domino_plugin.workflows.schedule import describe_schedule


def test_json_schema_is_valid_json_schema():
    schema = workflow_json_schema()
    Draft202012Validator.check_schema(schema)  # against the 2020-12 meta-schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Workflow"
    json.dumps(schema)  # serialisable as served


def test_json_schema_is_documented():
    schema = workflow_json_schema()
    assert schema["examples"] == [EXAMPLE_WORKFLOW]
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{name} has no description"
    task = schema["$defs"]["Task"]
    assert task["additionalProperties"] is False
    assert task["properties"]["inputs"]["additionalProperties"] == {"$ref": "#/$defs/InputValue"}
    assert {"UpstreamBinding", "ParamBinding", "InputValue"} <= set(schema["$defs"])
    assert schema["properties"]["id"]["pattern"] == "^[a-z][a-z0-9_]{0,199}$"


def test_json_schema_accepts_the_example_and_the_test_document(doc):
    validator = Draft202012Validator(workflow_json_schema())
    assert list(validator.iter_errors(EXAMPLE_WORKFLOW)) == []
    assert list(validator.iter_errors(doc)) == []


def test_json_schema_rejects_typos_and_malformed_bindings(doc):
    validator = Draft202012Validator(workflow_json_schema())
    typo = copy.deepcopy(doc)
    typo["tasks"][0]["dependson"] = []
    assert list(validator.iter_errors(typo))
    bad_binding = copy.deepcopy(doc)
    bad_binding["tasks"][1]["inputs"]["headers"][0]["value"] = {"$upstream": "login"}
    assert list(validator.iter_errors(bad_binding))


def test_model_round_trip(doc):
    workflow = Workflow.model_validate(doc)
    dumped = workflow.model_dump(mode="json")
    assert Workflow.model_validate(dumped) == workflow
    assert dumped["start_date"] == "2026-11-01T00:00:00Z"
    assert isinstance(workflow.tasks[0].secrets["PASSWORD"], ConnectionSecret)
    assert isinstance(workflow.tasks[1].secrets["API_KEY"], VariableSecret)
    assert workflow.tasks[0].secrets["PASSWORD"].field == "password"


def test_task_policy_applies_defaults(doc):
    workflow = Workflow.model_validate(doc)
    fetch = workflow.get_task("fetch")
    assert fetch is not None
    assert workflow.task_policy(fetch).model_dump() == {
        "retries": 2,
        "retry_delay_s": 300,
        "timeout_s": 600,
        "runner": "kubernetes",
    }
    login = workflow.get_task("login")
    assert login is not None
    assert workflow.task_policy(login).runner == "subprocess"
    assert workflow.get_task("nope") is None


def test_ui_block_keeps_editor_extras(doc):
    doc["ui"]["nodes"]["login"]["collapsed"] = True
    doc["ui"]["grid"] = 8
    workflow = Workflow.model_validate(doc)
    assert workflow.model_dump(mode="json")["ui"]["nodes"]["login"]["collapsed"] is True
    assert workflow.model_dump(mode="json")["ui"]["grid"] == 8


@pytest.mark.parametrize(("cpu", "millis"), [("500m", 500), ("2", 2000), (0.5, 500), (1, 1000), ("1.5", 1500)])
def test_cpu_millicores(cpu, millis):
    assert cpu_millicores(cpu) == millis


def test_memory_bytes():
    assert memory_bytes("512Mi") == 512 * 2**20
    assert memory_bytes("1G") == 10**9
    assert memory_bytes("100") == 100
    with pytest.raises(ValueError, match="not a memory quantity"):
        memory_bytes("12 bananas")


def test_paths():
    loc = ("tasks", 2, "inputs", "headers", 0, "value")
    assert format_path(loc) == "tasks[2].inputs.headers[0].value"
    assert json_pointer(loc) == "/tasks/2/inputs/headers/0/value"
    assert format_path(("secrets", "my-key", "a/b")) == 'secrets["my-key"]["a/b"]'
    assert json_pointer(("a/b", "c~d")) == "/a~1b/c~0d"
    assert format_path(()) == ""


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (None, "Not scheduled: runs only when triggered"),
        ("@once", "Once, at the start date"),
        ("@continuous", "Continuously: a new run starts as soon as the previous one finishes"),
        ("@daily", "At 00:00"),
        ("@hourly", "Every hour"),
        ("0 5 * * MON-FRI", "At 05:00, Monday through Friday"),
        ("*/15 * * * *", "Every 15 minutes"),
        ("0 0 1 * 1", "At 00:00, on day 1 of the month, or only on Monday"),
    ],
)
def test_describe_schedule(schedule, text):
    assert describe_schedule(schedule) == text


def test_describe_schedule_with_timezone_and_errors():
    assert describe_schedule("@weekly", "Europe/Paris") == "At 00:00, only on Sunday (Europe/Paris)"
    with pytest.raises(ValueError, match="expected exactly 5"):
        describe_schedule("whenever")


def test_full_example_in_the_user_docs_is_a_valid_document():
    from pathlib import Path

    from airflow_domino_plugin.workflows.validation import parse_workflow

    text = (Path(__file__).parents[3] / "docs" / "workflows.md").read_text()
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    workflow, issues = parse_workflow(example)
    assert issues == []
    assert workflow is not None
    assert Draft202012Validator(workflow_json_schema()).is_valid(example)
