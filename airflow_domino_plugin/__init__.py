"""airflow-domino-plugin: a visual workflow platform inside Apache Airflow.

Kept import-free on purpose: the SDK (``airflow_domino_sdk``) must import with only
pydantic installed, inside piece virtualenvs and images where Airflow is absent.
"""

__version__ = "0.1.0"
