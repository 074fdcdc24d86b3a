"""Stored workflow revisions become Airflow DAGs.

The loader file in ``dags/`` lives in a DAG bundle shipped inside the package
(:class:`~airflow_domino_plugin.dag_factory.bundle.DominoDagBundle`).
"""
