"""``PieceCore``: all of ``BasePiece`` that running a piece needs.

The loader and the executor check pieces against this class; ``BasePiece``
(:mod:`airflow_domino_sdk.base_piece`) adds Domino's ``dry_run``, which uses them, so the SDK's
modules import each other in one direction only.

The constructor accepts the original Domino positional arguments (``deploy_mode, task_id,
dag_id``) so Domino pieces that override ``__init__`` and call ``super().__init__(...)`` keep
working; the runtime passes ``results_path`` and ``context`` by keyword.
"""

from __future__ import annotations

import abc
import logging
import os
import tempfile
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel

from airflow_domino_sdk.models import RunContext
from airflow_domino_sdk.piece_logging import get_piece_logger

__all__ = ["PieceCore"]


class PieceCore(metaclass=abc.ABCMeta):
    """What every piece is (subclass :class:`~airflow_domino_sdk.base_piece.BasePiece`, not this)."""

    InputModel: ClassVar[type[BaseModel] | None] = None
    OutputModel: ClassVar[type[BaseModel] | None] = None
    SecretsModel: ClassVar[type[BaseModel] | None] = None
    _metadata_: ClassVar[dict[str, Any]] = {}

    logger: logging.Logger
    results_path: str
    display_result: dict[str, Any] | None
    context: RunContext
    deploy_mode: str
    airflow_context: dict[str, Any]

    def __init__(
        self,
        deploy_mode: str | None = None,
        task_id: str | None = None,
        dag_id: str | None = None,
        *,
        results_path: str | os.PathLike[str] | None = None,
        context: RunContext | None = None,
    ) -> None:
        if getattr(self, "_bound", False) and results_path is None and context is None:
            # Already set up by the runtime; a subclass __init__ calling super().__init__(...)
            # with Domino's arguments must not reset the run context.
            return
        ctx = context or RunContext()
        updates = {k: v for k, v in (("task_id", task_id), ("dag_id", dag_id)) if v}
        if updates:
            ctx = ctx.model_copy(update=updates)
        self._bind(results_path=results_path, context=ctx, deploy_mode=deploy_mode or "dry_run")

    def _bind(
        self,
        *,
        results_path: str | os.PathLike[str] | None,
        context: RunContext,
        deploy_mode: str = "dry_run",
    ) -> None:
        """Set the per-run state (kept apart from ``__init__`` so overriding ``__init__`` is safe)."""
        if results_path is None:
            results_path = tempfile.mkdtemp(prefix=f"{type(self).__name__}_results_")
        os.makedirs(results_path, exist_ok=True)
        # A str, as in Domino: pieces do both `Path(self.results_path)` and `self.results_path + "/x"`.
        self.results_path = os.fspath(results_path)
        self.context = context
        self.deploy_mode = deploy_mode
        self.display_result = None
        self.logger = get_piece_logger(type(self).__name__)
        self.airflow_context = {
            "dag_id": context.dag_id,
            "run_id": context.run_id,
            "dag_run_id": context.run_id,
            "task_id": context.task_id,
            "try_number": context.try_number,
            "logical_date": context.logical_date,
            "execution_datetime": context.logical_date.isoformat() if context.logical_date else None,
        }
        self._bound = True

    # Shortcuts to the run context (Domino pieces read self.task_id / self.dag_id).
    @property
    def dag_id(self) -> str:
        return self.context.dag_id

    @property
    def run_id(self) -> str:
        return self.context.run_id

    @property
    def task_id(self) -> str:
        return self.context.task_id

    @property
    def logical_date(self) -> datetime | None:
        return self.context.logical_date

    @property
    def try_number(self) -> int:
        return self.context.try_number

    @classmethod
    def set_metadata(cls, metadata: dict[str, Any]) -> None:
        """Attach ``metadata.json`` content to the class (Domino API; the loader calls it)."""
        cls._metadata_ = dict(metadata)

    @abc.abstractmethod
    def piece_function(self, input_data: Any, secrets_data: Any = None) -> Any:
        """Do the work: receive a validated InputModel (and SecretsModel), return OutputModel or dict."""
