"""Pieces SDK: what piece authors import. Needs only pydantic (no Airflow), because it runs inside
piece virtualenvs and images.

    from airflow_domino_sdk import BasePiece
    from airflow_domino_sdk.testing import run_piece
"""

__version__ = "0.1.0"

from airflow_domino_sdk.base_piece import BasePiece
from airflow_domino_sdk.errors import (
    FieldError,
    PieceError,
    PieceExecutionError,
    PieceInputError,
    PieceLoadError,
    PieceOutputError,
)
from airflow_domino_sdk.models import (
    DisplayResult,
    DisplayResultFileType,
    OutputModifierItemType,
    OutputModifierModel,
    RunContext,
)
from airflow_domino_sdk.testing import PieceRunResult, run_piece

__all__ = [
    "BasePiece",
    "DisplayResult",
    "DisplayResultFileType",
    "FieldError",
    "OutputModifierItemType",
    "OutputModifierModel",
    "PieceError",
    "PieceExecutionError",
    "PieceInputError",
    "PieceLoadError",
    "PieceOutputError",
    "PieceRunResult",
    "RunContext",
    "run_piece",
]
