"""The operator every workflow task is an instance of."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import BaseOperator


class PieceOperator(BaseOperator):
    """Runs one piece of an installed repository version.

    Carries only data: the piece reference, the inputs with their bindings (resolved at run
    time from params and upstream XCom), and secret *bindings* (Variable/Connection names,
    never values), so nothing secret reaches the serialized DAG.
    """

    ui_color = "#e8f1fb"
    template_fields = ()

    def __init__(
        self,
        *,
        piece: dict[str, str],
        inputs: dict[str, Any] | None = None,
        secrets: dict[str, dict[str, Any]] | None = None,
        runner: str = "subprocess",
        resources: dict[str, Any] | None = None,
        workflow_id: str = "",
        revision_id: int = 0,
        timeout_s: int | None = None,
        mapped_upstreams: list[str] | None = None,
        for_each_input: str | None = None,
        for_each_item: Any = None,
        branch: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if timeout_s and "execution_timeout" not in kwargs:
            # The runner kills the piece at timeout_s with a clear message; Airflow's own
            # timeout is only a backstop in case the runner itself hangs.
            kwargs["execution_timeout"] = timedelta(seconds=timeout_s + 60)
        super().__init__(**kwargs)
        self.timeout_s = timeout_s
        self.piece = dict(piece)
        self.inputs = dict(inputs or {})
        self.secrets = {name: dict(binding) for name, binding in (secrets or {}).items()}
        self.runner = runner
        # Not `self.resources`: BaseOperator turns that into a Resources object, reading config each time.
        self.piece_resources = dict(resources or {})
        self.workflow_id = workflow_id
        self.revision_id = revision_id
        # Upstream for-each tasks: their outputs arrive as lists (one value per instance).
        self.mapped_upstreams = list(mapped_upstreams or [])
        # A for-each instance: Airflow expands `for_each_item`, given to the input `for_each_input`.
        self.for_each_input = for_each_input
        self.for_each_item = for_each_item
        self.branch = dict(branch) if branch else None  # only BranchPieceOperator acts on it

    def execute(self, context: Any) -> Any:
        from airflow_domino_plugin.execution.task import run_piece_task

        return run_piece_task(self, context)
