"""The field types of the workflow document: ids, names, quantities, schedules, time zones, depth limits.

Each is a property of one field, with an error that says in words what was expected (pydantic's
own messages show only a regex). :mod:`.document` builds the models from them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    PlainValidator,
    Strict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from airflow_domino_plugin.workflows.schedule import SCHEDULE_KEYWORDS, schedule_error, timezone_error

SCHEMA_VERSION = 1
"""The document format version this code reads and writes."""

WORKFLOW_ID_PATTERN = r"^[a-z][a-z0-9_]{0,199}$"
TASK_ID_PATTERN = r"^[a-z][a-z0-9_]{0,99}$"
PARAM_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,99}$"
SECRET_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,99}$"
CONNECTION_FIELD_PATTERN = r"^(password|login|host|port|schema|extra|extra\..+)$"
CPU_PATTERN = r"^([0-9]+m|[0-9]+(\.[0-9]+)?)$"
MEMORY_PATTERN = r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$"
DNS_LABEL_PATTERN = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
DNS_SUBDOMAIN_PATTERN = r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"


# ---------------------------------------------------------------- constrained scalar types


def pattern_checker(pattern: str, error_type: str, what: str) -> AfterValidator:
    """A regex check whose error says in words what is expected (pydantic's only shows the regex)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        # fullmatch: Python's `$` also matches before a trailing newline, so "daily\n" would pass.
        if not compiled.fullmatch(value):
            raise PydanticCustomError(error_type, "{message}", {"message": f"{value!r} is not valid: expected {what}."})
        return value

    return AfterValidator(check)


def _slug_rule(max_len: int, kind: str, example: str) -> str:
    return (
        f"a {kind} of 1-{max_len} characters: a lowercase letter first, then lowercase letters, "
        f"digits or underscores (e.g. `{example}`)"
    )


WorkflowId = Annotated[
    str,
    Strict(),
    pattern_checker(WORKFLOW_ID_PATTERN, "invalid_slug", _slug_rule(200, "workflow id", "daily_sales")),
    Field(json_schema_extra={"pattern": WORKFLOW_ID_PATTERN}, examples=["daily_sales"]),
]
TaskId = Annotated[
    str,
    Strict(),
    pattern_checker(TASK_ID_PATTERN, "invalid_slug", _slug_rule(100, "task id", "fetch_orders")),
    Field(json_schema_extra={"pattern": TASK_ID_PATTERN}, examples=["fetch_orders"]),
]

ParamName = Annotated[
    str,
    pattern_checker(
        PARAM_NAME_PATTERN,
        "invalid_param_name",
        "a parameter name: letters, digits, underscores, not starting with a digit",
    ),
    Field(json_schema_extra={"pattern": PARAM_NAME_PATTERN}),
]
SecretName = Annotated[
    str,
    pattern_checker(
        SECRET_NAME_PATTERN, "invalid_secret_name", "a secret name as declared by the piece, e.g. `API_KEY`"
    ),
    Field(json_schema_extra={"pattern": SECRET_NAME_PATTERN}),
]
StrictText = Annotated[str, Strict()]
NonEmptyText = Annotated[str, Strict(), Field(min_length=1)]
# Bounded to 32 bits: these end up in Airflow's integer columns (retries, max_active_runs, …),
# where a larger value makes the DAG processor or the database fail instead of this check.
MAX_INT = 2**31 - 1
NonNegativeInt = Annotated[int, Strict(), Field(ge=0, le=MAX_INT)]
PositiveInt = Annotated[int, Strict(), Field(ge=1, le=MAX_INT)]
Number = Annotated[float, Strict()]


MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays/objects accepted in a free-form value (inputs, defaults, editor state)."""


def json_depth_error(value: Any, limit: int = MAX_JSON_DEPTH) -> str | None:
    """Where ``value`` nests deeper than ``limit`` arrays/objects (a relative JSON path), or None."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "")]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, dict | list | BaseModel):
            if depth >= limit:
                return path or "(top level)"
            if isinstance(node, BaseModel):
                node = dict(node)
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                child_path = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else str(key))
                stack.append((child, depth + 1, child_path))
    return None


def check_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> Any:
    """Refuse values nested deeper than ``limit``: pydantic cannot serialise very deep values back
    (it stops at a fixed depth), so a saved one would answer 500 on every later read."""
    where = json_depth_error(value, limit)
    if where is not None:
        raise PydanticCustomError(
            "too_deep",
            "Nested more than {limit} levels deep (at {where}); flatten the value.",
            {"limit": limit, "where": where},
        )
    return value


Shallow = AfterValidator(check_depth)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "naive_datetime",
            "{value} has no timezone: expected a timezone-aware timestamp such as 2026-11-01T00:00:00Z "
            "or 2026-11-01T00:00:00+01:00.",
            {"value": value.isoformat()},
        )
    return value


AwareDatetime = Annotated[
    datetime,
    AfterValidator(_aware),
    Field(examples=["2026-11-01T00:00:00Z"]),
]


def _schedule(value: Any) -> str | None:
    if value is None:
        return None
    message = schedule_error(value)
    if message:
        raise PydanticCustomError("invalid_schedule", "{message}", {"message": message})
    return value


Schedule = Annotated[
    str | None,
    PlainValidator(_schedule),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "null", "description": "Manual runs only."},
                {
                    "type": "string",
                    "enum": list(SCHEDULE_KEYWORDS),
                    "description": "Airflow preset or timetable alias.",
                },
                {
                    "type": "string",
                    "pattern": r"^\S+( \S+){4}$",
                    "description": "Five-field cron: minute hour day-of-month month day-of-week.",
                },
            ]
        }
    ),
]


def _timezone(value: str) -> str:
    message = timezone_error(value)
    if message:
        raise PydanticCustomError("invalid_timezone", "{message}", {"message": message})
    return value


Timezone = Annotated[str, Strict(), AfterValidator(_timezone), Field(examples=["UTC", "Europe/Paris"])]


def _quantity_checker(pattern: str, error_type: str, what: str, *, allow_number: bool) -> PlainValidator:
    compiled = re.compile(pattern)

    def check(value: Any) -> str | float:
        if allow_number and isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return value
        if isinstance(value, str) and compiled.fullmatch(value):
            return value
        raise PydanticCustomError(error_type, "{message}", {"message": f"{value!r} is not valid: expected {what}."})

    return PlainValidator(check)


Cpu = Annotated[
    str | float,
    _quantity_checker(
        CPU_PATTERN,
        "invalid_cpu",
        'a CPU amount: millicores like "500m", cores like "2" or a positive number of cores like 0.5',
        allow_number=True,
    ),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": CPU_PATTERN}, {"type": "number", "exclusiveMinimum": 0}]}),
]
Memory = Annotated[
    str,
    _quantity_checker(
        MEMORY_PATTERN,
        "invalid_memory",
        'a Kubernetes memory quantity such as "512Mi" or "2Gi"',
        allow_number=False,
    ),
    WithJsonSchema({"type": "string", "pattern": MEMORY_PATTERN}),
]

ConnectionField = Annotated[
    str,
    Strict(),
    pattern_checker(
        CONNECTION_FIELD_PATTERN,
        "invalid_connection_field",
        "one of `password`, `login`, `host`, `port`, `schema`, `extra` or `extra.<key>`",
    ),
    Field(json_schema_extra={"pattern": CONNECTION_FIELD_PATTERN}, examples=["password", "extra.token"]),
]


def check_schema_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise PydanticCustomError(
            "unsupported_schema_version",
            "Unsupported schema_version {value}: this server reads and writes version {supported}.",
            {"value": value, "supported": SCHEMA_VERSION},
        )
    return value
