"""``from domino.models import OutputModifierModel, OutputModifierItemType``."""

from airflow_domino_sdk.models import OutputModifierItemType, OutputModifierModel

__all__ = ["OutputModifierItemType", "OutputModifierModel"]
