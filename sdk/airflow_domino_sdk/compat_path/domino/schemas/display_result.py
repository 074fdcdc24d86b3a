"""``domino.schemas.display_result``."""

from airflow_domino_sdk.models import DisplayResultFileType

__all__ = ["DisplayResultFileType"]
