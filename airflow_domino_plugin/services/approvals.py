"""Approval and input steps waiting for people: "Waiting for you", a run's steps, answering one.

The requests and answers are Airflow's (``hitl_detail``, through :mod:`airflow_adapter.hitl`).
Who may answer is decided by the caller's permission on the workflow (``may_respond``, from the
web layer) and, when the step names respondents, by Airflow's auth manager.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.airflow_adapter.hitl import WAITING_STATES, HitlRefused, HitlRequest, hitl_requests
from airflow_domino_plugin.airflow_adapter.hitl import respond as adapter_respond
from airflow_domino_plugin.db.models import Workflow as WorkflowRow
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.errors import Conflict, Forbidden, InvalidInput, Issue, NotFound, ServiceError
from airflow_domino_plugin.services.runs.queries import get_dag_run


@dataclass(frozen=True)
class Step:
    request: HitlRequest
    workflow_name: str
    can_respond: bool  # this user may answer it now


def _assigned_to(request: HitlRequest, user_id: str | None) -> bool:
    return not request.assigned_users or any(u["id"] == user_id for u in request.assigned_users)


def _step(request: HitlRequest, name: str, may_respond: Callable[[str], bool], user_id: str | None) -> Step:
    waiting = request.responded_at is None and request.task_state in WAITING_STATES
    allowed = waiting and may_respond(request.dag_id) and _assigned_to(request, user_id)
    return Step(request=request, workflow_name=name, can_respond=allowed)


def waiting_for(
    session: Session, *, may_read: Callable[[str], bool], may_respond: Callable[[str], bool], user_id: str | None
) -> list[Step]:
    """Unanswered steps of the workflows this user may answer (oldest first)."""
    names = dict(session.execute(select(WorkflowRow.id, WorkflowRow.name)).tuples().all())
    readable = [workflow_id for workflow_id in names if may_read(workflow_id)]
    steps = [
        _step(request, names[request.dag_id], may_respond, user_id)
        for request in hitl_requests(session, dag_ids=readable, waiting_only=True)
    ]
    return [step for step in steps if step.can_respond]


def run_steps(
    session: Session, workflow_id: str, run_id: str, *, may_respond: Callable[[str], bool], user_id: str | None
) -> list[Step]:
    """Every step of a run, answered or not, with whether this user may answer it."""
    workflow = workflows_service.get_workflow(session, workflow_id)
    get_dag_run(session, workflow_id, run_id)
    return [
        _step(request, workflow.name, may_respond, user_id)
        for request in hitl_requests(session, dag_ids=[workflow_id], run_id=run_id)
    ]


def _form_issues(params: Mapping[str, Any], values: Mapping[str, Any]) -> list[Issue]:
    """Entered values against the step's form fields (Airflow's serialized ``Param`` s)."""
    issues: list[Issue] = []
    for name in values:
        if name not in params:
            known = ", ".join(f"`{n}`" for n in params) or "none"
            issues.append(
                Issue(f"params_input.{name}", f"The form has no field `{name}`; its fields: {known}.", "unknown_field")
            )
    for name, param in params.items():
        spec = param if isinstance(param, Mapping) else {}
        schema = spec.get("schema") or {}
        if name not in values:
            if spec.get("value") is None and "null" not in str(schema.get("type")):
                issues.append(Issue(f"params_input.{name}", f"Field `{name}` needs a value.", "missing_field"))
            continue
        for error in Draft202012Validator(schema).iter_errors(values[name]):
            issues.append(Issue(f"params_input.{name}", f"Field `{name}`: {error.message}.", "invalid_field"))
    return issues


def respond(
    session: Session,
    user: Any,
    workflow_id: str,
    run_id: str,
    task_id: str,
    *,
    map_index: int = -1,
    chosen_options: list[str],
    params_input: Mapping[str, Any],
    may_respond: Callable[[str], bool],
    user_id: str | None,
    user_name: str | None,
) -> Step:
    """Answer the step; Airflow resumes its task. 404 unknown, 403 not yours, 409 answered/not waiting, 422 invalid."""
    steps = run_steps(session, workflow_id, run_id, may_respond=may_respond, user_id=user_id)
    step = next((s for s in steps if s.request.task_id == task_id and s.request.map_index == map_index), None)
    if step is None:
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no approval or input step {task_id!r}.")
    request = step.request
    if request.responded_at is not None:
        by = (request.responded_by or {}).get("name") or "the timeout"
        raise Conflict(f"Step {task_id!r} was already answered ({', '.join(request.chosen_options or [])} by {by}).")
    if request.task_state not in WAITING_STATES:
        raise Conflict(f"Step {task_id!r} is not waiting for an answer (its task is {request.task_state}).")
    if not _assigned_to(request, user_id):
        names = ", ".join(u["name"] for u in request.assigned_users)
        raise Forbidden(f"Only {names} may answer step {task_id!r}.")
    issues: list[Issue] = []
    if not chosen_options:
        issues.append(Issue("chosen_options", f"Choose one of {', '.join(request.options)}.", "missing_option"))
    for position, option in enumerate(chosen_options):
        if option not in request.options:
            issues.append(
                Issue(
                    f"chosen_options[{position}]",
                    f"`{option}` is not an option; expected one of {', '.join(request.options)}.",
                    "unknown_option",
                )
            )
    if len(chosen_options) > 1 and not request.multiple:
        issues.append(Issue("chosen_options", "Choose only one option.", "too_many_options"))
    issues += _form_issues(request.params, params_input)
    if issues:
        raise InvalidInput("The answer is not valid.", issues)
    try:
        answered = adapter_respond(
            session,
            user,
            dag_id=workflow_id,
            run_id=run_id,
            task_id=task_id,
            map_index=map_index,
            chosen_options=chosen_options,
            params_input=params_input,
            user_name=user_name,
        )
    except HitlRefused as exc:
        error = ServiceError(exc.message)
        error.status = exc.status
        raise error from exc
    return Step(request=answered, workflow_name=step.workflow_name, can_respond=False)
