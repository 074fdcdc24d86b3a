"""Finding, checking and resolving binding objects at any depth of an input value."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_domino_plugin.workflows.bindings import (
    BindingError,
    ParamBinding,
    UpstreamBinding,
    find_bindings,
    parse_binding,
    resolve_bindings,
    scan_bindings,
    upstream_tasks,
)
from airflow_domino_plugin.workflows.issues import format_path, json_pointer

INPUTS: dict[str, Any] = {
    "url": "https://example.org",
    "region": {"$param": "region"},
    "headers": [
        {"name": "Authorization", "value": {"$upstream": {"task": "login", "output": "token"}}},
        {"name": "X-Trace", "value": {"$upstream": {"task": "trace", "output": "id"}}},
    ],
    "nested": {"deep": [[{"$upstream": {"task": "login", "output": "expires"}}]]},
    "plain": {"not": "a binding", "$other": 1},
}


def test_find_bindings_with_document_paths():
    found = find_bindings(INPUTS, base=("tasks", 2, "inputs"))
    assert [(format_path(f.loc), f.binding) for f in found] == [
        ("tasks[2].inputs.region", ParamBinding("region")),
        ("tasks[2].inputs.headers[0].value", UpstreamBinding("login", "token")),
        ("tasks[2].inputs.headers[1].value", UpstreamBinding("trace", "id")),
        ("tasks[2].inputs.nested.deep[0][0]", UpstreamBinding("login", "expires")),
    ]
    assert json_pointer(found[1].loc) == "/tasks/2/inputs/headers/0/value"


def test_upstream_tasks_in_first_seen_order_without_repeats():
    assert upstream_tasks(INPUTS) == ["login", "trace"]
    assert upstream_tasks({"a": 1}) == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"$upstream": "login"}, "must be an object with `task` and `output`"),
        ({"$upstream": {"task": "login"}}, "`$upstream.output` must be a non-empty string"),
        ({"$upstream": {"task": "", "output": "x"}}, "`$upstream.task` must be a non-empty string"),
        ({"$upstream": {"task": "a", "output": "b", "x": 1}}, "unknown key(s) x"),
        ({"$param": 3}, "`$param` must be a non-empty parameter name"),
        ({"$param": "a", "$upstream": {"task": "a", "output": "b"}}, "not both"),
        ({"$param": "a", "default": 1}, "must contain only the `$param` key; found also default"),
    ],
)
def test_malformed_bindings(value, fragment):
    with pytest.raises(BindingError, match=None) as info:
        parse_binding(value)
    assert fragment in str(info.value)
    found, bad = scan_bindings({"list": [value]}, base=("inputs",))
    assert found == []
    assert [format_path(b.loc) for b in bad] == ["inputs.list[0]"]
    assert fragment in bad[0].message


def test_parse_binding_plain_values():
    assert parse_binding({"a": 1}) is None
    assert parse_binding("$param") is None
    assert parse_binding({"$param": "p"}).to_json() == {"$param": "p"}
    assert parse_binding({"$upstream": {"task": "t", "output": "o"}}).to_json() == {
        "$upstream": {"task": "t", "output": "o"}
    }


def test_resolve_bindings_replaces_at_every_depth_and_copies():
    outputs = {("login", "token"): "secret-token", ("trace", "id"): 42, ("login", "expires"): [1, 2]}
    resolved = resolve_bindings(
        INPUTS, upstream=lambda task, output: outputs[(task, output)], param=lambda name: {"region": "US"}[name]
    )
    assert resolved == {
        "url": "https://example.org",
        "region": "US",
        "headers": [{"name": "Authorization", "value": "secret-token"}, {"name": "X-Trace", "value": 42}],
        "nested": {"deep": [[[1, 2]]]},
        "plain": {"not": "a binding", "$other": 1},
    }
    assert INPUTS["region"] == {"$param": "region"}  # the input is not modified
    assert resolved["plain"] is not INPUTS["plain"]


def test_resolve_bindings_propagates_resolver_errors_and_rejects_malformed():
    def missing(task: str, output: str) -> Any:
        raise KeyError(f"{task}.{output}")

    with pytest.raises(KeyError):
        resolve_bindings({"a": {"$upstream": {"task": "t", "output": "o"}}}, upstream=missing, param=str)
    with pytest.raises(BindingError):
        resolve_bindings({"a": [{"$param": ""}]}, upstream=missing, param=str)
