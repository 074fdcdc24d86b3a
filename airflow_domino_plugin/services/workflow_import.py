"""Importing workflow files: ours (an export) or Domino's, converted against the installed pieces.

Conversion and saving are separate so the editor can load a converted Domino workflow without
saving it (``convert``), while the API's import saves it as revision 1 (``import_workflow``). A
Domino workflow that cannot be mapped, or whose conversion does not validate, is refused with
every problem located in the file the user gave.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.services import workflows
from airflow_domino_plugin.services.errors import InvalidInput, Issue
from airflow_domino_plugin.services.secret_access import SecretReader, authorise_bindings
from airflow_domino_plugin.services.secrets import variable_name
from airflow_domino_plugin.workflows.domino_import import (
    DOMINO_FORMATS,
    NATIVE,
    InstalledPiece,
    InstalledRepository,
    RepositoryTarget,
    convert_domino,
    detect_format,
)
from airflow_domino_plugin.workflows.issues import ValidationIssue


@dataclass
class Converted:
    format: str
    document: dict[str, Any]
    warnings: list[Issue] = field(default_factory=list)
    task_ids: dict[str, str] = field(default_factory=dict)


def installed_repositories(session: Session) -> list[InstalledRepository]:
    """Every installed repository version with its pieces' names, secrets and default resources."""
    pieces: dict[int, dict[str, InstalledPiece]] = {}
    repos: dict[int, Repository] = {}
    rows = session.execute(select(Repository, Piece).join(Piece, Piece.repository_id == Repository.id))
    for repo, piece in rows.tuples():
        repos[repo.id] = repo
        secrets = tuple(((piece.secrets_schema or {}).get("properties") or {}).keys())
        pieces.setdefault(repo.id, {})[piece.name] = InstalledPiece(
            piece.name, secrets=secrets, container_resources=piece.container_resources or {}
        )
    return [
        InstalledRepository(repo.name, repo.version, repo.source_url, pieces[repo_id])
        for repo_id, repo in repos.items()
    ]


def _issue(issue: ValidationIssue) -> Issue:
    return Issue(path=issue.path, message=issue.message, code=issue.code, pointer=issue.pointer)


def convert(
    session: Session,
    document: Any,
    *,
    workflow_id: str | None = None,
    name: str | None = None,
    repositories: dict[str, RepositoryTarget] | None = None,
) -> Converted:
    """Our document for ``document`` (ours is returned as is, with ``workflow_id``/``name`` applied).

    Raises :class:`InvalidInput` naming every node or field of a Domino workflow that cannot be
    mapped, or when the document is neither format.
    """
    fmt = detect_format(document)
    if fmt == NATIVE:
        assert isinstance(document, dict)
        ours = copy.deepcopy(document)
        ours.update({k: v for k, v in (("id", workflow_id), ("name", name)) if v})
        return Converted(NATIVE, ours)
    if fmt not in DOMINO_FORMATS:
        raise InvalidInput(
            "Not a workflow file: expected a workflow document (`schema_version`, `tasks` list) or a Domino "
            "workflow (its API body with `workflow`, `tasks`, `ui_schema`; a stored one with `schema`; or the "
            "editor's export with `workflowNodes` and `workflowPiecesData`).",
            [Issue(path="", message="Unknown document format.", code="unknown_format")],
        )
    result = convert_domino(
        document,
        installed_repositories(session),
        repositories=repositories,
        workflow_id=workflow_id,
        name=name,
        secret_variable=variable_name,
    )
    if result.errors or result.document is None:
        count = len(result.errors)
        raise InvalidInput(
            f"{count} node{'s' if count != 1 else ''} or field{'s' if count != 1 else ''} of the Domino workflow "
            "cannot be mapped; nothing was imported.",
            [_issue(e) for e in result.errors],
        )
    issues, validation_warnings = workflows.validate_with_warnings(session, result.document)
    if issues:
        located = [
            _issue(result.translate(ValidationIssue(path=i.path, pointer=i.pointer, message=i.message, code=i.code)))
            for i in issues
        ]
        count = len(located)
        raise InvalidInput(
            f"The Domino workflow converts, but the result has {count} problem{'s' if count != 1 else ''}; "
            "nothing was imported.",
            located,
        )
    warnings = [_issue(w) for w in result.warnings] + [
        _issue(result.translate(ValidationIssue(path=w.path, pointer=w.pointer, message=w.message, code=w.code)))
        for w in validation_warnings
    ]
    return Converted(result.format, result.document, warnings, result.task_ids)


def import_workflow(
    session: Session,
    document: Any,
    *,
    author: str,
    reader: SecretReader,
    message: str = "",
    workflow_id: str | None = None,
    name: str | None = None,
    repositories: dict[str, RepositoryTarget] | None = None,
) -> tuple[workflows.Saved, Converted]:
    """Convert and save as a new workflow (revision 1); refused as a whole when anything is wrong.

    Like every save, the secret bindings are authorised for the caller (``reader``) first.
    """
    converted = convert(session, document, workflow_id=workflow_id, name=name, repositories=repositories)
    authorise_bindings(session, converted.document, reader)
    default = "Imported" if converted.format == NATIVE else f"Imported from Domino ({converted.format})"
    saved = workflows.create(session, converted.document, author=author, message=message or default)
    if converted.format == NATIVE:
        converted.warnings = list(saved.warnings)
    return saved, converted
