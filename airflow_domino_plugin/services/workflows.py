"""Workflows as data: validated saves into immutable revisions, and everything around them.

Every save validates the whole document against the installed pieces, writes a new revision in
one transaction, and asks Airflow to re-parse the DAG factory's loader so the DAG changes within
seconds. Saving on a stale base revision is refused so two editors never overwrite each other.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.dag_factory.node_test import node_test_dag_id
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision
from airflow_domino_plugin.db.types import utcnow
from airflow_domino_plugin.services import airflow_dags, subflows
from airflow_domino_plugin.services.catalog import catalog_for
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound, refused_by_airflow
from airflow_domino_plugin.services.paging import Page, paginate
from airflow_domino_plugin.workflows.validation import check_workflow


@dataclass
class Saved:
    workflow: Workflow
    revision: WorkflowRevision
    warnings: list[Issue] = field(default_factory=list)  # e.g. a nullable output feeding a required input


def _referenced_repositories(document: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(document, dict):
        for task in document.get("tasks") or []:
            piece = task.get("piece") if isinstance(task, dict) else None
            if isinstance(piece, dict) and isinstance(piece.get("repository"), str):
                names.add(piece["repository"])
    return names


def validate(session: Session, document: Any) -> list[Issue]:
    """Every problem with ``document``, each with its JSON path; empty when it can be saved."""
    return validate_with_warnings(session, document)[0]


def validate_with_warnings(session: Session, document: Any) -> tuple[list[Issue], list[Issue]]:
    """``(errors, warnings)``: errors refuse the save, warnings are shown but the document saves and runs."""
    others = subflows.deployed_workflows(session, document)  # the workflows it runs or waits for
    catalog = catalog_for(session, _referenced_repositories(document) | subflows.repositories_of(others))
    candidate = {document["id"]} if isinstance(document, dict) and isinstance(document.get("id"), str) else set()
    foreign = airflow_dags.foreign_dag_ids(session, candidate)
    report = check_workflow(document, catalog, existing_foreign_dag_ids=foreign, workflows=others)

    def issues(found: list[Any]) -> list[Issue]:
        return [Issue(path=i.path, pointer=i.pointer, message=i.message, code=i.code) for i in found]

    return issues(report.errors), issues(report.warnings)


def _require_valid(session: Session, document: Any, *, draft: bool = False) -> tuple[dict[str, Any], list[Issue]]:
    """The document and its warnings (for a draft: its errors and warnings); raises when it cannot be saved.

    A draft may have any problem except those that stop it being stored at all: it must be an
    object whose ``id`` is a valid, free workflow id (the id is the key of the workflow).
    """
    issues, warnings = validate_with_warnings(session, document)
    if draft:
        if not isinstance(document, dict):
            raise InvalidInput("A draft must be a JSON object.", [Issue("", "Expected an object.", "type", "")])
        blocking = [i for i in issues if i.path == "id" or i.path.startswith("id.")]
        if blocking:
            raise InvalidInput("Even a draft needs a valid workflow id.", blocking)
        return document, issues + warnings
    if issues:
        raise InvalidInput(f"The workflow has {len(issues)} problem{'s' if len(issues) > 1 else ''}.", issues)
    assert isinstance(document, dict)
    return document, warnings


def _summary_fields(workflow: Workflow, document: dict[str, Any], author: str) -> None:
    workflow.name = str(document.get("name") or workflow.id)
    workflow.description = str(document.get("description") or "")
    workflow.tags = list(document.get("tags") or [])
    workflow.updated_at = utcnow()
    workflow.updated_by = author


def _commit(
    session: Session, workflow: Workflow, revision: WorkflowRevision, warnings: list[Issue], *, draft: bool, author: str
) -> Saved:
    """Commit a saved revision; a valid one is deployed: the DAG is re-parsed to run it."""
    if draft:
        session.commit()
        return Saved(workflow, revision, warnings)
    workflow.deployed_revision_id = revision.id
    session.commit()
    airflow_dags.request_reparse(session, user_name=author, dag_id=workflow.id)
    airflow_dags.watch_until_parsed(workflow.id, revision.id)
    return Saved(workflow, revision, warnings)


def create(session: Session, document: Any, *, author: str, message: str = "", draft: bool = False) -> Saved:
    """A new workflow; as a draft it has no DAG until a valid revision is saved."""
    document, warnings = _require_valid(session, document, draft=draft)
    workflow_id = document["id"]
    if session.get(Workflow, workflow_id) is not None:
        raise Conflict(f"A workflow with id {workflow_id!r} already exists; choose another id or update it.")
    workflow = Workflow(id=workflow_id, created_by=author)
    _summary_fields(workflow, document, author)
    revision = WorkflowRevision(
        workflow=workflow, number=1, document=document, message=message or "Created", author=author, draft=draft
    )
    session.add_all([workflow, revision])
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"A workflow with id {workflow_id!r} was created at the same time.") from exc
    workflow.current_revision_id = revision.id
    return _commit(session, workflow, revision, warnings, draft=draft, author=author)


def update(
    session: Session,
    workflow_id: str,
    document: Any,
    *,
    base_revision_id: int,
    author: str,
    message: str = "",
    draft: bool = False,
) -> Saved:
    """A new revision. A draft becomes the current revision (what the editor opens) but the DAG
    keeps running the deployed revision, the last one saved valid, until a valid one is saved."""
    workflow = get_workflow(session, workflow_id, for_update=True)
    if workflow.current_revision_id != base_revision_id:
        current = current_revision(session, workflow)
        raise Conflict(
            f"Workflow {workflow_id!r} was changed by {current.author or 'someone'} (revision {current.number}) "
            f"since revision {base_revision_id} you started from. Reload it and apply your changes again.",
            current_revision_id=current.id,
            current_revision_number=current.number,
        )
    if isinstance(document, dict) and document.get("id") != workflow_id:
        raise InvalidInput(
            "A workflow's id cannot change.",
            [Issue("id", f"Expected {workflow_id!r} (the id cannot change); duplicate the workflow to get a new id.",
                   "id_immutable", "/id")],
        )  # fmt: skip
    document, warnings = _require_valid(session, document, draft=draft)
    number = (session.scalar(select(func.max(WorkflowRevision.number)).where(
        WorkflowRevision.workflow_id == workflow_id)) or 0) + 1  # fmt: skip
    revision = WorkflowRevision(
        workflow_id=workflow_id, number=number, document=document, message=message, author=author, draft=draft
    )
    session.add(revision)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        current = current_revision(session, get_workflow(session, workflow_id))
        raise Conflict(
            f"Workflow {workflow_id!r} was saved by someone else at the same time. Reload it and try again.",
            current_revision_id=current.id,
            current_revision_number=current.number,
        ) from exc
    workflow.current_revision_id = revision.id
    _summary_fields(workflow, document, author)
    return _commit(session, workflow, revision, warnings, draft=draft, author=author)


def delete(
    session: Session, workflow_id: str, *, airflow: airflow_adapter.AirflowApi, user_name: str | None = None
) -> None:
    """Delete the workflow, its revisions, its DAG and its node-test DAG (with their runs) from Airflow.

    The DAG goes first, through Airflow's ``DELETE /dags/{id}`` as the user: when Airflow refuses
    (their role, a task still running), nothing has been deleted. The workflow row and the
    node-test DAG (the plugin's own helper, authorised on the workflow) follow in one transaction.
    """
    get_workflow(session, workflow_id)
    _refuse_while_running(session, workflow_id)
    session.commit()  # Airflow's route writes in its own session
    try:
        airflow.delete_dag(workflow_id)
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"delete the DAG of workflow {workflow_id!r}") from exc
    session.expire_all()
    session.delete(get_workflow(session, workflow_id))
    session.flush()
    node_test_dag = node_test_dag_id(workflow_id)
    if airflow_dags.delete_dag(session, node_test_dag):
        airflow_adapter.record_action(session, "delete_dag", user_name=user_name, dag_id=node_test_dag)
    airflow_dags.delete_dag(session, workflow_id)  # written back by a parse since Airflow deleted it
    session.commit()
    airflow_dags.request_reparse(session)
    airflow_dags.watch_until_gone(workflow_id, (workflow_id, node_test_dag))


def _refuse_while_running(session: Session, workflow_id: str) -> None:
    """Airflow refuses to delete a DAG with running task instances; say so before touching anything."""
    running = airflow_adapter.running_task_ids(session, workflow_id, limit=5)
    if not running and airflow_adapter.running_task_ids(session, node_test_dag_id(workflow_id), limit=1):
        raise Conflict(
            f"Workflow {workflow_id!r} has a node test still running: wait for it to end, then delete the workflow.",
            running_tasks=[],
        )
    if running:
        raise Conflict(
            f"Workflow {workflow_id!r} has tasks still running ({', '.join(sorted(set(running)))}): cancel its "
            "runs (POST .../runs/{run_id}/cancel) or wait for them to end, then delete it.",
            running_tasks=sorted(set(running)),
        )


def duplicate(session: Session, workflow_id: str, *, new_id: str, new_name: str | None, author: str) -> Saved:
    source = current_revision(session, get_workflow(session, workflow_id))
    document = copy.deepcopy(source.document)
    document["id"] = new_id
    document["name"] = new_name or f"{document.get('name', workflow_id)} (copy)"
    message = f"Duplicated from {workflow_id} revision {source.number}"
    return create(session, document, author=author, message=message, draft=source.draft)


def list_workflows(
    session: Session, *, search: str = "", tag: str = "", limit: int = 50, offset: int = 0
) -> Page[Workflow]:
    statement = select(Workflow).order_by(Workflow.updated_at.desc(), Workflow.id)
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(Workflow.id.ilike(pattern), Workflow.name.ilike(pattern), Workflow.description.ilike(pattern))
        )
    if tag:
        # Tags are a JSON list; a LIKE on its text form works on SQLite and PostgreSQL alike.
        from sqlalchemy import String, cast

        statement = statement.where(cast(Workflow.tags, String).like(f'%"{tag}"%'))
    return paginate(session, statement, limit=limit, offset=offset)


def current_revisions(session: Session, workflows: list[Workflow]) -> dict[str, WorkflowRevision]:
    ids = [w.current_revision_id for w in workflows if w.current_revision_id is not None]
    if not ids:
        return {}
    revisions = session.scalars(select(WorkflowRevision).where(WorkflowRevision.id.in_(ids)))
    return {revision.workflow_id: revision for revision in revisions}


def deployed_revisions(session: Session, workflows: list[Workflow]) -> dict[str, WorkflowRevision]:
    """The revision each workflow's DAG runs (absent for a workflow with only drafts)."""
    ids = [w.deployed_revision_id for w in workflows if w.deployed_revision_id is not None]
    if not ids:
        return {}
    return {r.workflow_id: r for r in session.scalars(select(WorkflowRevision).where(WorkflowRevision.id.in_(ids)))}


def current_revision(session: Session, workflow: Workflow) -> WorkflowRevision:
    revision = session.get(WorkflowRevision, workflow.current_revision_id) if workflow.current_revision_id else None
    if revision is None:
        raise NotFound(f"Workflow {workflow.id!r} has no revision.")
    return revision


def get_workflow(session: Session, workflow_id: str, *, for_update: bool = False) -> Workflow:
    statement = select(Workflow).where(Workflow.id == workflow_id)
    if for_update:
        statement = statement.with_for_update()
    workflow = session.scalar(statement)
    if workflow is None:
        raise NotFound(f"Workflow {workflow_id!r} does not exist.")
    return workflow


def list_revisions(session: Session, workflow_id: str, *, limit: int = 50, offset: int = 0) -> Page[WorkflowRevision]:
    get_workflow(session, workflow_id)
    statement = (
        select(WorkflowRevision)
        .where(WorkflowRevision.workflow_id == workflow_id)
        .order_by(WorkflowRevision.number.desc())
    )
    return paginate(session, statement, limit=limit, offset=offset)


def get_revision(session: Session, workflow_id: str, revision_id: int) -> WorkflowRevision:
    revision = session.get(WorkflowRevision, revision_id)
    if revision is None or revision.workflow_id != workflow_id:
        raise NotFound(f"Workflow {workflow_id!r} has no revision {revision_id}.")
    return revision
