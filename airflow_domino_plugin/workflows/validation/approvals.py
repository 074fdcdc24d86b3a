"""Checks of approval and input steps (tasks with ``approval``): options, timeout choice, fields, body values."""

from __future__ import annotations

from airflow_domino_plugin.workflows.approvals import RESPONSE_OUTPUTS, approval_spec, placeholders
from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Task
from airflow_domino_plugin.workflows.issues import did_you_mean, quote_list
from airflow_domino_plugin.workflows.params import param_definition_issues
from airflow_domino_plugin.workflows.validation.piece_only import refuse_piece_only_fields
from airflow_domino_plugin.workflows.validation.state import CheckState

UNSUPPORTED = ("for_each", "branch", "runner", "resources", "timeout_s")


def check_approval(checker: CheckState, index: int, task: Task) -> PieceSpec | None:
    """The step's response as outputs (its inputs are free: the body's values), after checking the step."""
    approval = task.approval
    if approval is None:
        return None
    base: tuple[str | int, ...] = ("tasks", index, "approval")
    if approval.kind == "approval":
        if approval.options:
            checker.add(
                (*base, "options"),
                "An approval offers Approve and Reject; expected no `options` (use kind `input` to offer your own).",
                "approval_options",
            )
        if approval.multiple:
            checker.add(
                (*base, "multiple"),
                "An approval takes one answer; expected `multiple` false (or kind `input`).",
                "approval_options",
            )
    seen: set[str] = set()
    for position, option in enumerate(approval.options):
        if option in seen:
            checker.add(
                (*base, "options", position),
                f"Option `{option}` is listed twice; expected unique options.",
                "duplicate_option",
            )
        seen.add(option)
    choices = approval.choices
    if approval.on_timeout is not None and approval.on_timeout not in choices:
        checker.add(
            (*base, "on_timeout"),
            f"`on_timeout` is `{approval.on_timeout}`, which is not an option; expected one of "
            f"{quote_list(choices)} or null (the task fails at the timeout)."
            f"{did_you_mean(approval.on_timeout, choices)}",
            "unknown_option",
        )
    if approval.on_timeout is not None and approval.timeout_s is None:
        checker.warn(
            (*base, "on_timeout"),
            "`on_timeout` has no effect without `timeout_s`: the step waits until someone responds.",
            "on_timeout_without_timeout",
        )
    for name in approval.fields:
        if name in RESPONSE_OUTPUTS:
            checker.add(
                (*base, "fields", name),
                f"Field `{name}` has the name of a response output ({quote_list(RESPONSE_OUTPUTS)}); "
                "expected another name.",
                "reserved_field_name",
            )
    checker.issues.extend(param_definition_issues(approval.fields, scheduled=False, base=(*base, "fields")))
    for name in placeholders(approval.body):
        if name not in task.inputs:
            listing = f" Its inputs: {quote_list(task.inputs)}." if task.inputs else " It has no inputs."
            checker.add(
                (*base, "body"),
                f"The body shows `{{{{ {name} }}}}` but task `{task.id}` has no input `{name}`; expected an "
                f"input of that name (a value or a binding).{did_you_mean(name, task.inputs)}{listing}",
                "unknown_body_value",
            )
    refuse_piece_only_fields(
        checker, index, task, UNSUPPORTED, kind="An approval or input step", code="unsupported_on_approval"
    )
    return approval_spec(approval)
