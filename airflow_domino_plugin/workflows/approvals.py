"""Approval and input steps: what they take and return, and their body with the task's values filled in.

No Airflow imports: validation, the GUI's schemas and the operator share these.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Approval
from airflow_domino_plugin.workflows.params import param_json_schema

RESPONSE_OUTPUTS: dict[str, dict[str, Any]] = {
    "chosen": {"type": "string", "title": "Chosen option", "description": "The (first) option chosen."},
    "chosen_options": {"type": "array", "items": {"type": "string"}, "title": "Chosen options"},
    "approved": {"type": "boolean", "title": "Approved", "description": "Whether the option chosen was Approve."},
    "responded_by": {"type": "string", "title": "Responded by", "description": "Name of the person who answered."},
    "responded_at": {"type": "string", "format": "date-time", "title": "Responded at"},
}
"""Outputs every approval/input step has, besides one per form field."""

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def approval_spec(approval: Approval) -> PieceSpec:
    """The step as a piece would be described: any inputs (the body's values), the response as outputs."""
    outputs: dict[str, Any] = dict(RESPONSE_OUTPUTS)
    for name, field in approval.fields.items():
        outputs.setdefault(name, {**param_json_schema(field), "title": field.title or name})
    return PieceSpec(
        repository="",
        version="",
        name=approval.kind,
        input_schema={"type": "object", "properties": {}, "additionalProperties": True},
        output_schema={"type": "object", "properties": outputs, "required": list(outputs)},
    )


def placeholders(body: str) -> list[str]:
    """Names used as ``{{ name }}`` in ``body``, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def render_body(body: str, values: Mapping[str, Any]) -> str:
    """``body`` with each ``{{ name }}`` replaced by ``values[name]`` (JSON for non-strings); unknown names stay."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return _shown(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(replace, body)


def _when(at: Any) -> str:
    if at is None:
        return ""
    iso = getattr(at, "isoformat", None)
    return str(iso()) if callable(iso) else str(at)


def response_outputs(approval: Approval, response: Mapping[str, Any]) -> dict[str, Any]:
    """The task's outputs from Airflow's response payload (``chosen_options``, ``params_input``, ...)."""
    chosen = list(response.get("chosen_options") or [])
    params = dict(response.get("params_input") or {})
    user = response.get("responded_by_user") or {}
    at = response.get("responded_at")
    outputs: dict[str, Any] = {name: params.get(name, field.default) for name, field in approval.fields.items()}
    outputs.update(
        chosen=chosen[0] if chosen else None,
        chosen_options=chosen,
        approved=bool(chosen) and chosen[0] == "Approve" and approval.kind == "approval",
        responded_by=(user.get("name") if isinstance(user, Mapping) else None) or "",
        responded_at=_when(at),
    )
    return outputs
