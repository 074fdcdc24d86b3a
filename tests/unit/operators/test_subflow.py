"""A sub-workflow task's tries: each starts its own child run, and a retry carries on with the last one.

Airflow 3.3's scheduler can fail a deferred task that resumes within moments of deferring
(apache/airflow#72716); the extra try it then runs must not run the child workflow again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import AirflowFailException, DagRunTriggerException, TaskDeferred

from airflow_domino_plugin.operators import subflow
from airflow_domino_plugin.operators.subflow import RACE_RETRY_DELAY, SubWorkflowOperator, child_run_id

PARENT_RUN = "manual__2026-12-04T01:00:00+00:00"


class FakeTi:
    """What the operator uses of the Task SDK's task instance, with child runs in a dict."""

    def __init__(self, try_number: int, max_tries: int, child_runs: dict[str, str] | None = None) -> None:
        self.dag_id, self.task_id, self.run_id = "parent", "run_child", PARENT_RUN
        self.try_number, self.max_tries = try_number, max_tries
        self.child_runs = child_runs or {}
        self.pushed: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.pushed[key] = value

    def xcom_pull(self, task_ids: str, key: str, dag_id: str | None = None, run_id: str | None = None) -> Any:
        if dag_id is None:
            return self.pushed.get(key)
        return {"total": 42} if (dag_id, task_ids, run_id) == ("child", "add", self._only_run()) else None

    def _only_run(self) -> str:
        return next(iter(self.child_runs))

    def get_dagrun_state(self, dag_id: str, run_id: str) -> str:
        if run_id not in self.child_runs:
            raise RuntimeError("DagRun not found")
        return self.child_runs[run_id]


@pytest.fixture(autouse=True)
def _deployed_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subflow, "deployed_final_tasks", lambda workflow_id: [{"task": "add", "mapped": False}])


def _operator(retries: int = 0) -> SubWorkflowOperator:
    return SubWorkflowOperator(task_id="run_child", child_workflow="child", inputs={"x": 1}, retries=retries)


def _run(operator: SubWorkflowOperator, ti: FakeTi) -> Any:
    return operator.execute({"ti": ti, "params": {}})


def test_one_retry_more_than_asked_quickly_when_none_is_asked() -> None:
    assert (_operator().retries, _operator().retry_delay) == (1, RACE_RETRY_DELAY)
    asked = SubWorkflowOperator(task_id="t", child_workflow="child", retries=2, retry_delay=timedelta(seconds=60))
    assert (asked.retries, asked.retry_delay) == (3, timedelta(seconds=60))


def test_each_try_starts_a_child_run_of_its_own() -> None:
    operator = _operator()
    with pytest.raises(DagRunTriggerException) as started:
        _run(operator, FakeTi(try_number=1, max_tries=1))
    assert started.value.dag_run_id == f"{PARENT_RUN}__run_child__try1"
    assert started.value.conf["x"] == 1
    assert started.value.conf["__domino_parent"] == {"dag_id": "parent", "run_id": PARENT_RUN, "task_id": "run_child"}
    long = child_run_id("r" * 240, "task", 3)
    assert len(long) <= 250
    assert long.endswith("__try3")
    assert long == child_run_id("r" * 240, "task", 3)


def test_a_retry_returns_the_outputs_of_the_previous_trys_child_run_without_running_it_again() -> None:
    previous = child_run_id(PARENT_RUN, "run_child", 1)
    ti = FakeTi(try_number=2, max_tries=1, child_runs={previous: "success"})
    assert _run(_operator(), ti) == {"add.total": 42}
    assert ti.pushed["trigger_run_id"] == previous  # what the run page links the child run by


def test_a_retry_waits_for_the_previous_trys_child_run_while_it_runs() -> None:
    previous = child_run_id(PARENT_RUN, "run_child", 1)
    with pytest.raises(TaskDeferred) as deferred:
        _run(_operator(), FakeTi(try_number=2, max_tries=1, child_runs={previous: "running"}))
    assert deferred.value.trigger.run_ids == [previous]
    assert deferred.value.method_name == "execute_complete"


def test_a_failed_child_run_is_run_again_only_within_the_retries_asked_for() -> None:
    previous = child_run_id(PARENT_RUN, "run_child", 1)
    with pytest.raises(AirflowFailException, match="failed"):
        _run(_operator(retries=0), FakeTi(try_number=2, max_tries=1, child_runs={previous: "failed"}))
    with pytest.raises(DagRunTriggerException) as again:
        _run(_operator(retries=1), FakeTi(try_number=2, max_tries=2, child_runs={previous: "failed"}))
    assert again.value.dag_run_id == child_run_id(PARENT_RUN, "run_child", 2)


def test_a_child_failure_with_no_retry_asked_fails_at_once() -> None:
    event = ("DagStateTrigger", {"run_ids": ["c1"], "c1": "failed"})
    with pytest.raises(AirflowFailException, match="child run c1 failed"):
        _operator().execute_complete({"ti": FakeTi(try_number=1, max_tries=1)}, event)


def test_after_a_clear_the_child_runs_again() -> None:
    """A clear sets max_tries to the last try plus retries: the next try is a fresh start, not a retry."""
    previous = child_run_id(PARENT_RUN, "run_child", 1)
    with pytest.raises(DagRunTriggerException) as started:
        _run(_operator(), FakeTi(try_number=2, max_tries=2, child_runs={previous: "success"}))
    assert started.value.dag_run_id == child_run_id(PARENT_RUN, "run_child", 2)
