"""OutputModifierModel has Domino's shipped shape, and the runtime holds pieces to the outputs they declare."""

from __future__ import annotations

from typing import Any

import pytest
from airflow_domino_sdk import BasePiece, OutputModifierModel, PieceOutputError
from airflow_domino_sdk.testing import run_piece
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class DeclaringInput(BaseModel):
    values: dict[str, Any] = {}
    output_args: list[OutputModifierModel] = Field(default=[], json_schema_extra={"from_upstream": "never"})


class OpenOutput(BaseModel):
    model_config = ConfigDict(extra="allow")


class EchoPiece(BasePiece):
    InputModel = DeclaringInput
    OutputModel = OpenOutput

    def piece_function(self, input_data: DeclaringInput) -> OpenOutput:
        return OpenOutput(
            **{a.name: input_data.values[a.name] for a in input_data.output_args if a.name in input_data.values}
        )


def test_output_modifier_model_matches_dominos_shipped_schema() -> None:
    schema = OutputModifierModel.model_json_schema()
    assert list(schema["properties"]) == ["name", "type", "description"]
    assert schema["required"] == ["name"]
    assert schema["properties"]["description"]["default"] == ""
    assert schema["properties"]["type"]["default"] == "string"
    assert {p["from_upstream"] for p in schema["properties"].values()} == {"never"}
    assert OutputModifierModel(name="x").model_dump(mode="json") == {"name": "x", "type": "string", "description": ""}
    with pytest.raises(ValidationError):
        OutputModifierModel()  # type: ignore[call-arg]


def test_declared_outputs_produced_with_their_types_pass() -> None:
    declared = [{"name": "n", "type": "integer"}, {"name": "f", "type": "float"}, {"name": "s"}]
    result = run_piece(EchoPiece, {"values": {"n": 3, "f": 2, "s": "x"}, "output_args": declared})
    assert result.outputs == {"n": 3, "f": 2, "s": "x"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"n": 3}, "output `ghost` (declared in input `output_args` as integer) was not produced"),
        ({"n": 3, "ghost": "4"}, "output `ghost` (declared in input `output_args` as integer) is string, not integer"),
        (
            {"n": 3, "ghost": True},
            "output `ghost` (declared in input `output_args` as integer) is boolean, not integer",
        ),
        ({"n": 3, "ghost": None}, "output `ghost` (declared in input `output_args` as integer) is null, not integer"),
    ],
)
def test_a_declared_output_missing_or_mistyped_fails_the_call(values: dict[str, Any], message: str) -> None:
    declared = [{"name": "n", "type": "integer"}, {"name": "ghost", "type": "integer"}]
    with pytest.raises(PieceOutputError) as caught:
        run_piece(EchoPiece, {"values": values, "output_args": declared})
    assert caught.value.message == message
    assert [e.path for e in caught.value.errors] == ["ghost"]
