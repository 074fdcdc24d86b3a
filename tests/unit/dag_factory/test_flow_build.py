"""The DAG builder compiles for-each to Airflow task mapping and branches to a BranchMixIn operator."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_domino_plugin.dag_factory.builder import build_dag
from airflow_domino_plugin.dag_factory.store import StoredRevision

PIECE = {"repository": "r", "version": "1", "name": "P"}


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def build(tasks: list[dict[str, Any]]) -> Any:
    document = {"schema_version": 1, "id": "flow", "name": "Flow", "tasks": tasks}
    return build_dag(StoredRevision("flow", 1, 1, document))


def test_for_each_maps_the_piece_over_its_items_task():
    dag = build(
        [
            {"id": "src", "piece": PIECE},
            {
                "id": "each",
                "piece": PIECE,
                "depends_on": ["src"],
                "inputs": {"b": 1},
                "for_each": {"items": up("src", "rows"), "input": "a", "max_parallel": 3},
            },
            {"id": "after", "piece": PIECE, "depends_on": ["each"], "inputs": {"x": up("each", "total")}},
        ]
    )
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    each, items = dag.task_dict["each"], dag.task_dict["each__items"]
    assert isinstance(each, MappedOperator)
    assert each.max_active_tis_per_dagrun == 3
    assert each.upstream_task_ids == {"each__items"}
    assert items.upstream_task_ids == {"src"}
    assert (items.source_task, items.source_output) == ("src", "rows")
    assert each.partial_kwargs["for_each_input"] == "a"
    assert list(each.expand_input.value) == ["for_each_item"]
    after = dag.task_dict["after"]
    assert after.upstream_task_ids == {"each"}
    assert after.mapped_upstreams == ["each"]


def test_branch_targets_and_trigger_rules():
    dag = build(
        [
            {
                "id": "route",
                "piece": PIECE,
                "branch": {
                    "when": [{"value": up("route", "n"), "op": "gt", "operand": 3, "then": ["big"]}],
                    "else": ["each"],
                },
            },
            {"id": "big", "piece": PIECE, "depends_on": ["route"]},
            {
                "id": "each",
                "piece": PIECE,
                "depends_on": ["route"],
                "for_each": {"items": up("route", "rows"), "input": "a"},
            },
            {
                "id": "join",
                "piece": PIECE,
                "depends_on": ["big", "each"],
                "trigger_rule": "none_failed_min_one_success",
            },
        ]
    )
    from airflow.providers.standard.operators.branch import BranchMixIn

    route = dag.task_dict["route"]
    assert isinstance(route, BranchMixIn)
    assert route.downstream_task_ids == {"big", "each__items"}
    assert route.branch["else"] == ["each__items"]  # a for-each target starts at its items task
    assert route.branch["when"][0]["then"] == ["big"]
    assert dag.task_dict["join"].trigger_rule == "none_failed_min_one_success"
    assert dag.task_dict["big"].trigger_rule == "all_success"


def test_branch_with_another_runner_is_refused():
    with pytest.raises(ValueError, match="subprocess runner only"):
        build(
            [
                {
                    "id": "route",
                    "piece": PIECE,
                    "runner": "docker",
                    "branch": {"when": [{"value": {"$param": "p"}, "op": "truthy", "then": ["x"]}]},
                }
            ]
        )
