"""Model configurations and literals every part of the document shares."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    ConfigDict,
)

Runner = Literal["subprocess", "docker", "kubernetes"]
ParamType = Literal["string", "integer", "number", "boolean", "array", "object"]

_FORBID = ConfigDict(extra="forbid")
# Placeholder that WorkflowSchemaGenerator swaps for a $ref to the binding-aware input value
# schema (pydantic refuses $refs to definitions it did not generate itself).
_INPUT_VALUE_MARKER = "x-domino-input-value"
_UI = ConfigDict(extra="allow")
