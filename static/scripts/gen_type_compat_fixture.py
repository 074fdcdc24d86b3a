"""Writes src/lib/fixtures/typeCompat.json: cases computed by the Python type_compat module.

The GUI's src/lib/typeCompat.ts mirrors airflow_domino_plugin/workflows/type_compat.py; its
Vitest suite replays these cases, so a rule changed on one side and not the other fails a test.
Run from the repository root: `python static/scripts/gen_type_compat_fixture.py`.
"""

from __future__ import annotations

import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "workflows"))

from airflow_domino_plugin.workflows.type_compat import (  # noqa: E402
    describe_type,
    incompatibility,
    nullable_warning,
    subschema_at,
)
from test_workflow_type_compat import TABLE  # noqa: E402


class Header(BaseModel):
    name: str
    value: str


class Inputs(BaseModel):
    headers: list[Header] = []
    maybe: Header | None = None
    pair: tuple[int, str] = (1, "a")
    free: dict[str, Any] = {}


class Color(StrEnum):
    RED = "red"
    BLUE = "blue"


class StrictRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int


def _name(tp: Any) -> str:
    """A type's text without the defining module, so the fixture does not depend on how it was run."""
    return re.sub(r"\b(?:__main__|gen_type_compat_fixture|test_workflow_type_compat)\.", "", str(tp))


def schema(tp: Any) -> dict[str, Any]:
    return TypeAdapter(tp).json_schema()


def build() -> dict[str, Any]:
    """The fixture's content, from the Python module as it is now."""
    pairs = []
    for source, target, _expected in TABLE:
        s, t = schema(source), schema(target)
        pairs.append(
            {"name": f"{_name(source)} -> {_name(target)}", "source": s, "target": t, "reason": incompatibility(s, t)}
        )
    extra_types: list[Any] = [
        int,
        str | None,
        list[int],
        dict[str, float],
        Literal["a", "b"],
        tuple[int, str],
        Any,
        list[int | None] | None,
        Color,
        StrictRow,
        list[Header],
        Literal[5],
    ]
    describe = [{"name": _name(tp), "schema": schema(tp), "text": describe_type(schema(tp))} for tp in extra_types]
    root = Inputs.model_json_schema()
    locs: list[list[Any]] = [
        ["headers", 0, "value"],
        ["maybe", "name"],
        ["pair", 1],
        ["free", "anything", 3],
        ["headers", "name"],
        ["pair", 2],
        ["headers"],
        ["maybe"],
        [],
    ]
    subschemas = [{"loc": loc, "result": subschema_at(root, tuple(loc))} for loc in locs]
    nullable_types: list[tuple[Any, Any]] = [
        (int | None, int),
        (int | None, float),
        (int | None, int | None),
        (str | None, int),
        (int, int),
        (list[int] | None, list[int]),
        (list[int | None], list[int]),
        (Header | None, Header),
        (Any, int),
        (int | str | None, int | str),
        (Literal["a"] | None, Literal["a", "b"]),
        (int | None, Any),
    ]
    nullable = [
        {"name": f"{_name(s)} -> {_name(t)}", "source": schema(s), "target": schema(t),
         "warning": nullable_warning(schema(s), schema(t))}
        for s, t in nullable_types
    ]  # fmt: skip
    out = {
        "pairs": pairs,
        "describe": describe,
        "subschema": {"root": root, "cases": subschemas},
        "nullable": nullable,
    }
    return out


FIXTURE = ROOT / "static" / "src" / "lib" / "fixtures" / "typeCompat.json"


def render() -> str:
    return json.dumps(build(), indent=1, sort_keys=True) + "\n"


def main() -> None:
    FIXTURE.write_text(render())
    out = build()
    print(f"wrote {len(out['pairs'])} pairs, {len(out['describe'])} descriptions, {len(out['nullable'])} nullable "
          f"cases, {len(out['subschema']['cases'])} subschemas to {FIXTURE}")  # fmt: skip


if __name__ == "__main__":
    main()
