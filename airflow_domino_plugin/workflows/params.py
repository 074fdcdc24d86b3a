"""Run parameters: checking their definitions, checking per-run overrides, and Airflow ``Param``s.

Overrides arrive in the trigger's ``conf`` from people and scripts, so they get the same
issue form as documents. The DAG factory gets plain ``Param`` keyword dicts from here, which
keeps this package free of Airflow imports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from airflow_domino_plugin.workflows.document import RunParam
from airflow_domino_plugin.workflows.issues import Loc, ValidationIssue, did_you_mean, quote_list
from airflow_domino_plugin.workflows.type_compat import json_type_of

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (JSON array)",
    "object": "an object",
    "null": "null",
}


def value_matches_type(value: Any, json_type: str) -> bool:
    """Strict JSON typing: booleans are not numbers, ``1.5`` is not an integer, ``1.0`` is."""
    actual = json_type_of(value)
    if json_type == "number":
        return actual in ("integer", "number") and not (isinstance(value, float) and not math.isfinite(value))
    if json_type == "integer":
        return actual == "integer" or (isinstance(value, float) and value.is_integer())
    return actual == json_type


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def value_issues(param: RunParam, value: Any, loc: Loc, *, subject: str) -> list[ValidationIssue]:
    """Problems with ``value`` as a value of ``param`` (type, item type, enum, bounds)."""
    if not value_matches_type(value, param.type):
        return [
            ValidationIssue.at(
                loc,
                f"{subject} must be {_TYPE_WORDS[param.type]}; got {json_type_of(value)} {_shown(value)}.",
                "param_wrong_type",
            )
        ]
    issues: list[ValidationIssue] = []
    if param.type == "array" and param.items is not None:
        for index, item in enumerate(value):
            if not value_matches_type(item, param.items.type):
                issues.append(
                    ValidationIssue.at(
                        (*loc, index),
                        f"Items of {subject} must be {_TYPE_WORDS[param.items.type]}; "
                        f"got {json_type_of(item)} {_shown(item)}.",
                        "param_wrong_type",
                    )
                )
    if param.enum is not None and value not in param.enum:
        issues.append(
            ValidationIssue.at(
                loc,
                f"{subject} must be one of {', '.join(_shown(v) for v in param.enum)}; got {_shown(value)}.",
                "param_not_in_enum",
            )
        )
    if param.type in ("integer", "number"):
        if param.minimum is not None and value < param.minimum:
            issues.append(
                ValidationIssue.at(
                    loc, f"{subject} must be at least {param.minimum:g}; got {_shown(value)}.", "param_out_of_range"
                )
            )
        if param.maximum is not None and value > param.maximum:
            issues.append(
                ValidationIssue.at(
                    loc, f"{subject} must be at most {param.maximum:g}; got {_shown(value)}.", "param_out_of_range"
                )
            )
    return issues


def param_definition_issues(
    params: Mapping[str, RunParam], *, scheduled: bool, base: Loc = ("params",)
) -> list[ValidationIssue]:
    """Problems in the ``params`` block itself: defaults, enums and bounds that contradict the type.

    ``scheduled`` workflows need a default for every parameter: scheduled runs have no
    ``conf`` and Airflow refuses to start a run with a parameter that has no value.
    """
    issues: list[ValidationIssue] = []
    for name, param in params.items():
        loc = (*base, name)
        if param.type not in ("integer", "number"):
            for bound in ("minimum", "maximum"):
                if getattr(param, bound) is not None:
                    issues.append(
                        ValidationIssue.at(
                            (*loc, bound),
                            f"`{bound}` applies only to integer and number parameters, not {param.type}.",
                            "param_invalid_definition",
                        )
                    )
        elif param.minimum is not None and param.maximum is not None and param.minimum > param.maximum:
            issues.append(
                ValidationIssue.at(
                    (*loc, "maximum"),
                    f"`maximum` ({param.maximum:g}) is below `minimum` ({param.minimum:g}).",
                    "param_invalid_definition",
                )
            )
        if param.items is not None and param.type != "array":
            issues.append(
                ValidationIssue.at(
                    (*loc, "items"),
                    f"`items` applies only to array parameters, not {param.type}.",
                    "param_invalid_definition",
                )
            )
        for index, option in enumerate(param.enum or []):
            if not value_matches_type(option, param.type):
                issues.append(
                    ValidationIssue.at(
                        (*loc, "enum", index),
                        f"Allowed value {_shown(option)} is not {_TYPE_WORDS[param.type]} (the parameter's type).",
                        "param_invalid_definition",
                    )
                )
        if param.has_default:
            if param.default is None:
                issues.append(
                    ValidationIssue.at(
                        (*loc, "default"),
                        f"`default` is null: give {_TYPE_WORDS[param.type]}, or omit `default` to require "
                        "a value at every trigger.",
                        "param_invalid_default",
                    )
                )
            else:
                issues.extend(
                    issue.model_copy(update={"code": "param_invalid_default"})
                    for issue in value_issues(
                        param, param.default, (*loc, "default"), subject=f"The default of parameter `{name}`"
                    )
                )
        elif scheduled:
            issues.append(
                ValidationIssue.at(
                    loc,
                    f"Parameter `{name}` has no `default`, but the workflow is scheduled and scheduled runs "
                    "cannot supply one; add a default.",
                    "param_default_required",
                )
            )
    return issues


def validate_run_params(
    params: Mapping[str, RunParam], overrides: Mapping[str, Any] | None, *, base: Loc = ("conf",)
) -> list[ValidationIssue]:
    """Problems with per-run ``overrides`` of ``params``: unknown names, wrong types, enum, bounds,
    and parameters without a default that were not given a value."""
    overrides = overrides or {}
    issues: list[ValidationIssue] = []
    for name, value in overrides.items():
        param = params.get(name)
        if param is None:
            issues.append(
                ValidationIssue.at(
                    (*base, name),
                    f"Unknown parameter `{name}`; the workflow declares {quote_list(params)}."
                    + did_you_mean(name, params),
                    "unknown_param",
                )
            )
            continue
        issues.extend(value_issues(param, value, (*base, name), subject=f"Parameter `{name}`"))
    for name, param in params.items():
        if name not in overrides and not param.has_default:
            issues.append(
                ValidationIssue.at(
                    (*base, name),
                    f"Parameter `{name}` has no default; give it a value ({_TYPE_WORDS[param.type]}).",
                    "param_required",
                )
            )
    return issues


def resolve_run_params(params: Mapping[str, RunParam], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values a run will see: defaults, replaced by overrides (call after validating them)."""
    values = {name: param.default for name, param in params.items() if param.has_default}
    values.update({name: value for name, value in (overrides or {}).items() if name in params})
    return values


def param_json_schema(param: RunParam) -> dict[str, Any]:
    """JSON schema of a parameter's values (what a ``$param`` binding produces)."""
    schema: dict[str, Any] = {"type": param.type}
    if param.enum is not None:
        schema["enum"] = list(param.enum)
    if param.type == "array" and param.items is not None:
        schema["items"] = {"type": param.items.type}
    for bound in ("minimum", "maximum"):
        if getattr(param, bound) is not None:
            schema[bound] = getattr(param, bound)
    return schema


def airflow_param_kwargs(param: RunParam) -> dict[str, Any]:
    """Keyword arguments for ``airflow.sdk.Param`` (``Param(**kwargs)``), as plain JSON data.

    ``default`` is left out when the document has none, so Airflow requires a value per run.
    """
    kwargs: dict[str, Any] = {}
    if param.has_default:
        kwargs["default"] = param.default
    kwargs.update(param_json_schema(param))
    if param.title is not None:
        kwargs["title"] = param.title
    if param.description is not None:
        kwargs["description"] = param.description
    return kwargs
