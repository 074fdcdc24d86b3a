"""Run parameters: defaults in the document, overridable per run (Airflow ``Param`` s)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from airflow_domino_plugin.workflows.document._base import _FORBID, ParamType
from airflow_domino_plugin.workflows.fields import (
    Number,
    Shallow,
    StrictText,
)


class ParamItems(BaseModel):
    """Type of the items of an ``array`` parameter, so bindings into typed lists can be checked."""

    model_config = _FORBID

    type: Literal["string", "integer", "number", "boolean", "object"] = Field(description="JSON type of every item.")


class RunParam(BaseModel):
    """A run parameter: a default in the document, overridable per run by the trigger's ``conf``.

    Becomes an Airflow ``Param`` (see :func:`.params.airflow_param_kwargs`). A parameter with no
    ``default`` must be given a value at every trigger, so scheduled workflows need defaults.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"type": "string", "default": "EU", "enum": ["EU", "US"]}]},
    )

    type: ParamType = Field(description="JSON type of the value.")
    default: Annotated[Any, Shallow] = Field(
        default=None, description="Value used when a run does not override it. Omit it to require a value."
    )
    enum: Annotated[list[Any] | None, Shallow] = Field(
        default=None, min_length=1, description="The only values allowed."
    )
    title: StrictText | None = Field(default=None, description="Label shown in the trigger form.")
    description: StrictText | None = Field(default=None, description="Help text shown in the trigger form.")
    minimum: Number | None = Field(default=None, description="Smallest allowed value (integer/number only).")
    maximum: Number | None = Field(default=None, description="Largest allowed value (integer/number only).")
    items: ParamItems | None = Field(default=None, description="Item type of an `array` parameter.")

    @property
    def has_default(self) -> bool:
        """Whether ``default`` was given (``null`` given explicitly counts, and is then rejected)."""
        return "default" in self.model_fields_set
