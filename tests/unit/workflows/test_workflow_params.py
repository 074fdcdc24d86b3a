"""Per-run parameter overrides and Airflow Param keyword arguments."""

from __future__ import annotations

import pytest

from airflow_domino_plugin.workflows.document import RunParam
from airflow_domino_plugin.workflows.params import (
    airflow_param_kwargs,
    param_definition_issues,
    resolve_run_params,
    validate_run_params,
)

PARAMS = {
    "region": RunParam.model_validate(
        {"type": "string", "default": "EU", "enum": ["EU", "US"], "title": "Region", "description": "Sales region"}
    ),
    "limit": RunParam.model_validate({"type": "integer", "default": 5, "minimum": 1, "maximum": 100}),
    "ratio": RunParam.model_validate({"type": "number", "default": 0.5}),
    "dry_run": RunParam.model_validate({"type": "boolean", "default": False}),
    "ids": RunParam.model_validate({"type": "array", "default": [], "items": {"type": "integer"}}),
    "extra": RunParam.model_validate({"type": "object", "default": {}}),
    "date": RunParam.model_validate({"type": "string"}),  # no default: required per run
}


def paths(issues):
    return [(i.path, i.code) for i in issues]


def test_valid_overrides():
    overrides = {"region": "US", "limit": 100, "ratio": 1, "dry_run": True, "ids": [1, 2], "date": "2026-01-01"}
    assert validate_run_params(PARAMS, overrides) == []
    assert resolve_run_params(PARAMS, overrides) == {
        "region": "US",
        "limit": 100,
        "ratio": 1,
        "dry_run": True,
        "ids": [1, 2],
        "extra": {},
        "date": "2026-01-01",
    }


def test_unknown_parameter_is_named_with_suggestion():
    [issue] = validate_run_params(PARAMS, {"regoin": "US", "date": "x"})
    assert (issue.path, issue.code) == ("conf.regoin", "unknown_param")
    assert "Did you mean `region`?" in issue.message


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("limit", "5", "Parameter `limit` must be an integer; got string '5'."),
        ("limit", 2.5, "Parameter `limit` must be an integer; got number 2.5."),
        ("limit", True, "Parameter `limit` must be an integer; got boolean True."),
        ("ratio", "0.5", "Parameter `ratio` must be a number; got string '0.5'."),
        ("dry_run", 1, "Parameter `dry_run` must be true or false; got integer 1."),
        ("extra", [], "Parameter `extra` must be an object; got array []."),
        ("region", "APAC", "Parameter `region` must be one of 'EU', 'US'; got 'APAC'."),
        ("limit", 0, "Parameter `limit` must be at least 1; got 0."),
        ("limit", 101, "Parameter `limit` must be at most 100; got 101."),
    ],
)
def test_wrong_overrides(name, value, message):
    [issue] = validate_run_params(PARAMS, {name: value, "date": "x"})
    assert issue.path == f"conf.{name}"
    assert issue.message == message


def test_array_item_types_and_required_params_and_base_path():
    issues = validate_run_params(PARAMS, {"ids": [1, "two"]}, base=("params",))
    assert paths(issues) == [("params.ids[1]", "param_wrong_type"), ("params.date", "param_required")]
    assert "must be an integer" in issues[0].message


def test_definition_issues():
    params = {
        "a": RunParam.model_validate({"type": "string", "minimum": 1}),
        "b": RunParam.model_validate({"type": "integer", "minimum": 5, "maximum": 1, "default": 3}),
        "c": RunParam.model_validate({"type": "string", "enum": ["x", 2], "default": None}),
        "d": RunParam.model_validate({"type": "integer", "items": {"type": "string"}, "default": 1}),
    }
    assert paths(param_definition_issues(params, scheduled=True)) == [
        ("params.a.minimum", "param_invalid_definition"),
        ("params.a", "param_default_required"),
        ("params.b.maximum", "param_invalid_definition"),
        ("params.b.default", "param_invalid_default"),
        ("params.b.default", "param_invalid_default"),
        ("params.c.enum[1]", "param_invalid_definition"),
        ("params.c.default", "param_invalid_default"),
        ("params.d.items", "param_invalid_definition"),
    ]
    assert param_definition_issues(PARAMS, scheduled=False) == []


def test_airflow_param_kwargs():
    assert airflow_param_kwargs(PARAMS["region"]) == {
        "default": "EU",
        "type": "string",
        "enum": ["EU", "US"],
        "title": "Region",
        "description": "Sales region",
    }
    assert airflow_param_kwargs(PARAMS["limit"]) == {"default": 5, "type": "integer", "minimum": 1, "maximum": 100}
    assert airflow_param_kwargs(PARAMS["ids"]) == {"default": [], "type": "array", "items": {"type": "integer"}}
    assert airflow_param_kwargs(PARAMS["date"]) == {"type": "string"}  # no default key: Airflow requires a value
