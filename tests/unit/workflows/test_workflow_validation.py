"""validate_workflow: one failing case per rule, exact paths, messages naming what was expected."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.issues import ValidationIssue
from airflow_domino_plugin.workflows.validation import check_workflow, parse_workflow, validate_workflow


def check(doc: Any, catalog: InMemoryPieceCatalog, **kwargs: Any) -> list[ValidationIssue]:
    return validate_workflow(doc, catalog, **kwargs)


def issue_at(issues: list[ValidationIssue], path: str, code: str | None = None) -> ValidationIssue:
    matches = [i for i in issues if i.path == path and (code is None or i.code == code)]
    assert matches, f"no issue at {path!r} ({code}); got:\n" + "\n".join(
        f"  {i.path} [{i.code}] {i.message}" for i in issues
    )
    return matches[0]


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


# ------------------------------------------------------------------ the happy path


def test_realistic_document_is_valid(doc, catalog):
    assert check(doc, catalog) == []
    workflow, issues = parse_workflow(doc)
    assert issues == []
    assert workflow is not None
    assert [t.id for t in workflow.tasks] == ["login", "fetch", "summarize"]


def test_minimal_document_is_valid(catalog):
    assert check({"schema_version": 1, "id": "w", "name": "W"}, catalog) == []


def test_issue_carries_path_pointer_message_and_code(doc, catalog):
    doc["tasks"][1]["inputs"]["retries"] = "three"
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.retries")
    assert issue.pointer == "/tasks/1/inputs/retries"
    assert issue.code == "invalid_input"
    assert issue.message == "Expected integer for input `retries`, got string 'three'."
    assert issue.model_dump() == {
        "path": "tasks[1].inputs.retries",
        "pointer": "/tasks/1/inputs/retries",
        "message": issue.message,
        "code": "invalid_input",
    }


# ------------------------------------------------------------------ shape, version, ids


def test_not_an_object(catalog):
    [issue] = check(["not", "a", "workflow"], catalog)
    assert issue.path == ""
    assert "must be a JSON object" in issue.message


def test_schema_version_unsupported(doc, catalog):
    doc["schema_version"] = 2
    issue = issue_at(check(doc, catalog), "schema_version", "unsupported_schema_version")
    assert "version 1" in issue.message


def test_schema_version_missing(doc, catalog):
    del doc["schema_version"]
    issue = issue_at(check(doc, catalog), "schema_version", "missing_field")
    assert issue.message == "Required field `schema_version` is missing."


@pytest.mark.parametrize("bad_id", ["Daily", "1daily", "daily-sales", "", "x" * 201])
def test_workflow_id_must_be_slug(doc, catalog, bad_id):
    issue = issue_at(check({**doc, "id": bad_id}, catalog), "id")
    assert issue.code in ("invalid_slug",)
    assert "lowercase letter first" in issue.message


def test_workflow_id_taken_by_foreign_dag(doc, catalog):
    issues = check(doc, catalog, existing_foreign_dag_ids={"daily_sales", "other"})
    issue = issue_at(issues, "id", "dag_id_taken")
    assert "`daily_sales` already exists in Airflow" in issue.message
    assert check(doc, catalog, existing_foreign_dag_ids={"other"}) == []


def test_unknown_top_level_field_suggests_the_right_one(doc, catalog):
    doc["shedule"] = doc.pop("schedule")
    issue = issue_at(check(doc, catalog), "shedule", "unknown_field")
    assert "Did you mean `schedule`?" in issue.message


def test_unknown_task_field_lists_allowed_fields(doc, catalog):
    doc["tasks"][0]["retires"] = 3
    issue = issue_at(check(doc, catalog), "tasks[0].retires", "unknown_field")
    assert "Did you mean `retries`?" in issue.message
    assert "`depends_on`" in issue.message


def test_wrong_scalar_types_are_named(doc, catalog):
    doc["max_active_runs"] = "2"
    doc["catchup"] = "no"
    doc["defaults"]["retries"] = -1
    issues = check(doc, catalog)
    assert issue_at(issues, "max_active_runs").message == "Expected an integer, got string '2'."
    assert issue_at(issues, "catchup").message == "Expected true or false, got string 'no'."
    assert issue_at(issues, "defaults.retries").message == "Expected a number ≥ 0, got integer -1."


def test_task_id_must_be_slug(doc, catalog):
    doc["tasks"][2]["id"] = "Summarize!"
    issue = issue_at(check(doc, catalog), "tasks[2].id", "invalid_slug")
    assert "task id" in issue.message


def test_resources_and_kubernetes_overrides_are_checked(doc, catalog):
    res = doc["tasks"][1]["resources"]
    res.update(cpu="lots", memory="512MB", gpu=-1, namespace="Bad_NS")
    res["tolerations"][0]["effect"] = "Sometimes"
    issues = check(doc, catalog)
    assert 'millicores like "500m"' in issue_at(issues, "tasks[1].resources.cpu", "invalid_cpu").message
    assert '"512Mi"' in issue_at(issues, "tasks[1].resources.memory", "invalid_memory").message
    issue_at(issues, "tasks[1].resources.gpu", "invalid_value")
    issue_at(issues, "tasks[1].resources.namespace", "invalid_namespace")
    assert "'NoSchedule'" in issue_at(issues, "tasks[1].resources.tolerations[0].effect").message


def test_runner_must_be_known(doc, catalog):
    doc["tasks"][1]["runner"] = "lambda"
    issue = issue_at(check(doc, catalog), "tasks[1].runner")
    assert "'subprocess', 'docker' or 'kubernetes'" in issue.message


# ------------------------------------------------------------------ graph


def test_duplicate_task_ids(doc, catalog):
    doc["tasks"][2]["id"] = "login"
    issue = issue_at(check(doc, catalog), "tasks[2].id", "duplicate_task_id")
    assert issue.message.startswith("Duplicate task id `login`: already used by tasks[0]")


def test_depends_on_unknown_task(doc, catalog):
    doc["tasks"][1]["depends_on"] = ["logn"]
    issues = check(doc, catalog)
    issue = issue_at(issues, "tasks[1].depends_on[0]", "unknown_dependency")
    assert "unknown task `logn`" in issue.message
    assert "Did you mean `login`?" in issue.message


def test_dependency_cycle_is_named(doc, catalog):
    doc["tasks"][0]["depends_on"] = ["summarize"]
    issue = issue_at(check(doc, catalog), "tasks[0].depends_on[0]", "dependency_cycle")
    assert issue.message == (
        "Dependency cycle: `login` depends on `summarize`, which depends on `fetch`, which depends on "
        "`login`. Remove one of these dependencies."
    )


def test_self_dependency(doc, catalog):
    doc["tasks"][0]["depends_on"] = ["login"]
    issue = issue_at(check(doc, catalog), "tasks[0].depends_on[0]", "dependency_cycle")
    assert "depends on itself" in issue.message


def test_dependency_listed_twice(doc, catalog):
    doc["tasks"][1]["depends_on"] = ["login", "login"]
    issue_at(check(doc, catalog), "tasks[1].depends_on[1]", "duplicate_dependency")


def test_task_with_shape_error_still_exists_for_references(doc, catalog):
    doc["tasks"][0]["retries"] = "x"  # breaks task 0's shape
    issues = check(doc, catalog)
    assert [i.path for i in issues] == ["tasks[0].retries"]


def test_ui_node_for_unknown_task(doc, catalog):
    doc["ui"]["nodes"]["ghost"] = {"x": 1, "y": 2}
    doc["ui"]["nodes"]["login"]["collapsed"] = True  # editor extras are allowed
    issues = check(doc, catalog)
    assert [i.code for i in issues] == ["ui_unknown_task"]
    assert issues[0].path == "ui.nodes.ghost"


# ------------------------------------------------------------------ pieces


def test_repository_not_installed(doc, catalog):
    doc["tasks"][0]["piece"]["repository"] = "nope"
    issue = issue_at(check(doc, catalog), "tasks[0].piece.repository", "unknown_repository")
    assert "`nope` is not installed" in issue.message


def test_version_not_installed_lists_installed_versions(doc, catalog):
    doc["tasks"][1]["piece"]["version"] = "2.0.0"
    issue = issue_at(check(doc, catalog), "tasks[1].piece.version", "unknown_piece_version")
    assert issue.message == (
        "Version `2.0.0` of repository `examples` is not installed; installed version(s): `1.0.0`, `1.10.0`."
    )


def test_unknown_piece_name_suggests(doc, catalog):
    doc["tasks"][1]["piece"]["name"] = "HttpRequestPeice"
    issue = issue_at(check(doc, catalog), "tasks[1].piece.name", "unknown_piece")
    assert "has no piece `HttpRequestPeice`" in issue.message
    assert "Did you mean `HttpRequestPiece`?" in issue.message


def test_unknown_piece_skips_type_checks_but_keeps_binding_checks(doc, catalog):
    doc["tasks"][0]["piece"]["name"] = "GonePiece"
    doc["tasks"][1]["inputs"]["region"] = {"$param": "nope"}
    issues = check(doc, catalog)
    assert {(i.path, i.code) for i in issues} == {
        ("tasks[0].piece.name", "unknown_piece"),
        ("tasks[1].inputs.region", "unknown_param"),
    }


def test_broken_piece_schema_is_reported_not_raised(doc, catalog):
    catalog.add(
        PieceSpec("examples", "1.0.0", "BrokenPiece", input_schema={"type": "object", "properties": {"a": {"type": 5}}})
    )
    doc["tasks"].append(
        {"id": "broken", "piece": {"repository": "examples", "version": "1.0.0", "name": "BrokenPiece"}}
    )
    doc["tasks"][-1]["inputs"] = {"a": 1}
    issue = issue_at(check(doc, catalog), "tasks[3].inputs", "piece_schema_error")
    assert "BrokenPiece" in issue.message


# ------------------------------------------------------------------ literal inputs


def test_required_input_missing(doc, catalog):
    doc["tasks"][0]["inputs"] = {}
    issue = issue_at(check(doc, catalog), "tasks[0].inputs.username", "missing_input")
    task = doc["tasks"][0]["id"]
    assert issue.message == (
        f"Input `username` of task `{task}` needs a value (string): type it, "
        "or bind it to an output of an upstream task."
    )
    assert "$upstream" not in issue.message


def test_unknown_input(doc, catalog):
    doc["tasks"][0]["inputs"]["usernme"] = "x"
    issue = issue_at(check(doc, catalog), "tasks[0].inputs.usernme", "unknown_input")
    assert "Did you mean `username`?" in issue.message
    assert "Its inputs: `username`" in issue.message


def test_enum_input(doc, catalog):
    doc["tasks"][1]["inputs"]["method"] = "PUT"
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.method", "invalid_input")
    assert issue.message == "Expected one of 'GET', 'POST' for input `method`, got string 'PUT'."


def test_nested_literal_errors_have_deep_paths(doc, catalog):
    doc["tasks"][1]["inputs"]["headers"][1] = {"name": 1}
    issues = check(doc, catalog)
    assert issue_at(issues, "tasks[1].inputs.headers[1].name").message == (
        "Expected string for field `headers[1].name`, got integer 1."
    )
    assert issue_at(issues, "tasks[1].inputs.headers[1].value", "missing_input").message == (
        "Required field `value` is missing (expected string)."
    )


def test_optional_sub_model_literal_is_checked_inside(doc, catalog):
    doc["tasks"][2]["inputs"]["layout"] = {"columns": "three"}
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.layout.columns")
    assert "Expected integer" in issue.message


def test_wrong_type_for_optional_input_names_both_options(doc, catalog):
    doc["tasks"][1]["inputs"]["body"] = 5
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.body")
    assert issue.message == "Expected object or null for input `body`, got integer 5."


def test_literal_next_to_binding_is_still_validated(doc, catalog):
    doc["tasks"][2]["inputs"]["tags"] = [{"$param": "region"}, 7]
    issues = check(doc, catalog)
    assert [i.path for i in issues] == ["tasks[2].inputs.tags[1]"]


# ------------------------------------------------------------------ from_upstream


def test_from_upstream_always_with_literal(doc, catalog):
    doc["tasks"][2]["inputs"]["rows"] = []
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.rows", "input_must_be_bound")
    assert "must come from an upstream task, but it has a literal value" in issue.message
    assert "bind this input to one of its outputs" in issue.message
    assert "$upstream" not in issue.message


def test_from_upstream_always_missing_is_one_issue(doc, catalog):
    del doc["tasks"][2]["inputs"]["rows"]
    issues = [i for i in check(doc, catalog) if i.path == "tasks[2].inputs.rows"]
    assert [i.code for i in issues] == ["input_must_be_bound"]
    assert "it is missing" in issues[0].message


def test_from_upstream_always_with_param(doc, catalog):
    doc["tasks"][2]["inputs"]["rows"] = {"$param": "region"}
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.rows", "input_must_be_bound")
    assert "run parameter" in issue.message


def test_from_upstream_never_bound(doc, catalog):
    doc["tasks"][1]["inputs"]["url"] = up("login", "token")
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.url", "input_cannot_be_bound")
    assert "cannot take an upstream output" in issue.message


def test_from_upstream_never_accepts_param(doc, catalog):
    doc["params"]["url"] = {"type": "string", "default": "https://x"}
    doc["tasks"][1]["inputs"]["url"] = {"$param": "url"}
    assert check(doc, catalog) == []


# ------------------------------------------------------------------ $upstream


def test_upstream_must_be_ancestor(doc, catalog):
    doc["tasks"][1]["inputs"]["region"] = up("summarize", "report")
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.region", "upstream_not_ancestor")
    assert "Task `summarize` is not upstream of `fetch`" in issue.message
    assert "depends_on" in issue.message


def test_transitive_ancestor_is_fine(doc, catalog):
    doc["tasks"][2]["inputs"]["title"] = up("login", "token")  # login -> fetch -> summarize
    assert check(doc, catalog) == []


def test_upstream_unknown_task(doc, catalog):
    doc["tasks"][2]["inputs"]["title"] = up("fetch_all", "body")
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.title", "unknown_upstream_task")
    assert "unknown task `fetch_all`" in issue.message


def test_upstream_self(doc, catalog):
    doc["tasks"][2]["inputs"]["title"] = up("summarize", "report")
    issue_at(check(doc, catalog), "tasks[2].inputs.title", "upstream_self")


def test_upstream_unknown_output(doc, catalog):
    doc["tasks"][2]["inputs"]["rows"] = up("fetch", "row")
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.rows", "unknown_output")
    assert "has no output `row`" in issue.message
    assert "Did you mean `rows`?" in issue.message


def test_upstream_incompatible_type(doc, catalog):
    doc["tasks"][2]["inputs"]["layout"] = {"columns": up("fetch", "elapsed_s")}
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.layout.columns", "incompatible_type")
    assert issue.message == (
        "Output `elapsed_s` of task `fetch` (number) cannot feed input `layout.columns`, which expects "
        "integer: number does not fit integer."
    )


def test_upstream_optional_into_required_is_a_warning(doc, catalog):
    doc["tasks"][2]["inputs"]["limit"] = up("fetch", "maybe_count")
    report = check_workflow(doc, catalog)
    assert report.errors == []
    [warning] = report.warnings
    assert (warning.path, warning.pointer, warning.code) == (
        "tasks[2].inputs.limit",
        "/tasks/2/inputs/limit",
        "nullable_upstream",
    )
    assert warning.message == (
        "Output `maybe_count` of task `fetch` (integer or null) may be null, and input `limit` expects integer: "
        "if it is null when `summarize` runs, `summarize` fails."
    )
    assert check(doc, catalog) == []  # validate_workflow: errors only, so the document saves


def test_upstream_structural_mismatch_in_list_items(doc, catalog):
    doc["tasks"][2]["inputs"]["rows"] = up("login", "scopes")  # list[str] into list[Row]
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.rows", "incompatible_type")
    assert "array of string" in issue.message
    assert "array of object Row" in issue.message


def test_upstream_integer_into_number_is_fine(doc, catalog):
    doc["tasks"][2]["inputs"]["threshold"] = up("fetch", "status")
    assert check(doc, catalog) == []


def test_upstream_anything_into_string_is_refused(doc, catalog):
    doc["tasks"][2]["inputs"]["title"] = up("fetch", "status")
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.title", "incompatible_type")
    assert "integer does not fit string" in issue.message


# ------------------------------------------------------------------ $param


def test_param_unknown(doc, catalog):
    doc["tasks"][1]["inputs"]["region"] = {"$param": "regoin"}
    issue = issue_at(check(doc, catalog), "tasks[1].inputs.region", "unknown_param")
    assert "Unknown run parameter `regoin`" in issue.message
    assert "Did you mean `region`?" in issue.message


def test_param_incompatible_type(doc, catalog):
    doc["tasks"][2]["inputs"]["limit"] = {"$param": "threshold"}
    issue = issue_at(check(doc, catalog), "tasks[2].inputs.limit", "incompatible_type")
    assert issue.message.startswith("Parameter `threshold` (number) cannot feed input `limit`, which expects integer")


def test_param_default_must_match_type_and_enum(doc, catalog):
    doc["params"]["region"]["default"] = "APAC"
    doc["params"]["limit"]["default"] = "5"
    issues = check(doc, catalog)
    assert "must be one of 'EU', 'US'" in issue_at(issues, "params.region.default", "param_invalid_default").message
    assert "must be an integer" in issue_at(issues, "params.limit.default", "param_invalid_default").message


def test_scheduled_workflow_params_need_defaults(doc, catalog):
    del doc["params"]["limit"]["default"]
    issue = issue_at(check(doc, catalog), "params.limit", "param_default_required")
    assert "add a default" in issue.message
    doc["schedule"] = None
    assert check(doc, catalog) == []


def test_bad_param_definition_does_not_cause_unknown_param(doc, catalog):
    doc["params"]["region"]["type"] = "text"
    issues = check(doc, catalog)
    assert [(i.path, i.code) for i in issues] == [("params.region.type", "invalid_value")]


# ------------------------------------------------------------------ secrets


def test_secret_missing(doc, catalog):
    doc["tasks"][1]["secrets"] = {}
    issue = issue_at(check(doc, catalog), "tasks[1].secrets.API_KEY", "missing_secret")
    assert "Secret `API_KEY` required by piece `HttpRequestPiece` is not bound" in issue.message
    assert '"variable"' in issue.message


def test_optional_secret_may_be_bound(doc, catalog):
    doc["tasks"][1]["secrets"]["PROXY_PASSWORD"] = {"connection": "proxy", "field": "extra.password"}
    assert check(doc, catalog) == []


def test_secret_unknown(doc, catalog):
    doc["tasks"][0]["secrets"]["PASSWROD"] = {"variable": "x"}
    issue = issue_at(check(doc, catalog), "tasks[0].secrets.PASSWROD", "unknown_secret")
    assert "Did you mean `PASSWORD`?" in issue.message


def test_secret_for_piece_without_secrets(doc, catalog):
    doc["tasks"][2]["secrets"] = {"TOKEN": {"variable": "x"}}
    issue = issue_at(check(doc, catalog), "tasks[2].secrets.TOKEN", "unknown_secret")
    assert "it declares no secrets" in issue.message


def test_secret_source_shape(doc, catalog):
    doc["tasks"][0]["secrets"]["PASSWORD"] = {"value": "hunter2"}
    issue = issue_at(check(doc, catalog), "tasks[0].secrets.PASSWORD", "invalid_secret_source")
    assert '{"variable": "<key>"}' in issue.message


def test_secret_connection_field(doc, catalog):
    doc["tasks"][0]["secrets"]["PASSWORD"] = {"connection": "c", "field": "token"}
    doc["tasks"][1]["secrets"]["API_KEY"] = {"variable": "k", "field": "password"}
    issues = check(doc, catalog)
    issue = issue_at(issues, "tasks[0].secrets.PASSWORD.field", "invalid_connection_field")
    assert "`extra.<key>`" in issue.message
    assert issue_at(issues, "tasks[1].secrets.API_KEY.field", "unknown_field").message.endswith(
        "Allowed fields here: `variable`."
    )


# ------------------------------------------------------------------ schedule and dates


@pytest.mark.parametrize(
    ("schedule", "fragment"),
    [
        ("61 * * * *", "Invalid cron expression `61 * * * *`"),
        ("0 5 * * * *", "has 6 field(s), expected exactly 5"),
        ("@fortnightly", "Unknown schedule keyword `@fortnightly`"),
        ("0 0 30 2 *", "never fires"),
        (5, "Invalid schedule"),
    ],
)
def test_schedule_invalid(doc, catalog, schedule, fragment):
    doc["schedule"] = schedule
    issue = issue_at(check(doc, catalog), "schedule", "invalid_schedule")
    assert fragment in issue.message
    assert "expected" in issue.message or "never fires" in issue.message


@pytest.mark.parametrize("schedule", [None, "@once", "@continuous", "@hourly", "@quarterly", "*/15 9-17 * * 1-5"])
def test_schedule_valid(doc, catalog, schedule):
    doc["schedule"] = schedule
    assert check(doc, catalog) == []


def test_naive_start_date(doc, catalog):
    doc["start_date"] = "2026-11-01T00:00:00"
    issue = issue_at(check(doc, catalog), "start_date", "naive_datetime")
    assert "has no timezone" in issue.message
    assert "2026-11-01T00:00:00Z" in issue.message


def test_end_before_start(doc, catalog):
    doc["end_date"] = "2026-10-01T00:00:00Z"
    issue = issue_at(check(doc, catalog), "end_date", "end_before_start")
    assert "must be after `start_date`" in issue.message


def test_start_date_required_when_scheduled(doc, catalog):
    del doc["start_date"]
    issue_at(check(doc, catalog), "start_date", "start_date_required")


def test_timezone_unknown(doc, catalog):
    doc["timezone"] = "Mars/Olympus"
    issue = issue_at(check(doc, catalog), "timezone", "invalid_timezone")
    assert "IANA" in issue.message


def test_continuous_needs_single_active_run(doc, catalog):
    doc["schedule"] = "@continuous"
    doc["max_active_runs"] = 3
    issue_at(check(doc, catalog), "max_active_runs", "invalid_value")


# ------------------------------------------------------------------ bindings shape and many errors at once


def test_malformed_bindings_at_depth(doc, catalog):
    doc["tasks"][1]["inputs"]["headers"][0]["value"] = {"$upstream": {"task": "login"}}
    doc["tasks"][2]["inputs"]["tags"] = [{"$param": "region", "extra": 1}]
    issues = check(doc, catalog)
    assert "`$upstream.output` must be a non-empty string" in (
        issue_at(issues, "tasks[1].inputs.headers[0].value", "malformed_binding").message
    )
    assert "must contain only the `$param` key" in issue_at(issues, "tasks[2].inputs.tags[0]").message


def test_all_errors_reported_at_once(doc, catalog):
    doc["name"] = ""
    doc["schedule"] = "every day"
    doc["tasks"][0]["retries"] = "x"  # shape error in one task ...
    doc["tasks"][1]["inputs"]["method"] = "PUT"  # ... does not hide errors in the others
    doc["tasks"][1]["secrets"] = {}
    doc["tasks"][2]["depends_on"] = ["fetch", "nowhere"]
    doc["tasks"][2]["inputs"]["rows"] = up("fetch", "nothing")
    doc["ui"]["nodes"]["ghost"] = {"x": 0, "y": 0}
    issues = check(doc, catalog)
    assert [(i.path, i.code) for i in issues] == [
        ("name", "invalid_value"),
        ("schedule", "invalid_schedule"),
        ("tasks[0].retries", "wrong_type"),
        ("tasks[1].inputs.method", "invalid_input"),
        ("tasks[1].secrets.API_KEY", "missing_secret"),
        ("tasks[2].inputs.rows", "unknown_output"),
        ("tasks[2].depends_on[1]", "unknown_dependency"),
        ("ui.nodes.ghost", "ui_unknown_task"),
    ]
    assert issue_at(issues, "name").message == "`name` must not be empty."


def test_input_for_piece_without_inputs(doc, catalog):
    catalog.add(PieceSpec("examples", "1.0.0", "NoInputPiece", input_schema={"properties": {}, "type": "object"}))
    doc["tasks"].append(
        {
            "id": "ping",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "NoInputPiece"},
            "inputs": {"x": 1},
        }
    )
    issue = issue_at(check(doc, catalog), "tasks[3].inputs.x", "unknown_input")
    assert issue.message.endswith("It takes no inputs.")


def test_odd_shapes_do_not_crash(catalog):
    base = {"schema_version": 1, "id": "w", "name": "W"}
    cases = [
        ({"tasks": "x"}, "tasks"),
        ({"params": []}, "params"),
        ({"tasks": [5]}, "tasks[0]"),
        ({"tags": [""]}, "tags[0]"),
        ({"params": {"bad-name": {"type": "string"}}}, 'params["bad-name"]'),
    ]
    for extra, path in cases:
        issues = check({**base, **extra}, catalog)
        assert [i.path for i in issues] == [path], issues
    assert check({**base, "tags": [""]}, catalog)[0].message == "This value must not be empty."


def test_from_upstream_inside_list_of_sub_models(doc, catalog):
    from pydantic import BaseModel, Field

    class Item(BaseModel):
        source: str = Field(json_schema_extra={"from_upstream": "always"})
        note: str = ""

    class FanInput(BaseModel):
        items: list[Item]

    class FanOutput(BaseModel):
        done: bool

    catalog.add(
        PieceSpec(
            "examples",
            "1.0.0",
            "FanPiece",
            input_schema=FanInput.model_json_schema(),
            output_schema=FanOutput.model_json_schema(),
        )
    )
    doc["tasks"].append(
        {
            "id": "fan",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "FanPiece"},
            "inputs": {"items": [{"source": up("fetch", "body")}, {"source": "literal", "note": "x"}]},
            "depends_on": ["fetch"],
        }
    )
    before = copy.deepcopy(doc)
    issues = check(doc, catalog)
    assert [(i.path, i.code) for i in issues] == [("tasks[3].inputs.items[1].source", "input_must_be_bound")]
    assert doc == before  # validation never modifies its input
