"""Secret bindings -> values, through Airflow's Variables and Connections (so secrets backends apply).

Each value is registered with Airflow's secrets masker before anything else happens, so it is
redacted from the task log even if a piece prints it.
"""

from __future__ import annotations

import json
from typing import Any

from airflow.sdk.exceptions import AirflowException


def _connection_field(conn_id: str, field: str) -> Any:
    from airflow.sdk import Connection

    connection = Connection.get(conn_id)
    if field.startswith("extra."):
        extra = connection.extra_dejson if hasattr(connection, "extra_dejson") else json.loads(connection.extra or "{}")
        key = field.removeprefix("extra.")
        if key not in extra:
            raise AirflowException(f"Connection {conn_id!r} has no extra field {key!r}")
        return extra[key]
    if field not in {"password", "login", "host", "port", "schema", "extra"}:
        raise AirflowException(f"Connection field {field!r} is not one of password, login, host, port, schema, extra")
    return getattr(connection, field)


def resolve_secrets(bindings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Values for a task's secret bindings; the error names the secret, never its value."""
    from airflow.sdk import Variable
    from airflow.sdk.log import mask_secret

    values: dict[str, Any] = {}
    for name, binding in bindings.items():
        try:
            if "variable" in binding:
                value: Any = Variable.get(binding["variable"])
            else:
                value = _connection_field(binding["connection"], binding.get("field", "password"))
        except AirflowException:
            raise
        except Exception as exc:
            where = (
                f"Variable {binding['variable']!r}"
                if "variable" in binding
                else f"Connection {binding.get('connection')!r}"
            )
            raise AirflowException(f"Secret {name} could not be read from {where}: {type(exc).__name__}") from None
        if value is not None and value != "":
            mask_secret(value, name)
        values[name] = value
    return values
