"""Pure helpers of the runs, results and secrets services (no Airflow stack needed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from airflow_domino_plugin.dag_factory.builder import REVISION_ID_ARG, REVISION_NUMBER_ARG
from airflow_domino_plugin.services.dag_versions import RevisionMarker, marker_from_serialized
from airflow_domino_plugin.services.errors import InvalidInput
from airflow_domino_plugin.services.results import safe_relative_path
from airflow_domino_plugin.services.runs import render_log_record, topological_task_ids
from airflow_domino_plugin.services.runs.logs import _without_source_header
from airflow_domino_plugin.services.secrets import variable_name


def test_marker_read_from_default_args_in_both_encodings() -> None:
    plain = {"dag": {"default_args": {REVISION_ID_ARG: 12, REVISION_NUMBER_ARG: 3}}}
    encoded = {"dag": {"default_args": {"__var": {REVISION_ID_ARG: 12, REVISION_NUMBER_ARG: 3}, "__type": "dict"}}}
    assert marker_from_serialized(plain) == RevisionMarker(12, 3)
    assert marker_from_serialized(encoded) == RevisionMarker(12, 3)


def test_marker_falls_back_to_doc_md_and_to_nothing() -> None:
    doc = {"dag": {"doc_md": "# X\n\nBuilt by airflow-domino-plugin from revision 4 of workflow `x`. [Open]"}}
    assert marker_from_serialized(doc) == RevisionMarker(None, 4)
    assert marker_from_serialized({"dag": {}}) == RevisionMarker(None, None)
    assert marker_from_serialized(None) == RevisionMarker(None, None)


def test_topological_order_follows_depends_on_and_bindings() -> None:
    document = {
        "tasks": [
            {"id": "report", "depends_on": ["b"]},
            {"id": "b", "inputs": {"x": {"$upstream": {"task": "a", "output": "y"}}}},
            {"id": "a"},
            {"id": "lonely"},
        ]
    }
    order = topological_task_ids(document)
    assert order.index("a") < order.index("b") < order.index("report")
    assert sorted(order) == ["a", "b", "lonely", "report"]


class _Record(dict):
    def model_dump(self) -> dict:
        return dict(self)


def test_log_record_rendering() -> None:
    stamp = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    line = render_log_record(
        _Record(timestamp=stamp, level="info", event="Adding 1 and 2", dag_id="d", run_id="r", logger="x", extra="v")
    )
    assert line == "2026-01-02T03:04:05.678Z INFO Adding 1 and 2 extra=v"
    error = render_log_record(
        _Record(
            timestamp=stamp,
            level="error",
            event="Task failed",
            error_detail=[
                {
                    "exc_type": "ValueError",
                    "exc_value": "bad",
                    "frames": [{"filename": "f.py", "lineno": 3, "name": "g"}],
                }
            ],
        )
    )
    assert error.splitlines() == [
        "2026-01-02T03:04:05.678Z ERROR Task failed",
        "Traceback (most recent call last):",
        '  File "f.py", line 3, in g',
        "ValueError: bad",
    ]
    assert render_log_record(_Record(timestamp=None, event="::group::Pre Execute")) == "▸ Pre Execute"


def test_source_header_is_dropped() -> None:
    class R:
        def __init__(self, event: str) -> None:
            self.event = event

    records = [R("::group::Log message source details"), R("/logs/a.log"), R("::endgroup::"), R("hello")]
    assert [r.event for r in _without_source_header(records)] == ["hello"]


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a\\..\\b", "a\x00b"])
def test_unsafe_result_paths_are_refused(path: str) -> None:
    with pytest.raises(InvalidInput):
        safe_relative_path(path)


def test_safe_result_paths_pass() -> None:
    assert safe_relative_path("report.md") == "report.md"
    assert safe_relative_path("charts/a.png") == "charts/a.png"


def test_secret_variable_name() -> None:
    assert variable_name("examples", "API_KEY") == "domino__examples__API_KEY"
