"""How a refusal by one of Airflow's own routes reaches the user."""

from __future__ import annotations

from airflow_domino_plugin.services.errors import Conflict, Forbidden, refused_by_airflow


def test_a_403_is_the_users_role_and_names_the_action() -> None:
    error = refused_by_airflow(403, "Forbidden: DAG edit", "cancel run 'r1'")
    assert isinstance(error, Forbidden)
    assert error.status == 403
    assert error.message == "Airflow refused to cancel run 'r1' for your role: Forbidden: DAG edit"


def test_any_other_status_is_a_conflict_with_airflows_reason_and_status() -> None:
    error = refused_by_airflow(409, "Task instances are still running", "delete the DAG of workflow 'w'")
    assert isinstance(error, Conflict)
    assert error.status == 409
    assert error.message == "Airflow refused to delete the DAG of workflow 'w' (409): Task instances are still running"
