"""What a person reads: pydantic and JSON-schema errors turned into issues naming the field and what was expected."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from inspect import isclass
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaValidationError
from pydantic import BaseModel

from airflow_domino_plugin.workflows.document import (
    SECRET_CONNECTION_TAG,
    SECRET_KUBERNETES_TAG,
    SECRET_VARIABLE_TAG,
    UNION_TAGS,
    ConnectionSecret,
    KubernetesSecret,
    VariableSecret,
    Workflow,
)
from airflow_domino_plugin.workflows.issues import (
    Loc,
    ValidationIssue,
    did_you_mean,
    format_path,
    quote_list,
)
from airflow_domino_plugin.workflows.type_compat import (
    base_type,
    describe_type,
    json_type_of,
)

# ============================================================== pydantic errors -> issues

_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (JSON array)",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "datetime_type": "a timestamp such as 2026-11-01T00:00:00Z",
    "datetime_parsing": "a timestamp such as 2026-11-01T00:00:00Z",
    "datetime_from_date_parsing": "a timestamp such as 2026-11-01T00:00:00Z",
    "datetime_object_invalid": "a timestamp such as 2026-11-01T00:00:00Z",
}
_TAG_MODELS: dict[str, type[BaseModel]] = {
    SECRET_VARIABLE_TAG: VariableSecret,
    SECRET_CONNECTION_TAG: ConnectionSecret,
    SECRET_KUBERNETES_TAG: KubernetesSecret,
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def got(value: Any) -> str:
    return f"got {json_type_of(value)} {_shown(value)}" if value is not None else "got null"


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        return _unwrap(args[0])
    return tp


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model whose fields apply at ``loc`` of a workflow (pydantic error locations, tags included)."""
    tp: Any = Workflow
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, str) and part in _TAG_MODELS:
            tp = _TAG_MODELS[part]
        elif isclass(tp) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(str(part))
            if info is None:
                return None
            tp = info.annotation
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isclass(tp) and issubclass(tp, BaseModel) else None


def pydantic_issue(error: Mapping[str, Any]) -> ValidationIssue:
    raw_loc: tuple[str | int, ...] = tuple(error["loc"])
    loc = tuple(part for part in raw_loc if part not in UNION_TAGS)
    kind = str(error["type"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return ValidationIssue.at(loc, f"Invalid name `{loc[-1]}`: {error['msg']}", "invalid_name")
    field_name = str(loc[-1]) if loc else "document"
    if kind == "missing":
        return ValidationIssue.at(loc, f"Required field `{field_name}` is missing.", "missing_field")
    if kind == "extra_forbidden":
        model = _model_at(raw_loc[:-1])
        allowed = list(model.model_fields) if model else []
        hint = f" Allowed fields here: {quote_list(allowed, limit=20)}." if allowed else ""
        return ValidationIssue.at(
            loc, f"Unknown field `{field_name}`.{did_you_mean(field_name, allowed)}{hint}", "unknown_field"
        )
    if kind in _TYPE_WORDS:
        return ValidationIssue.at(loc, f"Expected {_TYPE_WORDS[kind]}, {got(value)}.", "wrong_type")
    if kind == "literal_error":
        return ValidationIssue.at(loc, f"Expected {ctx.get('expected')}, {got(value)}.", "invalid_value")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        symbol = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "?")
        return ValidationIssue.at(loc, f"Expected a number {symbol} {bound}, {got(value)}.", "invalid_value")
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            subject = "This value" if loc and isinstance(loc[-1], int) else f"`{field_name}`"
            return ValidationIssue.at(loc, f"{subject} must not be empty.", "invalid_value")
        return ValidationIssue.at(
            loc, f"Expected at least {ctx.get('min_length')} characters, {got(value)}.", "invalid_value"
        )
    if kind == "string_too_long":
        return ValidationIssue.at(
            loc, f"Expected at most {ctx.get('max_length')} characters; this one is too long.", "invalid_value"
        )
    if kind == "too_short":
        return ValidationIssue.at(
            loc, f"Expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}.", "invalid_value"
        )
    if kind in _CUSTOM_ERROR_TYPES:
        message = str(error["msg"])
        return ValidationIssue.at(
            loc, f"{message} ({got(value)})" if kind == "invalid_secret_source" else message, kind
        )
    return ValidationIssue.at(loc, f"Invalid `{field_name}`: {error['msg']}.", "invalid_value")


# Error types raised by the validators in .document; their messages are already written for people.
_CUSTOM_ERROR_TYPES = frozenset(
    {
        "invalid_slug",
        "invalid_param_name",
        "invalid_secret_name",
        "invalid_connection_field",
        "invalid_namespace",
        "invalid_service_account",
        "invalid_cpu",
        "invalid_memory",
        "invalid_schedule",
        "invalid_timezone",
        "naive_datetime",
        "unsupported_schema_version",
        "invalid_secret_source",
    }
)


def schema_error_messages(
    error: SchemaValidationError, root: Mapping[str, Any], base: Loc
) -> list[tuple[Loc, str, str]]:
    """Turn one jsonschema error into (location, message, code) triples a person can act on."""
    loc: Loc = (*base, *error.absolute_path)
    instance = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    keyword = error.validator
    noun = "input" if len(loc) == len(base) + 1 else "field"
    if keyword == "required":
        required = error.validator_value if isinstance(error.validator_value, list) else []
        props = schema.get("properties") or {}
        out = []
        for name in required:
            if isinstance(instance, Mapping) and name not in instance:
                kind = f" (expected {describe_type(props[name], root)})" if name in props else ""
                noun_here = "input" if len(loc) == len(base) else "field"
                out.append(((*loc, name), f"Required {noun_here} `{name}` is missing{kind}.", "missing_input"))
        return out
    if keyword == "additionalProperties" and isinstance(instance, Mapping):
        props = schema.get("properties") or {}
        extras = [key for key in instance if key not in props]
        return [
            (
                (*loc, key),
                f"Unknown field `{key}`; expected only {quote_list(props)}.{did_you_mean(key, props)}",
                "invalid_input",
            )
            for key in extras
        ]
    if keyword in ("anyOf", "oneOf"):
        kind = json_type_of(instance)
        by_branch: dict[int, list[SchemaValidationError]] = {}
        for sub in error.context or []:
            by_branch.setdefault(int(sub.schema_path[0]), []).append(sub)
        alternatives = schema.get(str(keyword)) or []
        matching = [
            position
            for position, alternative in enumerate(alternatives)
            if base_type(alternative, root) == kind or (kind == "integer" and base_type(alternative, root) == "number")
        ]
        if len(matching) == 1 and by_branch.get(matching[0]):
            out = []
            for sub in by_branch[matching[0]]:
                out.extend(schema_error_messages(sub, root, base))
            return out
    if keyword in ("type", "anyOf", "oneOf", "enum", "const", "$ref", "allOf"):
        expected = describe_type(schema, root)
        return [(loc, f"Expected {expected} for {noun} `{format_path(loc[3:])}`, {got(instance)}.", "invalid_input")]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        symbol = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[str(keyword)]
        return [(loc, f"Expected a value {symbol} {error.validator_value}, {got(instance)}.", "invalid_input")]
    return [(loc, f"Invalid value for {noun} `{format_path(loc[3:])}`: {error.message}.", "invalid_input")]
