"""Where a task's secrets come from: Airflow Variables, Connections or Kubernetes Secrets, never values."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
)

from airflow_domino_plugin.workflows.document._base import _FORBID
from airflow_domino_plugin.workflows.fields import (
    ConnectionField,
    NonEmptyText,
)

# Tags of the secret-source union; pydantic puts them into error locations, and the error
# converter in :mod:`.validation` removes exactly these names.
SECRET_VARIABLE_TAG = "<variable secret>"
SECRET_CONNECTION_TAG = "<connection secret>"
SECRET_KUBERNETES_TAG = "<kubernetes secret>"
UNION_TAGS = frozenset({SECRET_VARIABLE_TAG, SECRET_CONNECTION_TAG, SECRET_KUBERNETES_TAG})


class VariableSecret(BaseModel):
    """Read the secret from an Airflow Variable (so secrets backends apply)."""

    model_config = _FORBID

    variable: NonEmptyText = Field(description="Airflow Variable key.", examples=["domino_examples_api_key"])


class ConnectionSecret(BaseModel):
    """Read the secret from one field of an Airflow Connection."""

    model_config = _FORBID

    connection: NonEmptyText = Field(description="Airflow Connection id.", examples=["my_api"])
    field: ConnectionField = Field(
        default="password",
        description="Connection field: password, login, host, port, schema, extra, or extra.<key> for one key "
        "of the JSON extra.",
    )


class KubernetesSecret(BaseModel):
    """Read the secret from a Kubernetes Secret that already exists in the piece pod's namespace.

    Only for tasks run by the ``kubernetes`` runner: the value never passes through Airflow.
    """

    model_config = _FORBID

    kubernetes_secret: NonEmptyText = Field(description="Name of the Kubernetes Secret.", examples=["smtp-credentials"])
    key: NonEmptyText = Field(description="Key inside the Secret.", examples=["password"])


def _secret_kind(value: Any) -> str | None:
    if isinstance(value, dict | VariableSecret | ConnectionSecret | KubernetesSecret):
        keys = value if isinstance(value, dict) else value.model_fields_set
        if "variable" in keys:
            return SECRET_VARIABLE_TAG
        if "connection" in keys:
            return SECRET_CONNECTION_TAG
        if "kubernetes_secret" in keys:
            return SECRET_KUBERNETES_TAG
    return None


SecretSource = Annotated[
    Annotated[VariableSecret, Tag(SECRET_VARIABLE_TAG)]
    | Annotated[ConnectionSecret, Tag(SECRET_CONNECTION_TAG)]
    | Annotated[KubernetesSecret, Tag(SECRET_KUBERNETES_TAG)],
    Discriminator(
        _secret_kind,
        custom_error_type="invalid_secret_source",
        custom_error_message='Expected {"variable": "<key>"}, {"connection": "<conn id>", "field": "password"} '
        'or {"kubernetes_secret": "<name>", "key": "<key>"}.',
    ),
]
