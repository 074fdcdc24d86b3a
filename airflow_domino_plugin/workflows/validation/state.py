"""What the checks share: the parsed document, the installed pieces, and the issues, pieces and outputs found so far."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from airflow_domino_plugin.workflows.catalog import PieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.dynamic_outputs import TaskOutputs
from airflow_domino_plugin.workflows.issues import Loc, ValidationIssue
from airflow_domino_plugin.workflows.validation.parsing import ParsedWorkflow


def task_loc(index: int, *rest: str | int) -> Loc:
    return ("tasks", index, *rest)


class CheckState:
    """One validation's context; the check modules read it and report through :meth:`add` and :meth:`warn`."""

    def __init__(
        self,
        parsed: ParsedWorkflow,
        catalog: PieceCatalog,
        existing_foreign_dag_ids: AbstractSet[str],
        workflows: Mapping[str, Workflow] | None = None,
    ) -> None:
        self.workflows: Mapping[str, Workflow] = workflows or {}  # other deployed workflows, by id
        self.parsed = parsed
        self.wf = parsed.workflow
        self.catalog = catalog
        self.foreign = existing_foreign_dag_ids
        self.issues: list[ValidationIssue] = []
        self.broken = parsed.broken_fields
        self.deps: dict[str, list[str]] = dict(parsed.broken_task_deps)
        self.first_index: dict[str, int] = {}
        for position, task in enumerate(self.wf.tasks):
            self.deps.setdefault(task.id, list(task.depends_on))
            self.first_index.setdefault(task.id, parsed.task_index[position])
        self.task_ids = set(self.deps)
        self.specs: dict[str, PieceSpec | None] = {}
        self.outputs: dict[str, TaskOutputs] = {}
        self.warnings: list[ValidationIssue] = []

    def add(self, loc: Loc, message: str, code: str) -> None:
        self.issues.append(ValidationIssue.at(loc, message, code))

    def warn(self, loc: Loc, message: str, code: str) -> None:
        self.warnings.append(ValidationIssue.at(loc, message, code))

    def ancestors(self, task_id: str) -> set[str]:
        found: set[str] = set()
        pending = list(self.deps.get(task_id, []))
        while pending:
            node = pending.pop()
            if node not in found:
                found.add(node)
                pending.extend(self.deps.get(node, []))
        return found
