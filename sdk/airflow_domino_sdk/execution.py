"""Validate, run and check one piece call — the core shared by the runtime and the test helpers."""

from __future__ import annotations

import base64
import binascii
import inspect
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from airflow_domino_sdk.errors import (
    FieldError,
    PieceExecutionError,
    PieceInputError,
    PieceOutputError,
    field_errors_from_validation,
)
from airflow_domino_sdk.loader import LoadedPiece
from airflow_domino_sdk.models import DISPLAY_RESULT_EXTENSIONS, DisplayResult, OutputModifierModel, RunContext
from airflow_domino_sdk.piece_core import PieceCore

__all__ = [
    "PieceOutcome",
    "check_declared_outputs",
    "execute_piece",
    "normalize_display_result",
    "validate_inputs",
    "validate_output",
    "validate_secrets",
]

DISPLAY_RESULT_BASENAME = "display_result"


@dataclass(frozen=True)
class PieceOutcome:
    """What a successful call produced: JSON-able outputs and a path-only display result."""

    outputs: dict[str, Any]
    display_result: dict[str, Any] | None


def validate_inputs(piece: LoadedPiece, inputs: dict[str, Any] | None) -> BaseModel:
    try:
        return piece.input_model.model_validate(inputs or {})
    except ValidationError as exc:
        raise PieceInputError(piece.name, "invalid input", field_errors_from_validation(exc)) from None


def validate_secrets(piece: LoadedPiece, secrets: dict[str, Any] | None) -> BaseModel | None:
    if piece.secrets_model is None:
        return None
    try:
        return piece.secrets_model.model_validate(secrets or {})
    except ValidationError as exc:
        # Never echo secret values: pydantic's message embeds the input value.
        errors = field_errors_from_validation(exc, "secrets", show_values=False)
    # Raised outside the except block so the value-bearing ValidationError is not even __context__.
    raise PieceInputError(piece.name, "invalid secrets", errors)


def validate_output(piece: LoadedPiece, returned: Any) -> dict[str, Any]:
    """Coerce the returned value into the OutputModel and dump it JSON-able (extras included)."""
    model = piece.output_model
    if isinstance(returned, model):
        value: BaseModel = returned
    elif isinstance(returned, dict) or returned is None:
        try:
            value = model.model_validate(returned or {})
        except ValidationError as exc:
            message = "returned None" if returned is None else "invalid output"
            raise PieceOutputError(piece.name, message, field_errors_from_validation(exc)) from None
    elif isinstance(returned, BaseModel):
        try:
            value = model.model_validate(returned.model_dump())
        except ValidationError as exc:
            raise PieceOutputError(
                piece.name,
                f"returned {type(returned).__name__}, which does not fit {model.__name__}",
                field_errors_from_validation(exc),
            ) from None
    else:
        raise PieceOutputError(piece.name, f"returned {type(returned).__name__}; expected {model.__name__} or a dict")
    try:
        return value.model_dump(mode="json")
    except Exception as exc:  # e.g. an extra field holding an object JSON cannot represent
        raise PieceOutputError(piece.name, f"output is not JSON-serialisable: {exc}") from None


# JSON types each OutputModifierItemType value admits (bool is not a number here, as in JSON schema).
_DECLARED_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "float": (int, float),
    "boolean": (bool,),
    "array": (list,),
}


def check_declared_outputs(piece_name: str, input_obj: BaseModel, outputs: dict[str, Any]) -> None:
    """Fail when an output declared in a ``list[OutputModifierModel]`` input is missing or mistyped.

    Downstream tasks were validated against the declared names and types, so a piece that does
    not keep that promise must fail here, naming the output, rather than break the next task.
    """
    problems: list[FieldError] = []
    for field_name in type(input_obj).model_fields:
        value = getattr(input_obj, field_name, None)
        if not isinstance(value, list):
            continue
        for item in value:
            if not isinstance(item, OutputModifierModel):
                continue
            kind = item.type.value
            where = f"declared in input `{field_name}` as {kind}"
            if item.name not in outputs:
                problems.append(FieldError(item.name, f"output `{item.name}` ({where}) was not produced"))
                continue
            produced = outputs[item.name]
            allowed = _DECLARED_TYPES.get(kind, (object,))
            wrong_bool = isinstance(produced, bool) and kind != "boolean"
            if produced is None or wrong_bool or not isinstance(produced, allowed):
                problems.append(
                    FieldError(item.name, f"output `{item.name}` ({where}) is {_json_kind(produced)}, not {kind}")
                )
    if problems:
        raise PieceOutputError(piece_name, "; ".join(p.message for p in problems), problems)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    for name, kinds in (("boolean", (bool,)), ("integer", (int,)), ("number", (float,)), ("string", (str,))):
        if isinstance(value, kinds):
            return name
    return "array" if isinstance(value, list) else "object"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def normalize_display_result(piece_name: str, raw: Any, results_path: str | Path) -> dict[str, Any] | None:
    """Validate ``self.display_result`` and make it path-only.

    ``base64_content`` is decoded into a file in ``results_path`` (XCom must never carry blobs);
    a ``file_path`` outside ``results_path`` is copied in, so the file is kept with the results.
    Result: ``{"file_type", "file_path" (absolute), "relative_path" (below results_path)}``.
    """
    if raw is None:
        return None
    if isinstance(raw, DisplayResult):
        raw = raw.model_dump()
    if not isinstance(raw, dict):
        raise PieceOutputError(piece_name, f"display_result must be a dict, got {type(raw).__name__}", [])
    try:
        result = DisplayResult.model_validate(raw)
    except ValidationError as exc:
        raise PieceOutputError(
            piece_name,
            "invalid display_result",
            field_errors_from_validation(exc, "display_result", show_values=False),
        ) from None
    folder = Path(results_path).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = DISPLAY_RESULT_EXTENSIONS[result.file_type]
    if result.file_path:
        source = Path(result.file_path)
        if not source.is_absolute():
            source = (folder / source) if (folder / source).exists() else source.resolve()
        source = source.resolve()
        if not source.is_file():
            raise PieceOutputError(
                piece_name,
                "invalid display_result",
                [FieldError("display_result.file_path", f"file {result.file_path} does not exist")],
            )
        if not _inside(source, folder):
            target = folder / f"{DISPLAY_RESULT_BASENAME}{suffix}"
            shutil.copyfile(source, target)
            source = target
    else:
        try:
            content = base64.b64decode(result.base64_content or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise PieceOutputError(
                piece_name,
                "invalid display_result",
                [FieldError("display_result.base64_content", f"not valid base64: {exc}")],
            ) from None
        source = folder / f"{DISPLAY_RESULT_BASENAME}{suffix}"
        source.write_bytes(content)
    return {
        "file_type": result.file_type.value,
        "file_path": str(source),
        "relative_path": source.relative_to(folder).as_posix(),
    }


def _instantiate(piece_class: type[PieceCore], results_path: str, context: RunContext, deploy_mode: str) -> PieceCore:
    piece = piece_class.__new__(piece_class)
    piece._bind(results_path=results_path, context=context, deploy_mode=deploy_mode)
    if piece_class.__init__ is not PieceCore.__init__:
        # A piece with its own __init__: call it with whatever of Domino's arguments it accepts.
        offered: dict[str, Any] = {
            "deploy_mode": deploy_mode,
            "task_id": context.task_id,
            "dag_id": context.dag_id,
        }
        params = inspect.signature(piece_class.__init__).parameters
        takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        kwargs = {k: v for k, v in offered.items() if takes_kwargs or k in params}
        piece.__init__(**kwargs)  # type: ignore[misc]
    return piece


def _accepts_secrets(func: Any) -> bool:
    params = inspect.signature(func).parameters
    return "secrets_data" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def execute_piece(
    piece: LoadedPiece,
    inputs: dict[str, Any] | None,
    secrets: dict[str, Any] | None = None,
    *,
    results_path: str | os.PathLike[str] | None = None,
    context: RunContext | None = None,
    deploy_mode: str = "dry_run",
) -> PieceOutcome:
    """Validate inputs and secrets, call ``piece_function``, validate the output and display result.

    Raises :class:`PieceInputError` (before the call), :class:`PieceExecutionError` (the piece
    raised) or :class:`PieceOutputError` (bad return value or display result).
    """
    input_obj = validate_inputs(piece, inputs)
    secrets_obj = validate_secrets(piece, secrets)
    folder = os.fspath(results_path) if results_path else tempfile.mkdtemp(prefix=f"{piece.name}_results_")
    os.makedirs(folder, exist_ok=True)
    try:
        instance = _instantiate(piece.piece_class, folder, context or RunContext(), deploy_mode)
        call: dict[str, Any] = {"input_data": input_obj}
        if piece.secrets_model is not None and _accepts_secrets(instance.piece_function):
            call["secrets_data"] = secrets_obj
        returned = instance.piece_function(**call)
    except (Exception, SystemExit) as exc:
        raise PieceExecutionError(piece.name, f"raised {type(exc).__name__}: {exc}") from exc
    outputs = validate_output(piece, returned)
    check_declared_outputs(piece.name, input_obj, outputs)
    display = normalize_display_result(piece.name, instance.display_result, folder)
    return PieceOutcome(outputs=outputs, display_result=display)
