"""The Kubernetes Secret of one try: created for the pod's secret values, deleted in a ``finally``.

Its name is deterministic per try (:func:`~.kubernetes_pod.try_secret_name`), so a later try
removes what a crashed one left behind without listing Secrets (no list RBAC needed).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from airflow.sdk.exceptions import AirflowException
from airflow_domino_sdk.runtime import SECRETS_ENV_VAR
from kubernetes.client import models as k8s
from kubernetes.client.exceptions import ApiException

from airflow_domino_plugin.operators.kubernetes_pod import LABEL_PREFIX, MANAGED_BY, label


def secret_body(name: str, namespace: str, ctx: Mapping[str, Any], values: Mapping[str, Any]) -> k8s.V1Secret:
    """An immutable Secret holding the try's values as the one JSON variable the runtime reads."""
    payload = base64.b64encode(json.dumps(dict(values)).encode()).decode()
    return k8s.V1Secret(
        api_version="v1",
        kind="Secret",
        type="Opaque",
        immutable=True,
        metadata=k8s.V1ObjectMeta(
            name=name,
            namespace=namespace,
            labels={
                **MANAGED_BY,
                f"{LABEL_PREFIX}dag": label(ctx["dag_id"]),
                f"{LABEL_PREFIX}run": label(ctx["run_id"]),
                f"{LABEL_PREFIX}task": label(ctx["task_id"]),
                f"{LABEL_PREFIX}try": label(ctx.get("try_number", 1)),
            },
        ),
        data={SECRETS_ENV_VAR: payload},
    )


def create_try_secret(client: Any, body: k8s.V1Secret, log: Any) -> None:
    namespace, name = body.metadata.namespace, body.metadata.name
    try:
        client.create_namespaced_secret(namespace=namespace, body=body)
    except ApiException as exc:
        if exc.status != 409:  # left by an interrupted attempt of this very try: replace it
            raise AirflowException(f"Cannot create the Secret {namespace}/{name}: {exc.status} {exc.reason}") from None
        delete_secret(client, namespace, name, log)
        client.create_namespaced_secret(namespace=namespace, body=body)


def delete_secret(client: Any, namespace: str, name: str, log: Any) -> bool:
    """True when the Secret is gone (deleted now, or already)."""
    try:
        client.delete_namespaced_secret(name=name, namespace=namespace)
        log.info("Deleted Secret %s/%s", namespace, name)
    except ApiException as exc:
        if exc.status == 404:
            return True
        log.warning("Could not delete Secret %s/%s: %s %s", namespace, name, exc.status, exc.reason)
        return False
    return True


def remove_stale_secrets(client: Any, namespace: str, names: Mapping[int, str], log: Any) -> None:
    """Delete the Secrets of earlier tries ({try number: name}) a dead worker left behind."""
    for earlier, name in names.items():
        try:
            client.delete_namespaced_secret(name=name, namespace=namespace)
            log.info("Deleted Secret %s left by try %d", name, earlier)
        except ApiException as exc:
            if exc.status not in (403, 404):
                log.warning("Could not remove the Secret of try %d: %s", earlier, exc.status)
