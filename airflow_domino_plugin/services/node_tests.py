"""Node tests: run one task of a workflow on its own, as a real Airflow run of the workflow's node-test DAG.

The editor sends the workflow document it shows (saved or not), the task to test and, optionally, a
past run of the workflow whose upstream outputs stand in for ``$upstream`` bindings ("pinned").
Here every binding is resolved (run parameters from overrides or defaults, upstream outputs from
the pinned run's XCom), the resulting values are checked against the piece's input schema (each
problem names its field), the secret bindings are checked against the caller as a save checks
them, and the node-test DAG (``dag_factory.node_test``) is triggered with the piece, the literal
inputs and the secret *bindings* in its conf. Secret values are read by the task at run time,
never here and never in the conf.

A workflow gets its node-test DAG on demand: the first node test records
``domino_workflows.node_tests_since`` and asks Airflow to re-parse the loader, waits a few seconds
for the new DAG and, if Airflow has not loaded it yet, answers :class:`Preparing` (nothing is
started; the caller asks again after ``retry_after_s``). Deleting the workflow deletes that DAG too.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter, config
from airflow_domino_plugin.dag_factory.node_test import node_test_dag_id
from airflow_domino_plugin.db.models import Workflow
from airflow_domino_plugin.db.types import utcnow
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.operators.node_test import NODE_TEST_TASK_ID
from airflow_domino_plugin.services import airflow_dags, results
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.catalog import catalog_for
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound
from airflow_domino_plugin.services.paging import Page
from airflow_domino_plugin.services.run_secrets import masker_for_document
from airflow_domino_plugin.services.runs.logs import LogChunk, log_of
from airflow_domino_plugin.services.runs.queries import get_dag_run
from airflow_domino_plugin.services.secret_access import SecretReader, authorise_bindings
from airflow_domino_plugin.workflows.bindings import BindingError, resolve_bindings
from airflow_domino_plugin.workflows.document import RunParam, Task, TaskDefaults
from airflow_domino_plugin.workflows.issues import format_path, json_pointer
from airflow_domino_plugin.workflows.params import resolve_run_params, validate_run_params
from airflow_domino_plugin.workflows.validation.messages import schema_error_messages

TESTABLE_RUNNERS = ("subprocess", "docker")
# How long a first node test waits in the request for Airflow to load the new node-test DAG (a
# requested re-parse took ~1.1 s on Airflow 3.3.2), how often it looks, and when to ask again after.
PREPARE_WAIT_S = 4.0
PREPARE_POLL_S = 0.5
RETRY_AFTER_S = 2.0
_PARAMS: TypeAdapter[dict[str, RunParam]] = TypeAdapter(dict[str, RunParam])


@dataclass
class NodeTest:
    """One node-test run and its task."""

    run_id: str
    workflow_id: str
    task_id: str
    state: str | None
    task_state: str | None
    try_number: int
    queued_at: datetime | None
    start_date: datetime | None
    end_date: datetime | None
    pinned_run_id: str | None
    inputs: dict[str, Any]
    piece: dict[str, str]
    triggered_by: str | None
    has_display_result: bool = False
    outputs: dict[str, Any] | None = None
    secrets: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Preparing:
    """Nothing was started: Airflow has not loaded the workflow's node-test DAG yet (its first node
    test asked for it). Progress, not a failure: the same request succeeds once the DAG is parsed."""

    workflow_id: str
    dag_id: str
    message: str
    retry_after_s: float = RETRY_AFTER_S


def _issue(loc: tuple[str | int, ...], message: str, code: str = "invalid_input") -> Issue:
    return Issue(path=format_path(loc), pointer=json_pointer(loc), message=message, code=code)


def _refuse(issues: list[Issue]) -> None:
    if issues:
        count = len(issues)
        raise InvalidInput(f"The node cannot be tested: {count} problem{'s' if count > 1 else ''}.", issues)


def _task_in(document: Mapping[str, Any], task_id: str) -> tuple[int, dict[str, Any]]:
    for index, task in enumerate(document.get("tasks") or []):
        if isinstance(task, dict) and task.get("id") == task_id:
            return index, task
    raise InvalidInput(
        f"The workflow has no task {task_id!r} to test.",
        [Issue(path="task_id", message=f"No task {task_id!r} in the workflow's tasks.", code="unknown_task")],
    )


def _pydantic_issues(error: ValidationError, base: tuple[str | int, ...]) -> list[Issue]:
    return [_issue((*base, *e["loc"]), str(e["msg"]), str(e["type"])) for e in error.errors()]


def pinned_outputs(session: Session, workflow_id: str, run_id: str) -> dict[str, dict[str, Any]]:
    """Every task's outputs in a past run of the workflow (what pinned bindings read), masked."""
    get_dag_run(session, workflow_id, run_id)  # 404 for a run that is not the workflow's
    values = airflow_adapter.xcom_values(session, workflow_id, run_id, ("return_value",))
    return {task: value for (task, _key), value in values.items() if isinstance(value, dict)}


def start(
    session: Session,
    workflow_id: str,
    *,
    task_id: str,
    document: dict[str, Any] | None,
    params: dict[str, Any],
    pinned_run_id: str | None,
    reader: SecretReader,
    user_name: str = "",
) -> NodeTest | Preparing:
    """Check the task's inputs and start a node-test run; every problem is reported at once with its path.

    :class:`Preparing` (nothing started) while Airflow has not loaded the workflow's node-test DAG.
    """
    workflow = workflows_service.get_workflow(session, workflow_id)
    if document is None:
        document = workflows_service.current_revision(session, workflow).document
    if document.get("id") not in (None, workflow_id):
        raise InvalidInput(
            "The document is another workflow's.",
            [Issue(path="document.id", message=f"Expected {workflow_id!r}, got {document.get('id')!r}.")],
        )
    index, raw_task = _task_in(document, task_id)
    base: tuple[str | int, ...] = ("tasks", index)
    try:
        task = Task.model_validate(raw_task)
    except ValidationError as exc:
        _refuse(_pydantic_issues(exc, base))
        raise  # not reached
    if task.piece is None:
        _refuse([_issue(base, f"Task {task_id!r} runs a workflow, not a piece: test that workflow instead.")])
    assert task.piece is not None
    if task.for_each is not None or task.branch is not None:
        _refuse(
            [
                _issue(
                    base,
                    f"Task {task_id!r} is a for-each or branch task; a node test runs plain piece tasks "
                    "(run the workflow to test its control flow).",
                    "not_testable",
                )
            ]
        )
    try:
        defaults = TaskDefaults.model_validate(document.get("defaults") or {})
    except ValidationError as exc:
        _refuse(_pydantic_issues(exc, ("defaults",)))
        raise
    runner = task.runner or defaults.runner or config.get("default_runner") or "subprocess"
    if runner not in TESTABLE_RUNNERS:
        _refuse(
            [
                _issue(
                    (*base, "runner"),
                    f"Node tests run with the subprocess or docker runner, not {runner!r}; "
                    "pick one of those for the test, or run the workflow.",
                    "not_testable",
                )
            ]
        )
    spec = catalog_for(session, {task.piece.repository}).get_piece(
        task.piece.repository, task.piece.version, task.piece.name
    )
    if spec is None:
        _refuse(
            [
                _issue(
                    (*base, "piece"),
                    f"Piece {task.piece.name} of {task.piece.repository} {task.piece.version} is not installed.",
                    "unknown_piece",
                )
            ]
        )
    assert spec is not None

    # --- bindings -> values
    issues: list[Issue] = []
    try:
        param_defs = _PARAMS.validate_python(document.get("params") or {})
    except ValidationError as exc:
        _refuse(_pydantic_issues(exc, ("document", "params")))
        raise
    # Parameters the task does not use need no value for the test: only the given values are checked.
    param_issues = [i for i in validate_run_params(param_defs, params, base=("params",)) if i.code != "param_required"]
    issues += [Issue(path=i.path, pointer=i.pointer, message=i.message, code=i.code) for i in param_issues]
    param_values = resolve_run_params(param_defs, params) if not param_issues else {}
    pinned: dict[str, dict[str, Any]] = {}
    if pinned_run_id:
        pinned = pinned_outputs(session, workflow_id, pinned_run_id)
    resolved: dict[str, Any] = {}
    for name, value in task.inputs.items():
        loc: tuple[str | int, ...] = (*base, "inputs", name)

        def upstream(up_task: str, output: str, loc: tuple[str | int, ...] = loc) -> Any:
            return _upstream(up_task, output, loc, pinned, pinned_run_id)

        def param(param_name: str, loc: tuple[str | int, ...] = loc) -> Any:
            return _param(param_name, loc, param_values, param_defs)

        try:
            resolved[name] = resolve_bindings(value, upstream=upstream, param=param)
        except _Unresolved as exc:
            issues.append(exc.issue)
        except BindingError as exc:
            issues.append(_issue(loc, str(exc), "invalid_binding"))
    _refuse(issues)

    # --- the values against the piece's input model
    schema = dict(spec.input_schema or {})
    try:
        errors = list(Draft202012Validator(schema).iter_errors(resolved))
    except Exception as exc:  # a broken schema in piece metadata
        _refuse([_issue((*base, "inputs"), f"The input schema of piece {spec.name} cannot be used ({exc}).")])
        raise
    for error in errors:
        for loc, message, code in schema_error_messages(error, schema, (*base, "inputs")):
            if code == "missing_input" and len(loc) == len(base) + 2:
                message = f"Input `{loc[-1]}` needs a value for the test: type it, or pin a past run for its upstream."
            issues.append(_issue(loc, message, code))
    secrets_schema = spec.secrets_schema or {}
    for name in secrets_schema.get("required") or []:
        if name not in task.secrets:
            issues.append(_issue((*base, "secrets", name), f"Secret `{name}` is required by the piece: bind it."))
    _refuse(issues)
    secrets = {name: source.model_dump(exclude_none=True) for name, source in task.secrets.items()}
    authorise_bindings(session, {"tasks": [None] * index + [raw_task]}, reader)

    # --- the run
    conf = {
        "workflow_id": workflow_id,
        "task_id": task_id,
        "piece": task.piece.model_dump(),
        "inputs": resolved,
        "secrets": secrets,
        "runner": runner,
        "resources": task.resources.model_dump(exclude_none=True) if task.resources else {},
        "timeout_s": task.timeout_s if task.timeout_s is not None else defaults.timeout_s,
        "pinned_run_id": pinned_run_id,
    }
    dag_id = node_test_dag_id(workflow_id)
    dag_run = trigger_when_loaded(session, workflow, conf, user_name=user_name)
    if isinstance(dag_run, Preparing):
        return dag_run
    airflow_adapter.record_action(
        session,
        "trigger_dag_run",
        user_name=user_name,
        dag_id=dag_id,
        run_id=dag_run.run_id,
        extra={
            "node_test": task_id,
            "workflow": workflow_id,
            "pinned_run_id": pinned_run_id,
            "inputs": sorted(resolved),
        },
    )
    session.commit()
    return get(session, workflow_id, dag_run.run_id)


def trigger_when_loaded(
    session: Session, workflow: Workflow, conf: dict[str, Any], *, user_name: str = ""
) -> airflow_adapter.DagRunInfo | Preparing:
    """Trigger the workflow's node-test DAG; on its first node test, ask for the DAG first.

    The first request records ``node_tests_since`` (so the factory builds the DAG), asks Airflow
    to re-parse the loader and waits up to :data:`PREPARE_WAIT_S` for the DAG. :class:`Preparing`
    when Airflow has not loaded it by then (nothing is started).
    """
    workflow_id = workflow.id
    dag_id = node_test_dag_id(workflow_id)
    first = workflow.node_tests_since is None
    if first:  # from now on the DAG factory builds the workflow's node-test DAG
        workflow.node_tests_since = utcnow()
        session.commit()
        airflow_dags.request_reparse(session, user_name=user_name or None, dag_id=dag_id)
        airflow_dags.watch_until_parsed(dag_id, 0)  # the node-test DAG has no revision marker: until it exists
    deadline = time.monotonic() + (PREPARE_WAIT_S if first else 0.0)
    while True:
        try:
            return airflow_adapter.trigger_dag_run(session, dag_id, conf=conf, user_name=user_name or None)
        except airflow_adapter.DagNotLoaded:
            session.rollback()  # nothing was written; the next look sees the DAG processor's commits
            if time.monotonic() >= deadline:
                return _preparing(session, workflow_id, dag_id, first=first)
            time.sleep(PREPARE_POLL_S)
        except airflow_adapter.RunAlreadyExists as exc:
            raise Conflict("A run with the same id was started at the same moment; try again.") from exc


def _preparing(session: Session, workflow_id: str, dag_id: str, *, first: bool) -> Preparing:
    if not first:  # asked for earlier and still missing (e.g. a busy DAG processor): ask for a parse again
        airflow_dags.request_reparse(session)
    return Preparing(
        workflow_id=workflow_id,
        dag_id=dag_id,
        message=(
            f"Preparing workflow {workflow_id!r} for node tests: Airflow is loading its one-task test DAG "
            f"({dag_id}, made on the workflow's first node test). Nothing was started yet; ask again in "
            f"{RETRY_AFTER_S:g} s and the test starts once the DAG is loaded (usually within seconds)."
        ),
    )


class _Unresolved(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _upstream(
    task: str, output: str, loc: tuple[str | int, ...], pinned: dict[str, dict[str, Any]], run_id: str | None
) -> Any:
    where = f"`{format_path(loc[3:])}`"
    if run_id is None:
        raise _Unresolved(
            _issue(
                loc,
                f"Input {where} takes output `{output}` of task `{task}`: pin a past run to use "
                "its outputs, or type a value for the test.",
                "needs_pinned_run",
            )
        )
    outputs = pinned.get(task)
    if outputs is None or output not in outputs:
        have = ", ".join(sorted(outputs)) if outputs else "none (it did not succeed in that run)"
        raise _Unresolved(
            _issue(
                loc,
                f"Input {where} takes output `{output}` of task `{task}`, but in run {run_id} that task's outputs "
                f"are: {have}. Pin another run, or type a value.",
                "missing_pinned_output",
            )
        )
    return outputs[output]


def _param(name: str, loc: tuple[str | int, ...], values: dict[str, Any], defs: Mapping[str, Any]) -> Any:
    where = f"`{format_path(loc[3:])}`"
    if name not in defs:
        raise _Unresolved(_issue(loc, f"Input {where} takes run parameter `{name}`, which is not declared."))
    if name not in values:
        raise _Unresolved(
            _issue(loc, f"Input {where} takes run parameter `{name}`, which has no default: give it a value.")
        )
    return values[name]


# ------------------------------------------------------------------ reading node tests


def _masker(conf: Mapping[str, Any]) -> Masker:
    secrets = conf.get("secrets") if isinstance(conf.get("secrets"), dict) else {}
    return masker_for_document({"tasks": [{"secrets": secrets}]})


def _dag_run(session: Session, workflow_id: str, run_id: str) -> airflow_adapter.DagRunInfo:
    workflows_service.get_workflow(session, workflow_id)
    dag_run = airflow_adapter.dag_run(session, node_test_dag_id(workflow_id), run_id)
    if dag_run is None:
        raise NotFound(f"Workflow {workflow_id!r} has no node test {run_id!r}.")
    return dag_run


def _of(session: Session, workflow_id: str, dag_run: airflow_adapter.DagRunInfo, *, with_outputs: bool) -> NodeTest:
    conf = dag_run.conf
    dag_id = node_test_dag_id(workflow_id)
    ti = airflow_adapter.task_instance(session, dag_id, dag_run.run_id, NODE_TEST_TASK_ID, -1)
    masker = _masker(conf)
    outputs = None
    has_display = False
    if with_outputs and ti is not None:
        value = airflow_adapter.xcom_value(session, dag_id, dag_run.run_id, NODE_TEST_TASK_ID, "return_value")
        outputs = masker.value(value) if isinstance(value, dict) else None
        has_display = isinstance(
            airflow_adapter.xcom_value(session, dag_id, dag_run.run_id, NODE_TEST_TASK_ID, "display_result"), dict
        )
    piece: dict[str, Any] = conf["piece"] if isinstance(conf.get("piece"), dict) else {}
    return NodeTest(
        run_id=dag_run.run_id,
        workflow_id=workflow_id,
        task_id=str(conf.get("task_id") or ""),
        state=dag_run.state,
        task_state=ti.state if ti else None,
        try_number=ti.try_number if ti else 0,
        queued_at=dag_run.queued_at,
        start_date=dag_run.start_date,
        end_date=dag_run.end_date,
        pinned_run_id=conf.get("pinned_run_id") if isinstance(conf.get("pinned_run_id"), str) else None,
        inputs=masker.value(dict(conf.get("inputs") or {})),
        piece={k: str(piece.get(k, "")) for k in ("repository", "version", "name")},
        triggered_by=dag_run.triggering_user_name,
        has_display_result=has_display,
        outputs=outputs,
    )


def get(session: Session, workflow_id: str, run_id: str) -> NodeTest:
    """The node test with its task's state, outputs (once it succeeded) and whether it has a display result."""
    return _of(session, workflow_id, _dag_run(session, workflow_id, run_id), with_outputs=True)


def list_tests(
    session: Session, workflow_id: str, *, task_id: str = "", limit: int = 20, offset: int = 0
) -> Page[NodeTest]:
    """The workflow's node tests, newest first (of one task when ``task_id`` is given)."""
    workflows_service.get_workflow(session, workflow_id)
    dag_runs, total = airflow_adapter.dag_runs(
        session, node_test_dag_id(workflow_id), state="", limit=limit if not task_id else 1000, offset=offset
    )
    if task_id:
        dag_runs = [r for r in dag_runs if r.conf.get("task_id") == task_id]
        total = len(dag_runs)
        dag_runs = dag_runs[:limit]
    return Page(items=[_of(session, workflow_id, r, with_outputs=False) for r in dag_runs], total=total)


def _ti(
    session: Session, workflow_id: str, run_id: str
) -> tuple[airflow_adapter.DagRunInfo, airflow_adapter.TaskInstanceInfo]:
    dag_run = _dag_run(session, workflow_id, run_id)
    ti = airflow_adapter.task_instance(session, node_test_dag_id(workflow_id), run_id, NODE_TEST_TASK_ID, -1)
    if ti is None:
        raise NotFound(f"Node test {run_id!r} has not been scheduled yet.")
    return dag_run, ti


def log(session: Session, workflow_id: str, run_id: str, *, try_number: int | None = None, offset: int = 0) -> LogChunk:
    """The test task's log (masked), incrementally as :func:`services.runs.task_log`."""
    dag_run, ti = _ti(session, workflow_id, run_id)
    chunk = log_of(
        session, node_test_dag_id(workflow_id), run_id, ti, try_number=try_number, offset=offset, what="the node test"
    )
    masker = _masker(dag_run.conf)
    chunk.lines = [masker.text(line) for line in chunk.lines]
    return chunk


def _results_uri(session: Session, workflow_id: str, run_id: str) -> str:
    from airflow_domino_plugin import storage

    dag_id = node_test_dag_id(workflow_id)
    uri = airflow_adapter.xcom_value(session, dag_id, run_id, NODE_TEST_TASK_ID, "results_uri")
    return uri if isinstance(uri, str) and uri else storage.task_results_uri(dag_id, run_id, NODE_TEST_TASK_ID)


def display_result(session: Session, workflow_id: str, run_id: str) -> results.ResultFile:
    dag_run, _ti_info = _ti(session, workflow_id, run_id)
    display = airflow_adapter.xcom_value(
        session, node_test_dag_id(workflow_id), run_id, NODE_TEST_TASK_ID, "display_result"
    )
    if not isinstance(display, dict):
        raise NotFound(f"Node test {run_id!r} has no display result.")
    return results.display_file(display, _results_uri(session, workflow_id, run_id), _masker(dag_run.conf))


def results_folder(session: Session, workflow_id: str, run_id: str) -> str:
    from airflow_domino_plugin import storage

    uri = _results_uri(session, workflow_id, run_id)
    local = storage.local_path(uri)
    return str(local) if local is not None else uri


def result_file(session: Session, workflow_id: str, run_id: str, path: str) -> results.ResultFile:
    dag_run, _ti_info = _ti(session, workflow_id, run_id)
    return results.folder_file(_results_uri(session, workflow_id, run_id), path, _masker(dag_run.conf))
