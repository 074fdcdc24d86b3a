"""Validation before and after piece_function, display results and logging (in-process)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk import (
    BasePiece,
    OutputModifierModel,
    PieceExecutionError,
    PieceInputError,
    PieceOutputError,
    RunContext,
)
from airflow_domino_sdk.testing import run_piece
from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    name: str
    qty: int = 1


class InputModel(BaseModel):
    a: int
    items: list[Item] = []
    mode: str = "ok"
    display: dict[str, Any] | None = None


class OutputModel(BaseModel):
    total: int


class SecretsModel(BaseModel):
    API_KEY: str


class CalcPiece(BasePiece):
    InputModel = InputModel
    OutputModel = OutputModel

    def piece_function(self, input_data: InputModel) -> Any:
        self.logger.info("calc for %s/%s", self.dag_id, self.task_id)
        if input_data.display is not None:
            self.display_result = input_data.display
        if input_data.mode == "raise":
            raise RuntimeError("boom in piece")
        if input_data.mode == "dict":
            return {"total": str(input_data.a)}  # coerced by the OutputModel
        if input_data.mode == "bad-dict":
            return {"sum": 1}
        if input_data.mode == "wrong-type":
            return [1, 2]
        return OutputModel(total=input_data.a + sum(i.qty for i in input_data.items))


class SecretPiece(BasePiece):
    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel | None = None) -> OutputModel:
        assert secrets_data is not None
        return OutputModel(total=len(secrets_data.API_KEY))


def test_valid_run_returns_outputs_and_logs(tmp_path: Path) -> None:
    ctx = RunContext(dag_id="wf_1", run_id="manual__1", task_id="calc", try_number=2)
    result = run_piece(CalcPiece, {"a": 1, "items": [{"name": "x", "qty": 2}]}, results_path=tmp_path, context=ctx)
    assert result.outputs == {"total": 3}
    assert result.display_result is None
    assert result.results_path == tmp_path
    assert any("calc for wf_1/calc" in line for line in result.logs)


def test_logger_writes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    run_piece(CalcPiece, {"a": 1})
    assert "calc for" in capsys.readouterr().out


def test_input_error_names_piece_and_nested_field() -> None:
    with pytest.raises(PieceInputError) as info:
        run_piece(CalcPiece, {"a": "x", "items": [{"name": "ok"}, {"qty": "many"}]})
    err = info.value
    assert err.piece_name == "CalcPiece"
    paths = {e.path for e in err.errors}
    assert paths == {"a", "items[1].name", "items[1].qty"}
    assert "Piece CalcPiece" in str(err)
    assert "items[1].qty" in str(err)
    assert "'many'" in str(err)  # inputs may be echoed


def test_missing_required_input() -> None:
    with pytest.raises(PieceInputError) as info:
        run_piece(CalcPiece, {})
    assert [(e.path, e.message) for e in info.value.errors] == [("a", "Field required")]


def test_secrets_error_never_shows_value() -> None:
    with pytest.raises(PieceInputError) as info:
        run_piece(SecretPiece, {"a": 1}, {"API_KEY": 123456789})
    assert info.value.errors[0].path == "secrets.API_KEY"
    assert "123456789" not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


def test_secrets_reach_the_piece() -> None:
    assert run_piece(SecretPiece, {"a": 1}, {"API_KEY": "abcdef"}).outputs == {"total": 6}


def test_dict_output_is_coerced() -> None:
    assert run_piece(CalcPiece, {"a": 7, "mode": "dict"}).outputs == {"total": 7}


def test_bad_dict_output_names_field() -> None:
    with pytest.raises(PieceOutputError) as info:
        run_piece(CalcPiece, {"a": 1, "mode": "bad-dict"})
    assert info.value.piece_name == "CalcPiece"
    assert [e.path for e in info.value.errors] == ["total"]


def test_wrong_output_type() -> None:
    with pytest.raises(PieceOutputError, match="returned list; expected OutputModel or a dict"):
        run_piece(CalcPiece, {"a": 1, "mode": "wrong-type"})


def test_piece_exception_is_wrapped_with_cause() -> None:
    with pytest.raises(PieceExecutionError) as info:
        run_piece(CalcPiece, {"a": 1, "mode": "raise"})
    assert "Piece CalcPiece: raised RuntimeError: boom in piece" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_base64_display_result_becomes_file(tmp_path: Path) -> None:
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    display = {"file_type": "svg", "base64_content": base64.b64encode(svg).decode()}
    result = run_piece(CalcPiece, {"a": 1, "display": display}, results_path=tmp_path)
    assert result.display_result == {
        "file_type": "svg",
        "file_path": str(tmp_path.resolve() / "display_result.svg"),
        "relative_path": "display_result.svg",
    }
    assert (tmp_path / "display_result.svg").read_bytes() == svg


def test_display_file_inside_results_stays(tmp_path: Path) -> None:
    report = tmp_path / "sub" / "r.md"
    report.parent.mkdir()
    report.write_text("# hi")
    result = run_piece(
        CalcPiece, {"a": 1, "display": {"file_type": "md", "file_path": str(report)}}, results_path=tmp_path
    )
    assert result.display_result is not None
    assert result.display_result["relative_path"] == "sub/r.md"


def test_display_file_outside_results_is_copied_in(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a,b\n1,2\n")
    results = tmp_path / "results"
    result = run_piece(
        CalcPiece, {"a": 1, "display": {"file_type": "csv", "file_path": str(outside)}}, results_path=results
    )
    assert result.display_result is not None
    assert Path(result.display_result["file_path"]).read_text() == "a,b\n1,2\n"
    assert result.display_result["relative_path"] == "display_result.csv"


@pytest.mark.parametrize(
    ("display", "path", "fragment"),
    [
        ({"file_type": "docx", "file_path": "x"}, "display_result.file_type", "Input should be"),
        ({"file_type": "md"}, "display_result", "needs 'file_path' or 'base64_content'"),
        ({"file_type": "md", "file_path": "/nonexistent/r.md"}, "display_result.file_path", "does not exist"),
        ({"file_type": "png", "base64_content": "***"}, "display_result.base64_content", "not valid base64"),
        ({"file_type": "md", "file_path": "x", "colour": "red"}, "display_result.colour", "Extra inputs"),
    ],
)
def test_invalid_display_result(display: dict[str, Any], path: str, fragment: str) -> None:
    with pytest.raises(PieceOutputError) as info:
        run_piece(CalcPiece, {"a": 1, "display": display})
    assert info.value.errors[0].path == path
    assert fragment in info.value.errors[0].message


def test_models_found_from_annotations() -> None:
    class AnnotatedPiece(BasePiece):
        def piece_function(self, input_data: InputModel) -> OutputModel:
            return OutputModel(total=input_data.a)

    assert run_piece(AnnotatedPiece, {"a": 4}).outputs == {"total": 4}


def test_output_modifier_model_and_extra_outputs() -> None:
    class DynIn(BaseModel):
        outs: list[OutputModifierModel] = Field(default=[OutputModifierModel(name="x", description="d")])

    class DynOut(BaseModel):
        model_config = ConfigDict(extra="allow")

    class DynPiece(BasePiece):
        InputModel = DynIn  # local classes: string annotations cannot be resolved
        OutputModel = DynOut

        def piece_function(self, input_data: DynIn) -> DynOut:
            return DynOut(**{o.name: o.type.value for o in input_data.outs})

    assert run_piece(DynPiece, {}).outputs == {"x": "string"}
    schema = OutputModifierModel.model_json_schema()
    assert set(schema["properties"]) == {"name", "description", "type"}
    assert schema["properties"]["name"]["from_upstream"] == "never"


def test_domino_style_init_override_still_runs() -> None:
    class OldStylePiece(BasePiece):
        def __init__(self, deploy_mode: str, task_id: str, dag_id: str) -> None:
            super().__init__(deploy_mode, task_id, dag_id)
            self.extra = f"{dag_id}:{task_id}"

        def piece_function(self, input_data: InputModel) -> OutputModel:
            self.logger.info(self.extra)
            return OutputModel(total=input_data.a)

    result = run_piece(OldStylePiece, {"a": 1}, context={"dag_id": "d", "task_id": "t"})
    assert any("d:t" in line for line in result.logs)


def test_secret_values_masked_in_logs() -> None:
    class LeakyPiece(BasePiece):
        def piece_function(self, input_data: InputModel, secrets_data: SecretsModel) -> OutputModel:
            self.logger.info("key is %s", secrets_data.API_KEY)
            print("printed", secrets_data.API_KEY)
            return OutputModel(total=1)

    result = run_piece(LeakyPiece, {"a": 1}, {"API_KEY": "s3cr3t-value"})
    joined = "\n".join(result.logs)
    assert "s3cr3t-value" not in joined
    assert "key is ***" in joined
    assert "printed ***" in joined
