"""The operator every workflow task is an instance of, and what it does when it runs.

A run: bindings -> inputs, secrets -> values (masked in logs), the runner (subprocess or docker),
result files masked and stored, outputs to XCom.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin import config

# What a run needs (the hook, input resolution, secrets, masking) is imported when the task runs,
# not here: building DAGs (the DAG processor, and every task process's parse of its one DAG) only
# constructs operators. Measured in a fresh task process: ~250 ms of the DAG file's parse.


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
        return self.run_piece(context)

    def container_started(self, container: Any) -> None:
        """Called by the docker runner with the piece's container (only DockerPieceOperator keeps it)."""

    def extra_input_runs(self) -> list[tuple[str, str]]:
        """Other runs (dag id, run id) whose results folders the piece may read paths from; none here."""
        return []

    def run_piece(self, context: Any) -> dict[str, Any]:
        """Run the piece on a local runner; returns its (masked) outputs."""
        from airflow_domino_plugin.execution.masking import Masker
        from airflow_domino_plugin.execution.secrets import resolve_secrets
        from airflow_domino_plugin.operators.hook import PieceHook
        from airflow_domino_plugin.operators.inputs import context_for_piece, resolve_inputs

        log = self.log
        hook = PieceHook()
        piece = hook.locate(self.piece, say=lambda message: log.info("%s", message))
        inputs = resolve_inputs(self, context)
        secrets = resolve_secrets(self.secrets)
        run_context = context_for_piece(context)
        # Paths from inputs may only be read inside these (airflow_domino_sdk.paths.input_path).
        run_context["allowed_paths"] = hook.allowed_input_paths(run_context["dag_id"], run_context["run_id"])
        for dag_id, run_id in self.extra_input_runs():
            folder = hook.run_folder(dag_id, run_id)
            if folder is not None:
                run_context["allowed_paths"].append(str(folder))
        run_folder = hook.run_folder(run_context["dag_id"], run_context["run_id"])
        if run_folder is not None:
            run_context["run_folder"] = str(run_folder)
        masker = Masker.of_secrets(secrets)
        results_uri = hook.results_uri(run_context)
        local = hook.local_path(results_uri)
        scratch: Path | None = None
        if local is None:
            scratch = Path(tempfile.mkdtemp(prefix="domino-results-"))
            results_path = scratch
        else:
            results_path = local
            if results_path.exists():  # a retry starts from a clean folder
                shutil.rmtree(results_path)
            results_path.mkdir(parents=True, exist_ok=True)
        log.info("Running %s from %s %s (runner: %s)", piece.name, piece.repository, piece.version, self.runner)
        try:
            if self.runner == "kubernetes":
                raise AirflowException("The kubernetes runner runs as its own operator; this task was built without it")
            # What every local runner takes; each adds its own options.
            common: dict[str, Any] = {
                "inputs": inputs,
                "secrets": secrets,
                "results_path": results_path,
                "context": run_context,
                "log_line": lambda line: log.info("%s", line),
                "timeout_s": float(self.timeout_s) if self.timeout_s else None,
                "resources": self.piece_resources,
            }
            if self.runner == "docker":
                from airflow_domino_plugin.execution.runners import docker as docker_runner

                outcome = docker_runner.run(
                    piece,
                    **common,
                    # This run's folder: upstream tasks' files, readable at their own paths in the container.
                    run_folder=results_path.parent if local is not None else None,
                    on_container=self.container_started,
                )
            else:
                from airflow_domino_plugin.execution.runners import subprocess_runner
                from airflow_domino_plugin.repositories.snapshots import ensure_environment_once

                # Concurrent tasks on this machine build a missing virtualenv once; the runner then reuses it.
                ensure_environment_once(
                    Path(config.get("repositories_path")),
                    piece.requirements,
                    f"{piece.repository} {piece.version}",
                    lambda message: log.info("%s", message),
                )
                outcome = subprocess_runner.run(
                    piece, **common, repositories_root=Path(config.get("repositories_path"))
                )
            failure = outcome.failure(piece.name, self.timeout_s)
            if failure:
                log.error("%s", failure)  # the reason, in plain words, as the log's last line before Airflow's own
                raise AirflowException(failure)
            masked = masker.folder(results_path)  # before anything is uploaded or served
            if masked:
                log.warning("Masked secret values in result file(s): %s", ", ".join(masked))
            if scratch is not None:
                hook.upload_results(scratch, results_uri)
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
        outputs: dict[str, Any] = masker.value(dict(outcome.result.get("outputs") or {}))
        hook.push_result_refs(context["ti"], results_uri, outcome.result.get("display_result"))
        log.info(
            "Piece %s finished in %.2fs with outputs: %s", piece.name, outcome.duration_s, ", ".join(outputs) or "none"
        )
        return outputs


class DockerPieceOperator(PieceOperator):
    """A piece task on the ``docker`` runner: ``PieceOperator``'s run, plus ``on_kill`` stops the container."""

    ui_color = "#e3f4f4"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._container: Any = None

    def container_started(self, container: Any) -> None:
        self._container = container

    def on_kill(self) -> None:
        container, self._container = self._container, None
        if container is None:
            return
        from docker.errors import DockerException

        # Kill and remove in one call: Airflow gives a killed task only a few seconds to go.
        self.log.info("Stopping container %s", container.short_id)
        with contextlib.suppress(DockerException):
            container.remove(force=True)


def piece_operator_class(runner: str) -> type[BaseOperator]:
    """The operator of a runner's tasks; the kubernetes one is imported only when a DAG has one."""
    if runner == "kubernetes":
        from airflow_domino_plugin.operators.kubernetes import KubernetesPieceOperator

        return KubernetesPieceOperator
    if runner == "docker":
        return DockerPieceOperator
    return PieceOperator
