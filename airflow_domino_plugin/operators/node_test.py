"""The task of a workflow's node-test DAG: runs one piece with the inputs the run's ``conf`` carries.

The API (``services.node_tests``) resolves and validates the inputs before it triggers the run, so
the conf holds literal input values, the piece reference and the task's secret *bindings*
(Variable/Connection names, never values): secrets are resolved here at run time exactly as in a
workflow task. A pinned past run's folder is readable, so file paths in pinned upstream outputs work.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin.operators.piece import DockerPieceOperator

NODE_TEST_TASK_ID = "node"


class NodeTestOperator(DockerPieceOperator):
    """One piece run whose piece, inputs, secrets and runner come from ``dag_run.conf``."""

    ui_color = "#fdf3e1"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(piece={}, **kwargs)
        self.pinned_dag_id: str | None = None
        self.pinned_run_id: str | None = None

    def execute(self, context: Any) -> Any:
        conf = dict(getattr(context.get("dag_run"), "conf", None) or {})
        piece = conf.get("piece")
        if not isinstance(piece, dict) or not all(
            isinstance(piece.get(k), str) for k in ("repository", "version", "name")
        ):
            raise AirflowException(
                "This run has no piece to test: node-test runs are started from the Domino editor "
                "(POST /domino/api/v1/workflows/{id}/node-tests), which puts the piece and its inputs in its conf."
            )
        self.piece = {k: piece[k] for k in ("repository", "version", "name")}
        self.inputs = dict(conf.get("inputs") or {})
        self.secrets = {name: dict(binding) for name, binding in (conf.get("secrets") or {}).items()}
        runner = str(conf.get("runner") or "subprocess")
        if runner not in ("subprocess", "docker"):
            raise AirflowException(f"Node tests run with the subprocess or docker runner, not {runner!r}")
        self.runner = runner
        self.piece_resources = dict(conf.get("resources") or {})
        timeout = conf.get("timeout_s")
        self.timeout_s = int(timeout) if isinstance(timeout, int) and timeout > 0 else None
        self.workflow_id = str(conf.get("workflow_id") or "")
        self.pinned_run_id = conf.get("pinned_run_id") if isinstance(conf.get("pinned_run_id"), str) else None
        self.pinned_dag_id = self.workflow_id if self.pinned_run_id else None
        self.log.info(
            "Testing task %r of workflow %r%s",
            conf.get("task_id"),
            self.workflow_id,
            f" with the upstream outputs of run {self.pinned_run_id}" if self.pinned_run_id else "",
        )
        return self.run_piece(context)

    def extra_input_runs(self) -> list[tuple[str, str]]:
        """The pinned run: its results folder holds the files its outputs point to."""
        if self.pinned_dag_id and self.pinned_run_id:
            return [(self.pinned_dag_id, self.pinned_run_id)]
        return []
