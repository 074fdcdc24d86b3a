"""Approval and input steps: the standard provider's Human-in-the-loop operators, fed by the document.

``ApprovalOperator`` (Approve/Reject; a rejection skips the direct downstream tasks) and
``HITLOperator`` (options and form fields). Airflow stores the request (``hitlDetails``) and the
task waits without a worker slot: deferred to the ``HITLTrigger`` before Airflow 3.3, parked in
``awaiting_input`` from 3.3. Whoever may respond answers in Domino's GUI, Airflow's UI or
``/api/v2``; Airflow resumes the task with the response, which becomes the task's outputs.

The body is the document's text with ``{{ name }}`` replaced by the task's resolved inputs;
it is never rendered as a Jinja template (no template fields).
"""

from __future__ import annotations

import inspect
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator, HITLOperator
from airflow.sdk import Param

from airflow_domino_plugin.operators.inputs import upstream_output
from airflow_domino_plugin.workflows.approvals import render_body, response_outputs
from airflow_domino_plugin.workflows.bindings import resolve_bindings
from airflow_domino_plugin.workflows.document import Approval
from airflow_domino_plugin.workflows.params import airflow_param_kwargs

APPROVAL_KEY = "domino_approval"  # operator attribute holding the step as document data


def _form_params(approval: Approval) -> dict[str, Any]:
    """The form fields as task-level Airflow ``Param`` s (``source`` is marked where Airflow has it)."""
    source: dict[str, Any] = {"source": "task"} if "source" in inspect.signature(Param.__init__).parameters else {}
    return {name: Param(**airflow_param_kwargs(field), **source) for name, field in approval.fields.items()}


def step_kwargs(approval: Approval, respondents_names: dict[str, str] | None = None) -> dict[str, Any]:
    """HITL operator arguments for ``approval`` (not the options for an approval: those are fixed)."""
    kwargs: dict[str, Any] = {
        "subject": approval.title,
        "body": approval.body or None,
        "params": _form_params(approval),
        "defaults": [approval.on_timeout] if approval.on_timeout is not None else None,
        "response_timeout": timedelta(seconds=approval.timeout_s) if approval.timeout_s else None,
        "assigned_users": [
            {"id": user, "name": (respondents_names or {}).get(user, user)} for user in approval.respondents
        ]
        or None,
    }
    if approval.kind == "input":
        kwargs["options"] = approval.choices
        kwargs["multiple"] = approval.multiple
    return kwargs


class _DominoStep:
    """What both step operators add: the body's values from the task's inputs, outputs from the response."""

    ui_color = "#fde8d7"

    domino_approval: dict[str, Any]
    inputs: dict[str, Any]
    mapped_upstreams: list[str]
    body: str | None

    def _init_step(self, approval: dict[str, Any], inputs: dict[str, Any], mapped_upstreams: list[str]) -> None:
        self.domino_approval = approval
        self.inputs = inputs
        self.mapped_upstreams = mapped_upstreams

    def _values(self, context: Any) -> dict[str, Any]:
        ti = context["ti"]
        mapped = set(self.mapped_upstreams)
        pulled: dict[str, Any] = {}
        params = context.get("params") or {}

        def upstream(task_id: str, output: str) -> Any:
            return upstream_output(ti, task_id, output, mapped=task_id in mapped, cache=pulled)

        def param(name: str) -> Any:
            return params.get(name) if hasattr(params, "get") else None

        return resolve_bindings(self.inputs, upstream=upstream, param=param)

    def _fill_body(self, context: Any) -> None:
        if self.body:
            self.body = render_body(self.body, self._values(context))

    def _push_outputs(self, context: Any, event: dict[str, Any]) -> dict[str, Any] | None:
        """The response as the task's outputs, pushed before Airflow may end the task by skipping."""
        if "error" in event:
            return None
        outputs = response_outputs(Approval.model_validate(self.domino_approval), event)
        context["ti"].xcom_push(key="return_value", value=outputs)
        return outputs

    # Cooperative overrides: each runs before the HITL operator's own method (next in the MRO).
    def execute(self, context: Any) -> Any:
        self._fill_body(context)
        return super().execute(context)  # type: ignore[misc]

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        outputs = self._push_outputs(context, event)
        super().execute_complete(context, event)  # type: ignore[misc]
        return outputs


class DominoApprovalOperator(_DominoStep, ApprovalOperator):
    """Approve or Reject; a rejection skips the direct downstream tasks (their trigger rules decide joins)."""

    template_fields: Collection[str] = ()

    def __init__(
        self, *, approval: dict[str, Any], inputs: dict[str, Any], mapped_upstreams: list[str], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._init_step(approval, inputs, mapped_upstreams)


class DominoHumanInputOperator(_DominoStep, HITLOperator):
    """Choose among options and/or fill in a form; every downstream task runs."""

    template_fields: Collection[str] = ()

    def __init__(
        self, *, approval: dict[str, Any], inputs: dict[str, Any], mapped_upstreams: list[str], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._init_step(approval, inputs, mapped_upstreams)
