"""``/workflows/{id}/runs``: trigger, watch and steer runs; task logs, outputs and result files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import AirflowApiDep, SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.api.limits import MAX_DB_INT
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.services import results
from airflow_domino_plugin.services import runs as service
from airflow_domino_plugin.services.run_secrets import masker_for_run
from airflow_domino_plugin.workflows.document import check_depth

router = APIRouter(prefix="/workflows", tags=["runs"])

WORKFLOW_ID = "workflow_id"
READ = requires(Permission.READ, dag_id_param=WORKFLOW_ID)
RUN_PUT = requires(Permission.RUN_WORKFLOWS, "PUT", dag_id_param=WORKFLOW_ID)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such workflow, run or task"}}


class RevisionRef(BaseModel):
    id: int
    number: int


class RunOut(BaseModel):
    run_id: str
    workflow_id: str
    state: str | None = Field(description="queued | running | success | failed")
    run_type: str = Field(description="manual | scheduled | backfill | asset_triggered")
    logical_date: datetime | None
    queued_at: datetime | None
    start_date: datetime | None
    end_date: datetime | None
    params: dict[str, Any] = Field(description="The parameter values of the run (defaults and overrides)")
    note: str
    revision: RevisionRef | None = Field(description="The workflow revision the run ran, when known")
    triggered_by: str | None = Field(description="User who triggered the run; null for scheduled runs")

    @classmethod
    def of(cls, run: service.Run) -> RunOut:
        return cls(
            run_id=run.run_id,
            workflow_id=run.workflow_id,
            state=run.state,
            run_type=run.run_type,
            logical_date=run.logical_date,
            queued_at=run.queued_at,
            start_date=run.start_date,
            end_date=run.end_date,
            params=run.params,
            note=run.note,
            revision=RevisionRef(id=run.revision.id, number=run.revision.number) if run.revision else None,
            triggered_by=run.triggered_by,
        )


class PieceRef(BaseModel):
    repository: str
    version: str
    name: str


MapIndexQuery = Annotated[
    int, Query(ge=-1, le=MAX_DB_INT, description="One instance of a for-each task (its `map_index`); -1: other tasks")
]
# A log read incrementally (a run's task and a node test alike).
TryNumberQuery = Annotated[int | None, Query(ge=0, le=MAX_DB_INT, description="Default: the latest try")]
LogOffsetQuery = Annotated[int, Query(ge=0, le=MAX_DB_INT, description="Log records already read")]


class MapInstanceOut(BaseModel):
    map_index: int = Field(description="Position of the item in the for-each list")
    state: str | None
    try_number: int
    start_date: datetime | None
    end_date: datetime | None
    duration_s: float | None


class RunLink(BaseModel):
    workflow_id: str
    run_id: str
    task_id: str | None = Field(default=None, description="The parent's task that started the run (parent links)")


class TaskOut(BaseModel):
    task_id: str
    label: str
    piece: PieceRef | None
    state: str | None = Field(description="Airflow task state; null while the task has not been scheduled")
    try_number: int
    max_tries: int
    start_date: datetime | None
    end_date: datetime | None
    duration_s: float | None
    has_display_result: bool
    map_instances: list[MapInstanceOut] = Field(
        default_factory=list,
        description="A for-each task's instances, one per item in item order (their logs: `map_index`); "
        "empty for other tasks",
    )
    child_run: RunLink | None = Field(
        default=None, description="A task running another workflow: the run it started (once started)"
    )


class RunDetailOut(RunOut):
    tasks: list[TaskOut]
    parent_run: RunLink | None = Field(
        default=None, description="A run started by another workflow's task: that workflow, run and task"
    )
    revision_document: dict[str, Any] | None = Field(description="The document of the revision the run ran")


class TriggerBody(BaseModel):
    params: Annotated[dict[str, Any], AfterValidator(check_depth)] = Field(
        default_factory=dict, description="Overrides of the workflow's run parameters"
    )
    note: str = Field(default="", max_length=1000, description="A note kept with the run")


class ClearBody(BaseModel):
    downstream: bool = Field(default=True, description="Also clear the tasks downstream of this one")


class ClearedOut(BaseModel):
    cleared: list[str]


class PausedOut(BaseModel):
    is_paused: bool


class LogOut(BaseModel):
    lines: list[str] = Field(description="Log records as text (`timestamp LEVEL event`; tracebacks on extra lines)")
    next_offset: int = Field(description="Pass as `offset` to get only what was logged since")
    complete: bool = Field(description="The try has finished: no more lines will come")
    try_number: int

    @classmethod
    def of(cls, chunk: service.LogChunk, mask: Callable[[str], str] | None = None) -> LogOut:
        lines = [mask(line) for line in chunk.lines] if mask is not None else chunk.lines
        return cls(lines=lines, next_offset=chunk.next_offset, complete=chunk.complete, try_number=chunk.try_number)


class OutputsOut(BaseModel):
    outputs: dict[str, Any] | None


RESULTS_FOLDER_HELP = "The task's results folder as the piece saw it; paths under it are served by …/files/"


class ResultInfoOut(BaseModel):
    file_type: str
    relative_path: str
    size: int | None
    url: str
    results_folder: str = Field(description=RESULTS_FOLDER_HELP)


class DisplayRef(BaseModel):
    file_type: str
    url: str
    results_folder: str = Field(description=RESULTS_FOLDER_HELP)


class ReportTaskOut(BaseModel):
    task_id: str
    label: str
    state: str | None
    outputs: dict[str, Any] | None
    display_result: DisplayRef | None


class ReportOut(BaseModel):
    run: RunOut
    tasks: list[ReportTaskOut]


def _detail(session: SessionDep, workflow_id: str, run_id: str) -> RunDetailOut:
    detail = service.get_run_detail(session, workflow_id, run_id)
    return RunDetailOut(
        **RunOut.of(detail.run).model_dump(),
        tasks=[
            TaskOut(
                task_id=t.task_id,
                label=t.label,
                piece=PieceRef(**t.piece) if t.piece else None,
                state=t.state,
                try_number=t.try_number,
                max_tries=t.max_tries,
                start_date=t.start_date,
                end_date=t.end_date,
                duration_s=t.duration_s,
                has_display_result=t.has_display_result,
                map_instances=[MapInstanceOut(**vars(instance)) for instance in t.map_instances],
                child_run=RunLink(**t.child_run) if t.child_run else None,
            )
            for t in detail.tasks
        ],
        parent_run=RunLink(**detail.parent_run) if detail.parent_run else None,
        revision_document=detail.run.revision.document if detail.run.revision else None,
    )


def _result_url(request: Request, workflow_id: str, run_id: str, task_id: str) -> str:
    # request.url_for cannot see routes of an app mounted by Airflow: build the path from this one.
    api_root = request.url.path.split("/workflows/", 1)[0]
    parts = (quote(workflow_id, safe=""), quote(run_id, safe=""), quote(task_id, safe=""))
    return f"{api_root}/workflows/{parts[0]}/runs/{parts[1]}/tasks/{parts[2]}/result"


@router.post(
    "/{workflow_id}/runs",
    response_model=RunOut,
    status_code=201,
    summary="Trigger a run now, optionally overriding run parameters",
    responses={
        409: {"description": "Airflow has not loaded the deployed revision yet, or the workflow has only drafts"},
        422: {"description": "Invalid params"},
    },
)
def trigger_run(
    workflow_id: str,
    body: TriggerBody,
    session: SessionDep,
    airflow: AirflowApiDep,
    user: Any = requires(Permission.RUN_WORKFLOWS, "POST", dag_id_param=WORKFLOW_ID),
) -> RunOut:
    return RunOut.of(service.trigger(session, workflow_id, params=body.params, note=body.note, airflow=airflow))


@router.get("/{workflow_id}/runs", response_model=PageOut[RunOut], dependencies=[READ], responses=NOT_FOUND)
def list_runs(
    workflow_id: str,
    session: SessionDep,
    state: Annotated[
        str, Query(pattern="^(|queued|running|success|failed)$", description="Only runs in this state")
    ] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageOut[RunOut]:
    page = service.list_runs(session, workflow_id, state=state, limit=limit, offset=offset)
    return PageOut(items=[RunOut.of(run) for run in page.items], total=page.total)


@router.get("/{workflow_id}/runs/{run_id}", response_model=RunDetailOut, dependencies=[READ], responses=NOT_FOUND)
def get_run(workflow_id: str, run_id: str, session: SessionDep) -> RunDetailOut:
    return _detail(session, workflow_id, run_id)


@router.post(
    "/{workflow_id}/runs/{run_id}/cancel",
    response_model=RunOut,
    summary="Mark the run failed and stop its unfinished tasks",
    responses={**NOT_FOUND, 409: {"description": "The run has already ended"}},
)
def cancel_run(
    workflow_id: str, run_id: str, session: SessionDep, airflow: AirflowApiDep, user: Any = RUN_PUT
) -> RunOut:
    return RunOut.of(service.cancel(session, workflow_id, run_id, airflow=airflow))


@router.post(
    "/{workflow_id}/pause",
    response_model=PausedOut,
    summary="Pause the workflow's schedule (running runs go on)",
)
def pause(workflow_id: str, session: SessionDep, airflow: AirflowApiDep, user: Any = RUN_PUT) -> PausedOut:
    return PausedOut(is_paused=service.set_paused(session, workflow_id, True, airflow=airflow))


@router.post(
    "/{workflow_id}/unpause",
    response_model=PausedOut,
    summary="Unpause the workflow",
)
def unpause(workflow_id: str, session: SessionDep, airflow: AirflowApiDep, user: Any = RUN_PUT) -> PausedOut:
    return PausedOut(is_paused=service.set_paused(session, workflow_id, False, airflow=airflow))


@router.post(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/clear",
    response_model=ClearedOut,
    summary="Clear a task (and by default its downstream tasks) so it runs again",
    responses=NOT_FOUND,
)
def clear_task(
    workflow_id: str,
    run_id: str,
    task_id: str,
    session: SessionDep,
    airflow: AirflowApiDep,
    body: ClearBody | None = None,
    user: Any = requires(Permission.RUN_WORKFLOWS, "POST", dag_id_param=WORKFLOW_ID),
) -> ClearedOut:
    downstream = body.downstream if body is not None else True
    cleared = service.clear_task(session, workflow_id, run_id, task_id, downstream=downstream, airflow=airflow)
    return ClearedOut(cleared=cleared)


@router.get(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/logs",
    response_model=LogOut,
    dependencies=[READ],
    summary="A try's log, incrementally: pass the previous `next_offset` as `offset`",
    responses=NOT_FOUND,
)
def task_logs(
    workflow_id: str,
    run_id: str,
    task_id: str,
    session: SessionDep,
    airflow: AirflowApiDep,
    try_number: TryNumberQuery = None,
    offset: LogOffsetQuery = 0,
    map_index: MapIndexQuery = -1,
) -> LogOut:
    chunk = service.task_log(
        session,
        workflow_id,
        run_id,
        task_id,
        airflow=airflow,
        try_number=try_number,
        offset=offset,
        map_index=map_index,
    )
    return LogOut.of(chunk, mask=masker_for_run(session, workflow_id, run_id).text)


@router.get(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/outputs",
    response_model=OutputsOut,
    dependencies=[READ],
    summary="The task's outputs (its XCom return value); null until it succeeds",
    responses=NOT_FOUND,
)
def task_outputs(
    workflow_id: str, run_id: str, task_id: str, session: SessionDep, map_index: MapIndexQuery = -1
) -> OutputsOut:
    value = service.xcom_value(session, workflow_id, run_id, task_id, "return_value", map_index)
    masker = masker_for_run(session, workflow_id, run_id)
    return OutputsOut(outputs=masker.value(value) if isinstance(value, dict) else None)


def _file_response(file: results.ResultFile) -> StreamingResponse:
    headers = {"X-Content-Type-Options": "nosniff", "X-Domino-File-Type": file.file_type}
    if file.sandboxed:
        headers["Content-Security-Policy"] = "sandbox"
    size = None if file.masked else file.size()  # masking may change the length
    if size is not None:
        headers["Content-Length"] = str(size)
    name = file.relative_path.rsplit("/", 1)[-1].replace('"', "")
    headers["Content-Disposition"] = f'inline; filename="{name}"'
    return StreamingResponse(file.chunks(), media_type=file.content_type, headers=headers)


@router.get(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/result",
    dependencies=[READ],
    summary="The task's display result, with its content type",
    responses={404: {"description": "The task has no display result"}},
    response_class=StreamingResponse,
)
def task_result(workflow_id: str, run_id: str, task_id: str, session: SessionDep) -> StreamingResponse:
    return _file_response(results.display_result(session, workflow_id, run_id, task_id))


@router.get(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/result/info",
    response_model=ResultInfoOut,
    dependencies=[READ],
    summary="What the display result is and where to fetch it",
    responses={404: {"description": "The task has no display result"}},
)
def task_result_info(
    workflow_id: str, run_id: str, task_id: str, session: SessionDep, request: Request
) -> ResultInfoOut:
    file = results.display_result(session, workflow_id, run_id, task_id)
    return ResultInfoOut(
        file_type=file.file_type,
        relative_path=file.relative_path,
        size=file.size(),
        url=_result_url(request, workflow_id, run_id, task_id),
        results_folder=results.results_folder(session, workflow_id, run_id, task_id),
    )


@router.get(
    "/{workflow_id}/runs/{run_id}/tasks/{task_id}/files/{path:path}",
    dependencies=[READ],
    summary="Any file of the task's results folder",
    responses={404: {"description": "No such file"}, 422: {"description": "Path leaves the results folder"}},
    response_class=StreamingResponse,
)
def task_file(workflow_id: str, run_id: str, task_id: str, path: str, session: SessionDep) -> StreamingResponse:
    return _file_response(results.task_file(session, workflow_id, run_id, task_id, path))


@router.get(
    "/{workflow_id}/runs/{run_id}/report",
    response_model=ReportOut,
    dependencies=[READ],
    summary="All task results of the run, in topological order",
    responses=NOT_FOUND,
)
def run_report(workflow_id: str, run_id: str, session: SessionDep, request: Request) -> ReportOut:
    report = service.report(session, workflow_id, run_id)
    masker = masker_for_run(session, workflow_id, run_id)
    return ReportOut(
        run=RunOut.of(report.run),
        tasks=[
            ReportTaskOut(
                task_id=t.task_id,
                label=t.label,
                state=t.state,
                outputs=masker.value(t.outputs) if isinstance(t.outputs, dict) else None,
                display_result=DisplayRef(
                    file_type=str(t.display_result.get("file_type") or ""),
                    url=_result_url(request, workflow_id, run_id, t.task_id),
                    results_folder=results.results_folder(session, workflow_id, run_id, t.task_id),
                )
                if t.display_result
                else None,
            )
            for t in report.tasks
        ],
    )
