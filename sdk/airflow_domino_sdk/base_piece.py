"""``BasePiece``: the class every piece subclasses.

The constructor accepts the original Domino positional arguments (``deploy_mode, task_id,
dag_id``) so Domino pieces that override ``__init__`` and call ``super().__init__(...)`` keep
working; the runtime passes ``results_path`` and ``context`` by keyword. Everything but
``dry_run`` is :class:`~airflow_domino_sdk.piece_core.PieceCore`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from airflow_domino_sdk.execution import execute_piece
from airflow_domino_sdk.loader import LoadedPiece
from airflow_domino_sdk.piece_core import PieceCore

__all__ = ["BasePiece"]


class BasePiece(PieceCore):
    """Subclass it and implement :meth:`piece_function`.

    Available inside ``piece_function``: ``self.logger`` (lines reach the Airflow task log),
    ``self.results_path`` (a local folder; its files are kept after the task), ``self.display_result``
    (set it to show a file in the GUI), ``self.context`` (:class:`RunContext`) and its shortcuts
    ``dag_id``, ``run_id``, ``task_id``, ``logical_date``, ``try_number``.

    Optional class attributes ``InputModel``/``OutputModel``/``SecretsModel`` override the models
    found in the piece's ``models.py`` (handy for pieces defined in a single file or a test).
    """

    @classmethod
    def dry_run(
        cls,
        input_data: dict[str, Any],
        piece_input_model: type[BaseModel],
        piece_output_model: type[BaseModel],
        piece_secrets_model: type[BaseModel] | None = None,
        secrets_data: dict[str, Any] | None = None,
        results_path: str | None = None,
    ) -> BaseModel:
        """Domino's classmethod dry run: validate, run, return the OutputModel instance."""
        loaded = LoadedPiece(
            name=cls.__name__,
            piece_class=cls,
            input_model=piece_input_model,
            output_model=piece_output_model,
            secrets_model=piece_secrets_model,
        )
        outcome = execute_piece(loaded, input_data, secrets_data, results_path=results_path)
        return piece_output_model.model_validate(outcome.outputs)
