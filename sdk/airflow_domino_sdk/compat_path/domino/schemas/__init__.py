"""``domino.schemas`` names that piece code may import."""

from enum import StrEnum

from airflow_domino_sdk.models import DisplayResult, DisplayResultFileType


class DeployModeType(StrEnum):
    """Domino's deploy modes; the plugin sets ``self.deploy_mode`` to "airflow" or "dry_run"."""

    local_python = "local-python"
    local_bash = "local-bash"
    local_compose = "local-compose"
    local_k8s = "local-k8s"
    k8s = "k8s"
    dry_run = "dry_run"
    airflow = "airflow"


__all__ = ["DeployModeType", "DisplayResult", "DisplayResultFileType"]
