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


def test_a_workflow_task_is_a_deferred_trigger_and_final_tasks_update_completion_assets():
    from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
    from airflow.sdk import Asset

    dag = build(
        [
            {"id": "src", "piece": PIECE, "outlets": ["sales"]},
            {"id": "run", "workflow": {"id": "child", "poll_interval_s": 2}, "inputs": {"x": up("src", "n")}},
        ]
    )
    run = dag.task_dict["run"]
    assert isinstance(run, TriggerDagRunOperator)
    assert (run.trigger_dag_id, run.wait_for_completion, run.deferrable, run.poke_interval) == ("child", True, True, 2)
    assert run.upstream_task_ids == {"src"}
    assert run.task_display_name == "Run child"
    assert dag.task_dict["src"].outlets == [Asset("sales")]
    assert run.outlets == [Asset("x-domino://workflows/flow/tasks/run")]


def _tree(condition: object) -> object:
    """An asset condition as nested tuples: Airflow 3.1's AssetAny/AssetAll compare by identity (3.2+
    by value); assets compare by value on every release."""
    objects = getattr(condition, "objects", None)
    return condition if objects is None else (type(condition).__name__, [_tree(o) for o in objects])


def test_schedule_on_compiles_to_an_asset_condition():
    from airflow.sdk import Asset, AssetAll, AssetAny

    from airflow_domino_plugin.workflows.document import Workflow

    other = Workflow.model_validate(
        {
            "schema_version": 1,
            "id": "up",
            "name": "up",
            "tasks": [{"id": "a", "piece": PIECE}, {"id": "b", "piece": PIECE}],
        }
    )
    document = {
        "schema_version": 1,
        "id": "flow",
        "name": "Flow",
        "tasks": [{"id": "t", "piece": PIECE}],
        "schedule_on": {"workflows": ["up"], "assets": ["sales"], "match": "any"},
    }
    dag = build_dag(StoredRevision("flow", 1, 1, document), others={"up": other})
    completion = AssetAll(Asset("x-domino://workflows/up/tasks/a"), Asset("x-domino://workflows/up/tasks/b"))
    assert _tree(dag.timetable.asset_condition) == _tree(AssetAny(Asset("sales"), completion))
    # Inside a task (no other workflows known) the schedule plays no part and is built from the assets alone.
    assert build_dag(StoredRevision("flow", 1, 1, document)).timetable.asset_condition == Asset("sales")
