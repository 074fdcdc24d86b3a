"""What a piece task does when it runs: bindings -> inputs, secrets, runner, results, XCom."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin import config
from airflow_domino_plugin.execution import storage
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.execution.pieces import input_schema_of, locate
from airflow_domino_plugin.execution.secrets import resolve_secrets
from airflow_domino_plugin.workflows.bindings import UpstreamBinding, find_bindings, resolve_bindings
from airflow_domino_plugin.workflows.issues import format_path
from airflow_domino_plugin.workflows.type_compat import accepts_null, describe_type, subschema_at

if TYPE_CHECKING:
    from airflow_domino_plugin.dag_factory.piece_operator import PieceOperator

MISSING = object()


def upstream_output(ti: Any, task_id: str, output: str, *, mapped: bool, cache: dict[str, Any] | None = None) -> Any:
    """Output ``output`` of an upstream task; of a for-each (``mapped``) task, the list of its instances' values.

    Airflow returns one value for a single task instance and a list (in map-index order) for
    several, so a mapped task with one instance is normalised to a one-item list here.
    """
    cache = {} if cache is None else cache
    if task_id not in cache:
        cache[task_id] = ti.xcom_pull(task_ids=task_id, key="return_value")
    pulled = cache[task_id]
    if mapped:
        instances = pulled if isinstance(pulled, list) else [] if pulled is None else [pulled]
        return [_one_output(task_id, outputs, output) for outputs in instances]
    return _one_output(task_id, pulled, output)


def _one_output(task_id: str, outputs: Any, output: str) -> Any:
    if not isinstance(outputs, dict) or output not in outputs:
        available = ", ".join(sorted(outputs)) if isinstance(outputs, dict) else "none"
        raise AirflowException(f"Upstream task {task_id!r} produced no output {output!r} (its outputs: {available})")
    return outputs[output]


def _param_reader(context: Any) -> Any:
    params = context.get("params") or {}

    def param(name: str) -> Any:
        value = params.get(name, MISSING) if hasattr(params, "get") else MISSING
        if value is MISSING:
            raise AirflowException(f"Run parameter {name!r} has no value in this run")
        return value

    return param


def resolve_inputs(operator: PieceOperator, context: Any) -> dict[str, Any]:
    """Replace ``$param`` and ``$upstream`` bindings, at any depth, with this run's values.

    A for-each instance also gets its item (Airflow's expanded ``for_each_item``) as ``for_each_input``.
    """
    ti = context["ti"]
    pulled: dict[str, Any] = {}
    mapped = set(operator.mapped_upstreams)

    def upstream(task_id: str, output: str) -> Any:
        return upstream_output(ti, task_id, output, mapped=task_id in mapped, cache=pulled)

    resolved = resolve_bindings(operator.inputs, upstream=upstream, param=_param_reader(context))
    _refuse_nulls(operator, resolved)
    if operator.for_each_input:
        resolved[operator.for_each_input] = operator.for_each_item
    return resolved


def choose_branch(operator: PieceOperator, context: Any, outputs: dict[str, Any]) -> list[str]:
    """The downstream task ids the first holding rule of ``operator.branch`` names (else ``else``).

    ``$upstream`` bindings to the task itself read the outputs the piece just produced.
    """
    from airflow_domino_plugin.workflows.flow import rule_holds

    branch = operator.branch or {}
    ti = context["ti"]
    mapped = set(operator.mapped_upstreams)

    def upstream(task_id: str, output: str) -> Any:
        if task_id == operator.task_id:
            return _one_output(task_id, outputs, output)
        return upstream_output(ti, task_id, output, mapped=task_id in mapped)

    for number, rule in enumerate(branch.get("when") or []):
        value = resolve_bindings(rule["value"], upstream=upstream, param=_param_reader(context))
        try:
            holds = rule_holds(rule["op"], value, rule.get("operand"))
        except TypeError as exc:
            message = f"Branch rule when[{number}] of task {operator.task_id!r} cannot be evaluated: {exc}"
            operator.log.error("%s", message)
            raise AirflowException(message) from exc
        operator.log.info("Branch rule when[%d]: %r %s %r -> %s", number, value, rule["op"], rule.get("operand"), holds)
        if holds:
            return list(rule["then"])
    operator.log.info("No branch rule holds; running else: %s", ", ".join(branch.get("else") or []) or "nothing")
    return list(branch.get("else") or [])


def _refuse_nulls(operator: PieceOperator, resolved: dict[str, Any]) -> None:
    """Fail when an upstream output is null where the input does not accept null.

    Validation lets an ``Optional[T]`` output feed a ``T`` input with a warning; this is where a
    null that really arrives stops the task, naming the input and the upstream output, instead
    of a type error from inside the piece.
    """
    nulls = [
        found
        for found in find_bindings(operator.inputs)
        if isinstance(found.binding, UpstreamBinding) and _value_at(resolved, found.loc) is None
    ]
    if not nulls:
        return
    schema = input_schema_of(operator.piece)
    for found in nulls:
        target = subschema_at(schema, found.loc, schema) if schema else None
        if target is None or accepts_null(target, schema):
            continue
        binding = found.binding
        assert isinstance(binding, UpstreamBinding)
        message = (
            f"Input `{format_path(found.loc)}` of task {operator.task_id!r} expects {describe_type(target, schema)} "
            f"and does not accept null, but upstream task {binding.task!r} produced null for its output "
            f"{binding.output!r}"
        )
        operator.log.error("%s", message)  # the reason in the task log, not only in the exception's details
        raise AirflowException(message)


def _value_at(value: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        value = value[part]
    return value


def _context_for_piece(context: Any) -> dict[str, Any]:
    ti = context["ti"]
    logical_date = context.get("logical_date")
    return {
        "dag_id": ti.dag_id,
        "run_id": ti.run_id,
        "task_id": ti.task_id,
        "try_number": getattr(ti, "try_number", 1),
        "logical_date": logical_date.isoformat() if logical_date else None,
    }


def run_piece_task(operator: PieceOperator, context: Any) -> dict[str, Any]:
    log = operator.log
    piece = locate(operator.piece, say=lambda message: log.info("%s", message))
    inputs = resolve_inputs(operator, context)
    secrets = resolve_secrets(operator.secrets)
    run_context = _context_for_piece(context)
    # Paths from inputs may only be read inside these (airflow_domino_sdk.paths.input_path).
    run_context["allowed_paths"] = storage.allowed_input_paths(run_context["dag_id"], run_context["run_id"])
    run_folder = storage.run_folder(run_context["dag_id"], run_context["run_id"])
    if run_folder is not None:
        run_context["run_folder"] = str(run_folder)
    masker = Masker.of_secrets(secrets)
    results_uri = storage.task_results_uri(run_context["dag_id"], run_context["run_id"], run_context["task_id"])
    map_index = getattr(context["ti"], "map_index", -1)
    if isinstance(map_index, int) and map_index >= 0:  # one results folder per for-each instance
        results_uri = f"{results_uri}/{map_index}"
        run_context["map_index"] = map_index
    local = storage.local_path(results_uri)
    scratch: Path | None = None
    if local is None:
        scratch = Path(tempfile.mkdtemp(prefix="domino-results-"))
        results_path = scratch
    else:
        results_path = local
        if results_path.exists():  # a retry starts from a clean folder
            shutil.rmtree(results_path)
        results_path.mkdir(parents=True, exist_ok=True)
    log.info("Running %s from %s %s (runner: %s)", piece.name, piece.repository, piece.version, operator.runner)
    try:
        if operator.runner == "kubernetes":
            raise AirflowException("The kubernetes runner runs as its own operator; this task was built without it")
        # What every local runner takes; each adds its own options.
        common: dict[str, Any] = {
            "inputs": inputs,
            "secrets": secrets,
            "results_path": results_path,
            "context": run_context,
            "log_line": lambda line: log.info("%s", line),
            "timeout_s": float(operator.timeout_s) if operator.timeout_s else None,
            "resources": operator.piece_resources,
        }
        if operator.runner == "docker":
            from airflow_domino_plugin.execution.runners import docker as docker_runner

            outcome = docker_runner.run(
                piece,
                **common,
                # This run's folder: upstream tasks' files, readable at their own paths in the container.
                run_folder=results_path.parent if local is not None else None,
                on_container=getattr(operator, "container_started", None),
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
            outcome = subprocess_runner.run(piece, **common, repositories_root=Path(config.get("repositories_path")))
        failure = outcome.failure(piece.name, operator.timeout_s)
        if failure:
            log.error("%s", failure)  # the reason, in plain words, as the log's last line before Airflow's own
            raise AirflowException(failure)
        masked = masker.folder(results_path)  # before anything is uploaded or served
        if masked:
            log.warning("Masked secret values in result file(s): %s", ", ".join(masked))
        if scratch is not None:
            uploaded = storage.upload_folder(scratch, results_uri)
            log.info("Uploaded %d result file(s) to %s", len(uploaded), results_uri)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    outputs: dict[str, Any] = masker.value(dict(outcome.result.get("outputs") or {}))
    display = outcome.result.get("display_result")
    ti = context["ti"]
    ti.xcom_push(key="results_uri", value=results_uri)
    if display:
        relative = display.get("relative_path") or Path(display.get("file_path", "")).name
        ti.xcom_push(
            key="display_result",
            value={
                "file_type": display.get("file_type"),
                "uri": f"{results_uri}/{relative}",
                "relative_path": relative,
            },
        )
    log.info(
        "Piece %s finished in %.2fs with outputs: %s", piece.name, outcome.duration_s, ", ".join(outputs) or "none"
    )
    return outputs
