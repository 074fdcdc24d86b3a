"""``/workflows/{id}/node-tests``: run one task on its own (a real run of the workflow's node-test DAG).

Starting a node test needs the same permission as triggering the workflow (``RUN_WORKFLOWS`` on
its DAG); reading one needs ``READ``, as a run's tasks do. The paths below a test mirror a run's
task (``…/logs``, ``…/result``, ``…/result/info``, ``…/files/…``), so the GUI reads both alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AfterValidator, BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires, secrets_reader, user_name
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.api.routers.runs import (
    LogOffsetQuery,
    LogOut,
    PieceRef,
    ResultInfoOut,
    TryNumberQuery,
    _file_response,
)
from airflow_domino_plugin.services import node_tests as service
from airflow_domino_plugin.workflows.document import check_depth

router = APIRouter(prefix="/workflows", tags=["node tests"])

WORKFLOW_ID = "workflow_id"
READ = requires(Permission.READ, dag_id_param=WORKFLOW_ID)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such workflow or node test"}}


class NodeTestBody(BaseModel):
    task_id: str = Field(max_length=100, description="The task of `document` to run")
    document: Annotated[dict[str, Any] | None, AfterValidator(lambda v: check_depth(v) if v is not None else v)] = (
        Field(
            default=None,
            description="The workflow as the editor shows it (saved or not); default: the current revision",
        )
    )
    params: Annotated[dict[str, Any], AfterValidator(check_depth)] = Field(
        default_factory=dict, description="Values of run parameters the task's inputs use (default: their defaults)"
    )
    pinned_run_id: str | None = Field(
        default=None,
        max_length=250,
        description="A past run of the workflow whose upstream outputs stand in for the task's `$upstream` bindings",
    )


class NodeTestOut(BaseModel):
    run_id: str = Field(description="The run of the node-test DAG")
    workflow_id: str
    task_id: str = Field(description="The workflow task that was tested")
    state: str | None = Field(description="queued | running | success | failed")
    task_state: str | None = Field(description="Airflow state of the test's task; null until scheduled")
    try_number: int
    queued_at: datetime | None
    start_date: datetime | None
    end_date: datetime | None
    pinned_run_id: str | None
    inputs: dict[str, Any] = Field(description="The input values the piece was given (bindings resolved)")
    piece: PieceRef
    triggered_by: str | None
    has_display_result: bool
    outputs: dict[str, Any] | None = Field(description="The piece's outputs once it succeeded (not in lists)")

    @classmethod
    def of(cls, test: service.NodeTest) -> NodeTestOut:
        return cls(
            run_id=test.run_id,
            workflow_id=test.workflow_id,
            task_id=test.task_id,
            state=test.state,
            task_state=test.task_state,
            try_number=test.try_number,
            queued_at=test.queued_at,
            start_date=test.start_date,
            end_date=test.end_date,
            pinned_run_id=test.pinned_run_id,
            inputs=test.inputs,
            piece=PieceRef(**test.piece),
            triggered_by=test.triggered_by,
            has_display_result=test.has_display_result,
            outputs=test.outputs,
        )


class NodeTestPreparingOut(BaseModel):
    """The answer to a node test asked for before Airflow has loaded the workflow's node-test DAG."""

    preparing: bool = Field(default=True, description="Always true: nothing was started yet")
    workflow_id: str
    dag_id: str = Field(description="The node-test DAG Airflow is loading")
    message: str
    retry_after_s: float = Field(description="Send the same request again after this many seconds")


@router.post(
    "/{workflow_id}/node-tests",
    response_model=NodeTestOut,
    status_code=201,
    summary="Run one task on its own with the given inputs (optionally a past run's upstream outputs)",
    responses={
        **NOT_FOUND,
        202: {
            "model": NodeTestPreparingOut,
            "description": "Nothing started yet: Airflow is loading the workflow's node-test DAG (made on its "
            "first node test). Send the same request again after `retry_after_s` (also in Retry-After).",
        },
        403: {"description": "Not allowed to run the workflow, or to use a bound secret"},
        422: {"description": "The task's inputs are not valid; each error names its field"},
    },
)
def start_node_test(
    workflow_id: str,
    body: NodeTestBody,
    session: SessionDep,
    user: Any = requires(Permission.RUN_WORKFLOWS, "POST", dag_id_param=WORKFLOW_ID),
) -> NodeTestOut | JSONResponse:
    test = service.start(
        session,
        workflow_id,
        task_id=body.task_id,
        document=body.document,
        params=body.params,
        pinned_run_id=body.pinned_run_id,
        reader=secrets_reader(user),
        user_name=user_name(user),
    )
    if isinstance(test, service.Preparing):
        preparing = NodeTestPreparingOut(
            workflow_id=test.workflow_id, dag_id=test.dag_id, message=test.message, retry_after_s=test.retry_after_s
        )
        return JSONResponse(
            preparing.model_dump(), status_code=202, headers={"Retry-After": str(max(1, round(test.retry_after_s)))}
        )
    return NodeTestOut.of(test)


@router.get("/{workflow_id}/node-tests", response_model=PageOut[NodeTestOut], dependencies=[READ], responses=NOT_FOUND)
def list_node_tests(
    workflow_id: str,
    session: SessionDep,
    task_id: Annotated[str, Query(max_length=100, description="Only tests of this task")] = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> PageOut[NodeTestOut]:
    page = service.list_tests(session, workflow_id, task_id=task_id, limit=limit, offset=offset)
    return PageOut(items=[NodeTestOut.of(t) for t in page.items], total=page.total)


@router.get("/{workflow_id}/node-tests/{run_id}", response_model=NodeTestOut, dependencies=[READ], responses=NOT_FOUND)
def get_node_test(workflow_id: str, run_id: str, session: SessionDep) -> NodeTestOut:
    return NodeTestOut.of(service.get(session, workflow_id, run_id))


@router.get(
    "/{workflow_id}/node-tests/{run_id}/logs",
    response_model=LogOut,
    dependencies=[READ],
    summary="The test task's log, incrementally: pass the previous `next_offset` as `offset`",
    responses=NOT_FOUND,
)
def node_test_logs(
    workflow_id: str,
    run_id: str,
    session: SessionDep,
    try_number: TryNumberQuery = None,
    offset: LogOffsetQuery = 0,
) -> LogOut:
    chunk = service.log(session, workflow_id, run_id, try_number=try_number, offset=offset)
    return LogOut.of(chunk)


@router.get(
    "/{workflow_id}/node-tests/{run_id}/result",
    dependencies=[READ],
    summary="The test's display result, with its content type",
    responses={404: {"description": "The test has no display result"}},
    response_class=StreamingResponse,
)
def node_test_result(workflow_id: str, run_id: str, session: SessionDep) -> StreamingResponse:
    return _file_response(service.display_result(session, workflow_id, run_id))


@router.get(
    "/{workflow_id}/node-tests/{run_id}/result/info",
    response_model=ResultInfoOut,
    dependencies=[READ],
    summary="What the test's display result is and where to fetch it",
    responses={404: {"description": "The test has no display result"}},
)
def node_test_result_info(workflow_id: str, run_id: str, session: SessionDep, request: Request) -> ResultInfoOut:
    file = service.display_result(session, workflow_id, run_id)
    url = request.url.path.removesuffix("/info")
    return ResultInfoOut(
        file_type=file.file_type,
        relative_path=file.relative_path,
        size=file.size(),
        url=url,
        results_folder=service.results_folder(session, workflow_id, run_id),
    )


@router.get(
    "/{workflow_id}/node-tests/{run_id}/files/{path:path}",
    dependencies=[READ],
    summary="Any file of the test's results folder",
    responses={404: {"description": "No such file"}, 422: {"description": "Path leaves the results folder"}},
    response_class=StreamingResponse,
)
def node_test_file(workflow_id: str, run_id: str, path: str, session: SessionDep) -> StreamingResponse:
    return _file_response(service.result_file(session, workflow_id, run_id, path))
