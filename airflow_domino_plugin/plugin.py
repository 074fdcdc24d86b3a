"""The Airflow plugin: mounts the REST API and GUI at ``/domino`` and adds the "Domino" nav entry."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from airflow_domino_plugin.api.app import LazyApp

URL_PREFIX = "/domino"


class DominoPlugin(AirflowPlugin):
    name = "domino"
    fastapi_apps = [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "Domino"}]
    external_views = [
        {
            "name": "Domino",
            "href": f"{URL_PREFIX}/ui/",
            "destination": "nav",
            "url_route": "domino",
            "icon": f"{URL_PREFIX}/ui/icon.svg",
            "nav_top_level": True,
        }
    ]
