"""Approval and input steps: "Waiting for you", a run's steps, and answering one (Airflow's HITL underneath)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import SessionDep
from airflow_domino_plugin.api.authorization import (
    Permission,
    dag_reader,
    requires,
    step_responder,
    user_id,
    user_name,
)
from airflow_domino_plugin.services import approvals as service

router = APIRouter(tags=["approvals"])

WORKFLOW_ID = "workflow_id"
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such workflow, run or step"}}


class UserOut(BaseModel):
    id: str
    name: str


class StepOut(BaseModel):
    workflow_id: str
    workflow_name: str
    run_id: str
    task_id: str
    map_index: int
    task_state: str | None = Field(description="`deferred` or `awaiting_input` while waiting for an answer")
    title: str
    body: str | None = Field(description="Markdown, with the task's values filled in")
    options: list[str]
    multiple: bool
    fields: dict[str, Any] = Field(description="Form fields: Airflow's serialized params (`value`, `schema`, ...)")
    on_timeout: list[str] | None = Field(description="Options taken when the timeout passes")
    respondents: list[UserOut] = Field(description="Who may answer; empty: anyone allowed to run the workflow")
    created_at: datetime | None
    timeout_at: datetime | None
    can_respond: bool = Field(description="Whether you may answer it now")
    responded_at: datetime | None
    responded_by: UserOut | None
    chosen_options: list[str] | None
    params_input: dict[str, Any]

    @classmethod
    def of(cls, step: service.Step) -> StepOut:
        r = step.request
        return cls(
            workflow_id=r.dag_id,
            workflow_name=step.workflow_name,
            run_id=r.run_id,
            task_id=r.task_id,
            map_index=r.map_index,
            task_state=r.task_state,
            title=r.subject,
            body=r.body,
            options=r.options,
            multiple=r.multiple,
            fields=r.params,
            on_timeout=r.defaults,
            respondents=[UserOut(**u) for u in r.assigned_users],
            created_at=r.created_at,
            timeout_at=r.timeout_at,
            can_respond=step.can_respond,
            responded_at=r.responded_at,
            responded_by=UserOut(**r.responded_by) if r.responded_by else None,
            chosen_options=r.chosen_options,
            params_input=r.params_input,
        )


class StepsOut(BaseModel):
    items: list[StepOut]


class ResponseBody(BaseModel):
    chosen_options: list[str] = Field(description='The option(s) chosen, e.g. `["Approve"]`')
    params_input: dict[str, Any] = Field(default_factory=dict, description="Form field values by field name")
    map_index: int = Field(default=-1, description="Map index of the task instance (-1: not mapped)")


@router.get(
    "/approvals/waiting",
    response_model=StepsOut,
    summary="Approval and input steps waiting for an answer that you may give",
)
def waiting(session: SessionDep, user: Any = requires(Permission.READ)) -> StepsOut:
    steps = service.waiting_for(
        session, may_read=dag_reader(user), may_respond=step_responder(user), user_id=user_id(user)
    )
    return StepsOut(items=[StepOut.of(step) for step in steps])


@router.get(
    "/workflows/{workflow_id}/runs/{run_id}/approvals",
    response_model=StepsOut,
    summary="The approval and input steps of a run, answered or waiting",
    responses=NOT_FOUND,
)
def run_steps(
    workflow_id: str,
    run_id: str,
    session: SessionDep,
    user: Any = requires(Permission.READ, dag_id_param=WORKFLOW_ID),
) -> StepsOut:
    steps = service.run_steps(session, workflow_id, run_id, may_respond=step_responder(user), user_id=user_id(user))
    return StepsOut(items=[StepOut.of(step) for step in steps])


@router.post(
    "/workflows/{workflow_id}/runs/{run_id}/tasks/{task_id}/response",
    response_model=StepOut,
    summary="Answer a waiting approval or input step; its task resumes with the answer as its outputs",
    responses={
        **NOT_FOUND,
        403: {"description": "Not allowed to answer (role, or not one of the step's respondents)"},
        409: {"description": "Already answered, or the task is not waiting"},
        422: {"description": "Unknown option or invalid form values"},
    },
)
def respond(
    workflow_id: str,
    run_id: str,
    task_id: str,
    body: ResponseBody,
    session: SessionDep,
    user: Any = requires(Permission.RUN_WORKFLOWS, "PUT", dag_id_param=WORKFLOW_ID),
) -> StepOut:
    step = service.respond(
        session,
        user,
        workflow_id,
        run_id,
        task_id,
        map_index=body.map_index,
        chosen_options=body.chosen_options,
        params_input=body.params_input,
        may_respond=step_responder(user),
        user_id=user_id(user),
        user_name=user_name(user),
    )
    return StepOut.of(step)
