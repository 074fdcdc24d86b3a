"""The JSON type compatibility table the GUI mirrors (see the type_compat module docstring)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, TypeAdapter

from airflow_domino_plugin.workflows.type_compat import (
    describe_type,
    incompatibility,
    is_compatible,
    subschema_at,
)


class Row(BaseModel):
    id: int
    amount: float
    label: str | None = None


class SameShapeRow(BaseModel):
    id: int
    amount: float


class IdOnly(BaseModel):
    id: int


class StrictRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int
    amount: float


class AllInts(BaseModel):
    a: int
    b: int


class Tree(BaseModel):
    value: int
    children: list[Tree] = []


class Color(StrEnum):
    RED = "red"
    BLUE = "blue"


def schema(tp: Any) -> dict[str, Any]:
    return TypeAdapter(tp).json_schema()


# (source type, target type, compatible?)
TABLE: list[tuple[Any, Any, bool]] = [
    # scalars
    (int, int, True),
    (int, float, True),  # widening
    (float, int, False),
    (bool, int, False),
    (int, bool, False),
    (int, str, False),  # no implicit string conversion
    (float, str, False),
    (bool, str, False),
    (str, str, True),
    (None, str, False),
    # unions / Optional
    (str, str | None, True),
    (None, int | None, True),
    (str | None, str, False),
    (int | str, str, False),
    (int, int | str, True),
    (int | float, float, True),
    (int | None, float | None, True),
    # unknown is trusted
    (Any, int, True),
    (int, Any, True),
    (dict, Row, True),
    # enums and literals
    (Literal["a"], Literal["a", "b"], True),
    (Literal["a", "c"], Literal["a", "b"], False),
    (str, Color, True),  # value checked at run time
    (Color, str, True),
    (Color, Literal["red", "blue", "green"], True),
    (Color, Literal["red"], False),
    (Literal[1, 2], float, True),
    # arrays
    (list[int], list[float], True),
    (list[float], list[int], False),
    (list[int], list[str], False),
    (list[Any], list[int], True),
    (list[int], list, True),
    (list[Row], list[SameShapeRow], True),
    (list[IdOnly], list[SameShapeRow], False),
    (tuple[int, int], list[int], True),
    (tuple[int, str], list[int], False),
    (list[int], tuple[int, int], False),
    (tuple[int, int], tuple[int, float], True),
    (tuple[int, int], tuple[int, int, int], False),
    (list[list[int]], list[list[float]], True),
    (list[list[str]], list[list[int]], False),
    (list[Row] | None, list[Row], False),
    (list[Row], list[Row] | None, True),
    # objects
    (Row, SameShapeRow, True),
    (IdOnly, SameShapeRow, False),  # required `amount` missing
    (SameShapeRow, IdOnly, True),  # extra properties are fine ...
    (Row, StrictRow, False),  # ... unless the target forbids them
    (SameShapeRow, StrictRow, True),
    (dict[str, int], dict[str, float], True),
    (dict[str, str], dict[str, int], False),
    (dict[str, int], IdOnly, False),  # a dictionary does not guarantee keys
    (AllInts, dict[str, int], True),
    (Row, dict[str, int], False),
    (Tree, Tree, True),  # recursive
    (list[Tree], list[Tree], True),
    (Row, list[Row], False),
    (list[Row], Row, False),
]


@pytest.mark.parametrize(("source", "target", "expected"), TABLE, ids=[f"{s}->{t}" for s, t, _ in TABLE])
def test_compatibility_table(source, target, expected):
    source_schema, target_schema = schema(source), schema(target)
    reason = incompatibility(source_schema, target_schema)
    assert (reason is None) is expected, reason
    assert is_compatible(source_schema, target_schema) is expected


def test_reasons_are_specific():
    assert incompatibility(schema(float), schema(int)) == "number does not fit integer"
    assert incompatibility(schema(list[float]), schema(list[int])) == "items: number does not fit integer"
    assert incompatibility(schema(int | None), schema(int)) == (
        "the value may be null, but integer does not accept null"
    )
    assert incompatibility(schema(IdOnly), schema(SameShapeRow)) == "required property `amount` is missing"
    assert incompatibility(schema(Row), schema(StrictRow)) == (
        "property `label`: is not accepted by the input (no extra properties allowed)"
    )
    assert incompatibility(schema(list[str]), schema(list[int] | None)) == "items: string does not fit integer"
    assert "'c'" in (incompatibility(schema(Literal["a", "c"]), schema(Literal["a", "b"])) or "")


def test_each_side_resolves_refs_against_its_own_root():
    # Both pieces call their model "Row", with different shapes: refs must not be mixed up.
    source_root = {"$defs": {"Row": {"type": "object", "properties": {"id": {"type": "string"}}}}}
    target_root = {"$defs": {"Row": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}}}
    source = {"type": "array", "items": {"$ref": "#/$defs/Row"}}
    target = {"type": "array", "items": {"$ref": "#/$defs/Row"}}
    assert incompatibility(source, target, source_root=source_root, target_root=target_root) == (
        "items: property `id`: string does not fit integer"
    )


def test_allof_wrapper_and_type_lists():
    root = {"$defs": {"Row": schema(SameShapeRow)}}
    wrapped = {"allOf": [{"$ref": "#/$defs/Row"}], "description": "wrapped as older pydantic did"}
    assert is_compatible(schema(Row), wrapped, target_root=root)
    assert is_compatible({"type": "integer"}, {"type": ["number", "null"]})
    assert not is_compatible({"type": ["integer", "null"]}, {"type": "integer"})


def test_unresolvable_ref_is_treated_as_unknown():
    assert is_compatible({"$ref": "#/$defs/Missing"}, {"type": "integer"})


@pytest.mark.parametrize(
    ("tp", "text"),
    [
        (int, "integer"),
        (str | None, "string or null"),
        (list[int], "array of integer"),
        (list[Row], "array of object Row"),
        (dict[str, float], "object of number"),
        (Literal["a", "b"], "one of 'a', 'b'"),
        (tuple[int, str], "array [integer, string]"),
        (Any, "any value"),
        (list[int | None] | None, "array of (integer or null) or null"),
    ],
)
def test_describe_type(tp, text):
    assert describe_type(schema(tp)) == text


def test_subschema_at_follows_refs_lists_and_optionals():
    class Header(BaseModel):
        name: str
        value: str

    class Inputs(BaseModel):
        headers: list[Header] = []
        maybe: Header | None = None
        pair: tuple[int, str] = (1, "a")
        free: dict[str, Any] = {}

    root = Inputs.model_json_schema()
    assert subschema_at(root, ("headers", 0, "value"))["type"] == "string"
    assert subschema_at(root, ("maybe", "name"))["type"] == "string"
    assert subschema_at(root, ("pair", 1))["type"] == "string"
    assert subschema_at(root, ("free", "anything", 3)) == {}
    assert subschema_at(root, ("headers", "name")) is None
    assert subschema_at(root, ("pair", 2)) is None
