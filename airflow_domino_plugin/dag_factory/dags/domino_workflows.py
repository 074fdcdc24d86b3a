"""Airflow DAG loader: one DAG per workflow stored by airflow-domino-plugin.

Airflow's safe-mode file discovery looks for the words "airflow" and "dag" in this file.
"""

from airflow_domino_plugin.dag_factory.loader import load_dags

globals().update(load_dags())
