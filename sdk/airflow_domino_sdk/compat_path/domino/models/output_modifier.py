"""``domino.models.output_modifier`` (module path of the original)."""

from airflow_domino_sdk.models import OutputModifierItemType, OutputModifierModel

__all__ = ["OutputModifierItemType", "OutputModifierModel"]
