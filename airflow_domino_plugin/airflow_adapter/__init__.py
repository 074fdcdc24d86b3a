"""The one place that touches Airflow beyond its public Python API (``airflow.sdk``, providers).

Everything the plugin needs from Airflow's models, its API server's internals, its log reader
and its auth manager goes through the functions re-exported here, which take plain values and
return the plugin's own dataclasses, never ORM rows. So an Airflow upgrade that renames a
column, moves a service function or changes a keyword breaks one package, and the differences
between the supported Airflow releases (3.1, 3.2, 3.3) are handled here, as feature checks
(does this function take that keyword? does that module exist?) rather than version compares.

What a user does to a workflow's DAG (trigger, mark failed, pause, clear a task, delete) and
reading its task logs go through Airflow's public REST API, called in-process as that user
(``rest.AirflowApi``): Airflow checks the user's permissions and writes its own audit-log row.
The rest cannot take a route, and runs the code the route runs instead, with an audit-log row of
the route's event name (``record_action``) in the action's own transaction:

- node-test runs, their logs and the node-test DAG's deletion: the node-test DAG is the plugin's
  helper, authorised on its workflow; a per-DAG grant in Airflow names the workflow's DAG, so
  Airflow's routes would refuse the node-test DAG to a user the workflow is granted to;
- re-parse requests: ``PUT /parseDagFile/{token}`` needs a DAG already loaded from the file and
  the caller's edit permission on every DAG in it (all workflows share one loader file), and the
  follow-up nudges after a save run in the background with no caller;
- answers to approval steps: the plugin holds a too-early resume in the same transaction as the
  answer (``hitl``), which a separate route call could not do.

The API server's FastAPI side (session and user dependencies, the auth manager) lives in
``airflow_adapter.auth``, imported only by the web layer (``api/``, ``views/``): importing this
package itself never loads FastAPI, so the services below the web layer stay framework-free.

A ruff rule (TID251 in ``pyproject.toml``) forbids ``airflow.models`` and
``airflow.api_fastapi.core_api`` imports outside this package. Airflow imports stay inside the
functions, so importing the adapter costs nothing in the DAG processor or in a task.
"""

from __future__ import annotations

from airflow_domino_plugin.airflow_adapter.audit import record_action
from airflow_domino_plugin.airflow_adapter.dags import (
    DagInfo,
    DagTask,
    DagVersionDefinition,
    dag_infos,
    dag_tasks,
    dag_version_definitions,
    dag_version_hashes,
    dags_with_tag,
    delete_dag,
    foreign_dag_ids,
    latest_dag_version,
    metadata_session,
    request_reparse,
    serialized_dag_fields,
)
from airflow_domino_plugin.airflow_adapter.errors import (
    AdapterError,
    DagNotLoaded,
    LogsUnreadable,
    RunAlreadyExists,
    TryNotFound,
    UnknownTask,
)
from airflow_domino_plugin.airflow_adapter.logs import LogRead, read_task_log
from airflow_domino_plugin.airflow_adapter.providers import pod_reattach_kwarg
from airflow_domino_plugin.airflow_adapter.rest import AirflowApi, AirflowRefused, Caller
from airflow_domino_plugin.airflow_adapter.runs import (
    DagRunInfo,
    TaskInstanceInfo,
    dag_run,
    dag_runs,
    latest_dag_runs,
    running_task_ids,
    task_instance,
    task_instances,
    trigger_dag_run,
    xcom_task_ids,
    xcom_value,
    xcom_values,
)
from airflow_domino_plugin.airflow_adapter.secrets import (
    connection_from_secrets,
    stored_variable_keys,
    variable_from_secrets,
    variable_value,
)

__all__ = [
    "AdapterError",
    "AirflowApi",
    "AirflowRefused",
    "Caller",
    "DagInfo",
    "DagNotLoaded",
    "DagRunInfo",
    "DagTask",
    "DagVersionDefinition",
    "LogRead",
    "LogsUnreadable",
    "RunAlreadyExists",
    "TaskInstanceInfo",
    "TryNotFound",
    "UnknownTask",
    "connection_from_secrets",
    "dag_infos",
    "dag_run",
    "dag_runs",
    "dag_tasks",
    "dag_version_definitions",
    "dag_version_hashes",
    "dags_with_tag",
    "delete_dag",
    "foreign_dag_ids",
    "latest_dag_runs",
    "latest_dag_version",
    "metadata_session",
    "pod_reattach_kwarg",
    "read_task_log",
    "record_action",
    "request_reparse",
    "running_task_ids",
    "serialized_dag_fields",
    "stored_variable_keys",
    "task_instance",
    "task_instances",
    "trigger_dag_run",
    "variable_from_secrets",
    "variable_value",
    "xcom_task_ids",
    "xcom_value",
    "xcom_values",
]
