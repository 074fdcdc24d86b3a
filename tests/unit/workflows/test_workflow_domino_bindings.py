"""Rules Domino repositories rely on: nested from_upstream modes, declared (dynamic) outputs, nullable outputs.

The piece models are written as Domino's own pieces are (custom-code key/value arguments,
``OutputModifierModel`` output args, ``extra="allow"`` output models).
"""

from __future__ import annotations

from typing import Any

import pytest
from airflow_domino_sdk.models import OutputModifierItemType, OutputModifierModel
from pydantic import BaseModel, ConfigDict, Field

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.dynamic_outputs import declaring_inputs, task_outputs
from airflow_domino_plugin.workflows.validation import check_workflow

REPO = {"repository": "domino", "version": "1.0.0"}


class InputKwargsModel(BaseModel):
    kwarg_name: str = Field(default=None, json_schema_extra={"from_upstream": "never"})  # type: ignore[assignment]
    kwarg_value: str | list | int | float | bool | dict = Field(  # type: ignore[type-arg]
        default=None,  # type: ignore[assignment]
        json_schema_extra={"from_upstream": "always"},
    )


class CustomCodeInput(BaseModel):
    input_args: list[InputKwargsModel] = Field(default=[], json_schema_extra={"from_upstream": "never"})
    script: str = Field(default="", json_schema_extra={"from_upstream": "never"})
    output_args: list[OutputModifierModel] = Field(
        default=[
            OutputModifierModel(name="output_1", type=OutputModifierItemType.string),
            OutputModifierModel(name="output_2", type=OutputModifierItemType.integer),
        ],
        json_schema_extra={"from_upstream": "never"},
    )


class CustomCodeOutput(BaseModel):
    model_config = ConfigDict(extra="allow")


class Leaf(BaseModel):
    source: int = Field(json_schema_extra={"from_upstream": "always"})
    note: str = ""


class Branch(BaseModel):
    leaves: list[Leaf] = []
    tag: str = ""


class DeepInput(BaseModel):
    config: Branch = Field(json_schema_extra={"from_upstream": "never"})


class NumberInput(BaseModel):
    a: int
    text: str = ""
    values: list[int] = []


class NumberOutput(BaseModel):
    total: int
    label: str = ""
    maybe: int | None = None
    maybe_list: list[int | None] = []


class ClosedOutput(BaseModel):  # extra fields are dropped: declared outputs could never arrive
    done: bool


def spec(name: str, inputs: type[BaseModel], outputs: type[BaseModel]) -> PieceSpec:
    return PieceSpec(REPO["repository"], REPO["version"], name, inputs.model_json_schema(), outputs.model_json_schema())


@pytest.fixture
def catalog() -> InMemoryPieceCatalog:
    return InMemoryPieceCatalog(
        [
            spec("CustomCodePiece", CustomCodeInput, CustomCodeOutput),
            spec("ClosedCodePiece", CustomCodeInput, ClosedOutput),
            spec("DeepPiece", DeepInput, NumberOutput),
            spec("NumberPiece", NumberInput, NumberOutput),
        ]
    )


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def task(task_id: str, piece: str, inputs: dict[str, Any], *deps: str) -> dict[str, Any]:
    return {"id": task_id, "piece": {**REPO, "name": piece}, "inputs": inputs, "depends_on": list(deps)}


def workflow(*tasks: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "id": "w", "name": "W", "tasks": list(tasks)}


def codes(doc: dict[str, Any], catalog: InMemoryPieceCatalog) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in check_workflow(doc, catalog).errors]


SOURCE = task("source", "NumberPiece", {"a": 1})


# ------------------------------------------------------------------ nested from_upstream modes


def test_key_value_arguments_with_bound_values_and_literal_names(catalog):
    args = [
        {"kwarg_name": "x", "kwarg_value": up("source", "total")},
        {"kwarg_name": "y", "kwarg_value": up("source", "maybe")},
    ]
    doc = workflow(SOURCE, task("code", "CustomCodePiece", {"input_args": args, "script": "print(1)"}, "source"))
    assert check_workflow(doc, catalog).errors == []


def test_key_value_item_fields_follow_their_own_modes(catalog):
    args = [
        {"kwarg_name": up("source", "label"), "kwarg_value": up("source", "total")},  # name is never bound
        {"kwarg_name": "literal", "kwarg_value": 5},  # value is always bound
        {"kwarg_name": "missing"},
    ]
    doc = workflow(SOURCE, task("code", "CustomCodePiece", {"input_args": args}, "source"))
    assert codes(doc, catalog) == [
        ("tasks[1].inputs.input_args[0].kwarg_name", "input_cannot_be_bound"),
        ("tasks[1].inputs.input_args[1].kwarg_value", "input_must_be_bound"),
        ("tasks[1].inputs.input_args[2].kwarg_value", "input_must_be_bound"),
    ]


def test_the_parents_mode_governs_the_field_as_a_whole(catalog):
    doc = workflow(SOURCE, task("code", "CustomCodePiece", {"input_args": up("source", "maybe_list")}, "source"))
    assert ("tasks[1].inputs.input_args", "input_cannot_be_bound") in codes(doc, catalog)
    # A whole item bound: the item declares no mode of its own, so the list's `never` applies.
    doc = workflow(SOURCE, task("code", "CustomCodePiece", {"input_args": [up("source", "total")]}, "source"))
    [error] = [e for e in check_workflow(doc, catalog).errors if e.code == "input_cannot_be_bound"]
    assert error.path == "tasks[1].inputs.input_args[0]"
    assert "part of `input_args`, which is never bound" in error.message


def test_modes_apply_at_any_depth(catalog):
    config = {"leaves": [{"source": up("source", "total")}, {"source": 3, "note": "x"}], "tag": up("source", "label")}
    doc = workflow(SOURCE, task("deep", "DeepPiece", {"config": config}, "source"))
    assert codes(doc, catalog) == [
        ("tasks[1].inputs.config.leaves[1].source", "input_must_be_bound"),
        ("tasks[1].inputs.config.tag", "input_cannot_be_bound"),  # inherits `config`'s never
    ]
    whole = workflow(SOURCE, task("deep", "DeepPiece", {"config": up("source", "total")}, "source"))
    assert ("tasks[1].inputs.config", "input_cannot_be_bound") in codes(whole, catalog)


# ------------------------------------------------------------------ dynamic outputs


def test_declaring_inputs_need_an_open_output_model(catalog):
    code = catalog.get_piece(REPO["repository"], REPO["version"], "CustomCodePiece")
    closed = catalog.get_piece(REPO["repository"], REPO["version"], "ClosedCodePiece")
    assert code is not None
    assert closed is not None
    assert declaring_inputs(code.input_schema, code.output_schema) == ["output_args"]
    assert declaring_inputs(closed.input_schema, closed.output_schema) == []
    # Defaults declare outputs too; a declared float is a JSON number.
    outputs = task_outputs(code.input_schema, code.output_schema, {"output_args": [{"name": "f", "type": "float"}]})
    assert outputs.properties == {"f": {"type": "number"}}
    defaults = task_outputs(code.input_schema, code.output_schema, {})
    assert defaults.properties == {"output_1": {"type": "string"}, "output_2": {"type": "integer"}}


def test_declared_outputs_are_bindable_and_typed(catalog):
    declared = [{"name": "count", "type": "integer", "description": "How many"}, {"name": "label", "type": "string"}]
    code = task("code", "CustomCodePiece", {"output_args": declared})
    ok = task("sum", "NumberPiece", {"a": up("code", "count"), "text": up("code", "label")}, "code")
    assert check_workflow(workflow(code, ok), catalog).errors == []
    wrong = task("sum", "NumberPiece", {"a": up("code", "label"), "text": up("code", "nope")}, "code")
    errors = check_workflow(workflow(code, wrong), catalog).errors
    assert [(e.path, e.code) for e in errors] == [
        ("tasks[1].inputs.a", "incompatible_type"),
        ("tasks[1].inputs.text", "unknown_output"),
    ]
    assert "Output `label` of task `code` (string) cannot feed input `a`" in errors[0].message
    assert "its outputs (declared in its inputs): `count`, `label`" in errors[1].message


def test_default_declared_outputs_are_bindable(catalog):
    doc = workflow(
        task("code", "CustomCodePiece", {}), task("sum", "NumberPiece", {"a": up("code", "output_2")}, "code")
    )
    assert check_workflow(doc, catalog).errors == []


def test_closed_output_model_has_no_declared_outputs(catalog):
    code = task("code", "ClosedCodePiece", {"output_args": [{"name": "count", "type": "integer"}]})
    doc = workflow(code, task("sum", "NumberPiece", {"a": up("code", "count")}, "code"))
    assert codes(doc, catalog) == [("tasks[1].inputs.a", "unknown_output")]


def test_declared_output_names_are_unique(catalog):
    declared = [{"name": "count", "type": "integer"}, {"name": "count", "type": "string"}]
    doc = workflow(task("code", "CustomCodePiece", {"output_args": declared}))
    assert codes(doc, catalog) == [("tasks[0].inputs.output_args[1].name", "duplicate_output")]


def test_output_modifier_items_need_a_name(catalog):
    doc = workflow(task("code", "CustomCodePiece", {"output_args": [{"type": "integer"}]}))
    assert codes(doc, catalog) == [("tasks[0].inputs.output_args[0].name", "missing_input")]


def test_declared_outputs_given_by_a_run_parameter_are_checked_at_run_time(catalog):
    doc = workflow(
        task("code", "CustomCodePiece", {"output_args": {"$param": "outs"}}),
        task("sum", "NumberPiece", {"a": up("code", "anything")}, "code"),
    )
    doc["params"] = {"outs": {"type": "array", "default": [{"name": "anything", "type": "integer"}]}}
    assert check_workflow(doc, catalog).errors == []


# ------------------------------------------------------------------ nullable outputs


def test_optional_output_into_required_input_warns(catalog):
    doc = workflow(SOURCE, task("sum", "NumberPiece", {"a": up("source", "maybe")}, "source"))
    report = check_workflow(doc, catalog)
    assert report.errors == []
    [warning] = report.warnings
    assert (warning.path, warning.code) == ("tasks[1].inputs.a", "nullable_upstream")
    assert "`sum` fails" in warning.message


def test_nullable_warning_only_for_the_whole_value(catalog):
    doc = workflow(SOURCE, task("sum", "NumberPiece", {"a": 1, "values": up("source", "maybe_list")}, "source"))
    report = check_workflow(doc, catalog)
    assert [(e.path, e.code) for e in report.errors] == [("tasks[1].inputs.values", "incompatible_type")]
    assert report.warnings == []
    # Optional string into an integer: still an error (not only the null is wrong).
    doc = workflow(
        task("code", "CustomCodePiece", {"output_args": [{"name": "s", "type": "string"}]}),
        task("sum", "NumberPiece", {"a": up("code", "s")}, "code"),
    )
    assert codes(doc, catalog) == [("tasks[1].inputs.a", "incompatible_type")]
