"""Provider info: how ``airflow db migrate`` and ``airflow config list`` learn about the plugin.

Registering as a provider (entry point ``apache_airflow_provider``) is what lets Airflow's
``RunDBManager`` discover :class:`~airflow_domino_plugin.db.manager.DominoDBManager` with no
configuration, the same mechanism the FAB provider uses for its tables.
"""

from __future__ import annotations

from typing import Any

from airflow_domino_plugin import __version__
from airflow_domino_plugin.config import provider_config


def get_provider_info() -> dict[str, Any]:
    return {
        "package-name": "airflow-domino-plugin",
        "name": "Domino",
        "description": "Visual workflows and typed, versioned Pieces for Apache Airflow.",
        "versions": [__version__],
        "db-managers": ["airflow_domino_plugin.db.manager.DominoDBManager"],
        "config": provider_config(),
    }
