"""A DAG bundle whose folder is inside the installed package, so configs hold no absolute paths.

Register it next to your usual bundle::

    [dag_processor]
    dag_bundle_config_list = [
      {"name": "dags-folder", "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle", "kwargs": {}},
      {"name": "domino", "classpath": "airflow_domino_plugin.dag_factory.bundle.DominoDagBundle", "kwargs": {}}
    ]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow.dag_processing.bundles.local import LocalDagBundle

LOADER_DIR = Path(__file__).resolve().parent / "dags"
LOADER_FILE = "domino_workflows.py"
BUNDLE_NAME = "domino"


class DominoDagBundle(LocalDagBundle):
    """The folder holding the loader file that builds one DAG per stored workflow."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("path", None)
        super().__init__(path=str(LOADER_DIR), **kwargs)
