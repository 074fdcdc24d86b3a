"""Who may bind which secret: a task's secrets are checked against the saving user at every save.

Binding a secret hands its value to the piece, and a piece can send it anywhere (an output, a
file, an HTTP request to a URL its inputs name), so a binding is as good as reading the secret.
A user may therefore bind only:

- a secret declared by the task's piece repository (the Secrets page's names, stored as the
  Variable ``domino__<repository>__<NAME>``): those exist to be used by that repository's pieces,
  whoever edits the workflow;
- a Variable or Connection the active auth manager lets this user read (``GET`` on that id);
- a Kubernetes Secret only if the user may read Connections and Variables (Airflow cannot see
  what the Secret holds, so it is treated like the most sensitive of both).

Every refusal names the binding's JSON path. The web layer supplies :class:`SecretReader`, so this
module needs no web framework and no auth manager of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.services.errors import Forbidden, Issue
from airflow_domino_plugin.services.secrets import variable_name
from airflow_domino_plugin.workflows.issues import format_path, json_pointer

SecretKind = Literal["variable", "connection", "kubernetes"]
SecretReader = Callable[[SecretKind, str], bool]
"""``reader(kind, id)``: whether the saving user may read that Variable / Connection / Kubernetes Secret."""

NOT_ALLOWED = "secret_not_allowed"


@dataclass(frozen=True)
class _Binding:
    task_index: int
    repository: str
    name: str
    source: dict[str, Any]

    @property
    def path(self) -> str:
        return format_path(("tasks", self.task_index, "secrets", self.name))

    @property
    def pointer(self) -> str:
        return json_pointer(("tasks", self.task_index, "secrets", self.name))


def _bindings(document: Any) -> list[_Binding]:
    found: list[_Binding] = []
    tasks = document.get("tasks") if isinstance(document, dict) else None
    for index, task in enumerate(tasks if isinstance(tasks, list) else []):
        if not isinstance(task, dict) or not isinstance(task.get("secrets"), dict):
            continue
        piece: dict[str, Any] = task["piece"] if isinstance(task.get("piece"), dict) else {}
        repository = str(piece["repository"]) if isinstance(piece.get("repository"), str) else ""
        for name, source in task["secrets"].items():
            if isinstance(name, str) and isinstance(source, dict):
                found.append(_Binding(index, repository, name, source))
    return found


def declared_variables(session: Session, repositories: Iterable[str]) -> set[str]:
    """The Variable keys of every secret the named repositories' installed pieces declare."""
    names = {r for r in repositories if r}
    if not names:
        return set()
    rows = session.execute(
        select(Repository.name, Piece.secrets_schema)
        .join(Piece, Piece.repository_id == Repository.id)
        .where(Repository.name.in_(names))
    ).tuples()
    keys: set[str] = set()
    for repository, schema in rows:
        for secret in (schema or {}).get("properties") or {}:
            keys.add(variable_name(repository, secret))
    return keys


def binding_issues(session: Session, document: Any, reader: SecretReader) -> list[Issue]:
    """One issue per secret binding in ``document`` that the user behind ``reader`` may not make."""
    bindings = _bindings(document)
    if not bindings:
        return []
    declared = declared_variables(session, {b.repository for b in bindings})
    issues: list[Issue] = []
    for binding in bindings:
        message = _refusal(binding, declared, reader)
        if message:
            issues.append(Issue(path=binding.path, pointer=binding.pointer, message=message, code=NOT_ALLOWED))
    return issues


def _refusal(binding: _Binding, declared: set[str], reader: SecretReader) -> str | None:
    source = binding.source
    own = sorted(k for k in declared if k.startswith(f"domino__{binding.repository}__"))
    hint = (
        f" Bind one of the secrets of repository {binding.repository!r} ({', '.join(own)}), or ask someone "
        "who may read it to save this binding."
        if own
        else " Ask someone who may read it to save this binding."
    )
    if isinstance(source.get("variable"), str):
        key = source["variable"]
        if key in declared and key.startswith(f"domino__{binding.repository}__"):
            return None
        if reader("variable", key):
            return None
        return f"You may not use Airflow Variable {key!r} as a secret: your role cannot read it.{hint}"
    if isinstance(source.get("connection"), str):
        conn_id = source["connection"]
        if reader("connection", conn_id):
            return None
        return f"You may not use Airflow Connection {conn_id!r} as a secret: your role cannot read it.{hint}"
    if isinstance(source.get("kubernetes_secret"), str):
        if reader("kubernetes", source["kubernetes_secret"]):
            return None
        return (
            f"You may not use Kubernetes Secret {source['kubernetes_secret']!r}: binding Kubernetes Secrets needs "
            f"the permission to read Airflow Connections and Variables.{hint}"
        )
    return None  # not a secret source at all: the document validation reports it


def authorise_bindings(session: Session, document: Any, reader: SecretReader) -> None:
    """Raise :class:`Forbidden` (403, each refused binding with its path) unless every binding is allowed."""
    issues = binding_issues(session, document, reader)
    if issues:
        count = len(issues)
        raise Forbidden(
            f"You may not use {'these secrets' if count > 1 else 'this secret'} "
            f"({', '.join(issue.path for issue in issues)}).",
            issues,
        )
