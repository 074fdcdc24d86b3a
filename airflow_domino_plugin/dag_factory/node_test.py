"""A deployed workflow's node-test DAG: one task that runs the piece, inputs and secret bindings
the run's ``conf`` names (``services.node_tests`` starts these runs from the editor).

An ordinary Airflow DAG, so a node test is a real run (scheduler, executor, logs, XCom, results
storage) that leaves the workflow's own runs, schedule and ``max_active_runs`` alone. Its id holds
``-`` (never part of a workflow id), so it cannot clash with a workflow's DAG. The factory builds it
only for a workflow whose first node test has been asked for (``domino_workflows.node_tests_since``).
"""

from __future__ import annotations

from airflow.sdk import DAG

NODE_TEST_PREFIX = "domino-node-test--"
NODE_TEST_TAG = "domino-node-test"


def node_test_dag_id(workflow_id: str) -> str:
    return f"{NODE_TEST_PREFIX}{workflow_id}"


def workflow_of_node_test_dag(dag_id: str | None) -> str | None:
    """The workflow id behind a node-test DAG id (None for any other DAG id)."""
    if dag_id and dag_id.startswith(NODE_TEST_PREFIX):
        return dag_id.removeprefix(NODE_TEST_PREFIX)
    return None


def build_node_test_dag(workflow_id: str, *, ui_url: str = "/domino/ui") -> DAG:
    from airflow_domino_plugin.operators.node_test import NODE_TEST_TASK_ID, NodeTestOperator

    dag = DAG(
        dag_id=node_test_dag_id(workflow_id),
        description=f"Node tests of workflow {workflow_id} (started from the Domino editor)",
        doc_md=(
            f"# Node tests of `{workflow_id}`\n\n"
            "Each run tests one task of the workflow with the inputs given in the Domino editor "
            f"([open the workflow]({ui_url}/workflows/{workflow_id})). Runs are started by the plugin's API, "
            "which puts the piece, its checked inputs and its secret bindings in the run's conf."
        ),
        schedule=None,
        catchup=False,
        max_active_runs=16,
        is_paused_upon_creation=False,
        tags=["domino", NODE_TEST_TAG],
    )
    NodeTestOperator(task_id=NODE_TEST_TASK_ID, task_display_name="Node test", dag=dag, retries=0)
    return dag
