"""The example pieces repository compiles cleanly and is complete.

Its piece tests (``examples/pieces/pieces/*/test_*.py``) are collected through ``conftest.py``
here; this module checks the repository as a whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk.repository import (
    COMPILED_METADATA_FILE,
    DEPENDENCIES_MAP_FILE,
    CompileResult,
    compile_repository,
)

from .conftest import PIECES_REPO, piece_test_files


@pytest.fixture(scope="module")
def compiled() -> CompileResult:
    return compile_repository(PIECES_REPO)


def _input_fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every input field, including those of sub-models (``$defs``), as (path, property schema)."""
    fields = [(f"InputModel.{name}", prop) for name, prop in schema.get("properties", {}).items()]
    for model, definition in schema.get("$defs", {}).items():
        fields += [(f"{model}.{name}", prop) for name, prop in definition.get("properties", {}).items()]
    return fields


def test_compiles_without_errors_or_warnings(compiled: CompileResult) -> None:
    assert compiled.errors == []
    assert compiled.warnings == []
    assert len(compiled.compiled_metadata) >= 12
    assert compiled.config["REPOSITORY_NAME"] == "domino_examples"
    assert compiled.config["VERSION"] == "1.0.0"
    assert compiled.config["REPOSITORY_LABEL"]
    assert compiled.config["DESCRIPTION"]


def test_dependency_groups(compiled: CompileResult) -> None:
    groups = {
        group["dependency"]["requirements_file"]: sorted(group["pieces"])
        for group in compiled.dependencies_map.values()
    }
    assert groups["requirements_plot.txt"] == ["PlotChartPiece"]
    assert groups["requirements_plotly.txt"] == ["PlotlyChartPiece"]
    assert "HttpRequestPiece" in groups[None]  # standard library only: the base environment


def test_every_piece_is_documented_and_tested(compiled: CompileResult) -> None:
    tested = {path.parent.name for path in piece_test_files()}
    for name, metadata in compiled.compiled_metadata.items():
        assert name in tested, f"{name} has no test_*.py"
        assert len(metadata["description"]) > 40, name
        assert metadata["tags"], name
        assert metadata["style"]["node_label"] != name, f"{name}: give style.node_label a readable name"
        for path, prop in _input_fields(metadata["input_schema"]):
            assert prop.get("description"), f"{name}: {path} has no description"
        for field_name, prop in metadata["output_schema"]["properties"].items():
            assert prop.get("description"), f"{name}: OutputModel.{field_name} has no description"


def test_tables_line_up(compiled: CompileResult) -> None:
    """Table inputs and outputs share one type, so any rows output can feed any rows input."""
    table = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
    seen = 0
    for name, metadata in compiled.compiled_metadata.items():
        for schema_key in ("input_schema", "output_schema"):
            for field_name, prop in metadata[schema_key]["properties"].items():
                if field_name in ("rows", "left_rows", "right_rows", "table_rows"):
                    shape = {k: prop[k] for k in ("type", "items")}
                    assert shape == table, f"{name}.{schema_key}.{field_name}"
                    seen += 1
    assert seen >= 13


def test_committed_compiled_files_are_up_to_date(compiled: CompileResult) -> None:
    """``.domino/`` is generated; regenerate with ``domino-pieces compile`` in examples/pieces."""
    for relative, expected in (
        (COMPILED_METADATA_FILE, compiled.compiled_metadata),
        (DEPENDENCIES_MAP_FILE, compiled.dependencies_map),
    ):
        path = PIECES_REPO / relative
        assert path.is_file(), f"missing {path}"
        assert json.loads(path.read_text()) == expected, f"{relative} is stale: run `domino-pieces compile`"


def test_requirements_files_are_pinned_to_a_major_version() -> None:
    for path in Path(PIECES_REPO, "dependencies").glob("requirements_*.txt"):
        lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
        assert lines, path
        assert all(">=" in line and "<" in line for line in lines), path
