"""Validate a workflow document against its format and the installed pieces.

:func:`validate_workflow` reports *every* problem at once, each with a JSON path and a message
naming what was expected, because the editor shows them all next to the offending fields and a
user fixing one error at a time would otherwise need a round trip per error. A shape error in
one task does not hide problems elsewhere: the document is re-read without the broken parts
and the remaining checks run on what is left.

Modules: :mod:`.messages` (errors in words), :mod:`.parsing` (lenient reading),
:mod:`.checks` (the checks, in the order they run; it names the module each check lives in).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.issues import ValidationIssue, dedupe, json_pointer
from airflow_domino_plugin.workflows.schedule import describe_schedule
from airflow_domino_plugin.workflows.validation.checks import run_checks
from airflow_domino_plugin.workflows.validation.parsing import parse_leniently, parse_workflow
from airflow_domino_plugin.workflows.validation.state import CheckState

__all__ = [
    "InMemoryPieceCatalog",
    "PieceCatalog",
    "PieceSpec",
    "ValidationIssue",
    "ValidationReport",
    "check_workflow",
    "describe_schedule",
    "parse_workflow",
    "validate_workflow",
]


# ============================================================== the entry point


@dataclass(frozen=True)
class ValidationReport:
    """``errors`` refuse the save; ``warnings`` are shown but the document may be saved and run."""

    errors: list[ValidationIssue]
    warnings: list[ValidationIssue]


def check_workflow(
    raw: Any,
    catalog: PieceCatalog,
    *,
    existing_foreign_dag_ids: AbstractSet[str] = frozenset(),
    workflows: Mapping[str, Workflow] | None = None,
) -> ValidationReport:
    """Every problem in ``raw`` (a decoded JSON document), split into errors and warnings.

    ``existing_foreign_dag_ids`` are DAG ids already in Airflow that this plugin does not
    manage; the workflow id must not take one of them over. ``workflows`` are the deployed
    workflows the document runs or waits for (and those they run, transitively), by id.
    """
    if not isinstance(raw, Mapping):
        return ValidationReport(parse_workflow(raw)[1], [])
    parsed, issues = parse_leniently(raw)
    if parsed is None:
        return ValidationReport(dedupe(issues), [])
    state = CheckState(parsed, catalog, existing_foreign_dag_ids, workflows)
    run_checks(state)
    issues.extend(state.issues)
    return ValidationReport(_in_document_order(dedupe(issues), raw), _in_document_order(dedupe(state.warnings), raw))


def validate_workflow(
    raw: Any,
    catalog: PieceCatalog,
    *,
    existing_foreign_dag_ids: AbstractSet[str] = frozenset(),
    workflows: Mapping[str, Workflow] | None = None,
) -> list[ValidationIssue]:
    """The errors of :func:`check_workflow`; an empty list means the document can be saved."""
    return check_workflow(raw, catalog, existing_foreign_dag_ids=existing_foreign_dag_ids, workflows=workflows).errors


def _in_document_order(issues: list[ValidationIssue], raw: Any) -> list[ValidationIssue]:
    """Sort issues as their locations appear in the document (a missing key sorts with its parent),
    so the list reads top to bottom like the editor; ties keep the order checks found them."""
    position: dict[str, int] = {}

    def visit(node: Any, pointer: str) -> None:
        position[pointer] = len(position)
        if isinstance(node, Mapping):
            for key, value in node.items():
                visit(value, json_pointer((*_pointer_parts(pointer), str(key))))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{pointer}/{index}")

    visit(raw, "")

    def key(issue: ValidationIssue) -> int:
        pointer = issue.pointer
        while pointer not in position:
            pointer = pointer.rsplit("/", 1)[0]
        return position[pointer]

    return sorted(issues, key=key)


def _pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
