"""Differences between provider releases that the providers' public classes do not tell apart."""

from __future__ import annotations

import importlib.util

from airflow_domino_plugin.airflow_adapter._compat import accepts


def pod_reattach_kwarg() -> str:
    """The ``KubernetesPodOperator`` keyword that controls reattaching to an earlier try's pod.

    ``durable`` (Airflow 3.3+, backed by the task state store) supersedes ``reattach_on_restart``;
    below 3.3 ``durable`` is accepted but ignored, so the provider's own switch decides, with a
    feature check (the keyword and the task state store both exist) if that switch ever moves.
    """
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    try:
        from airflow.providers.cncf.kubernetes.version_compat import AIRFLOW_V_3_3_PLUS
    except ImportError:
        durable = accepts(KubernetesPodOperator.__init__, "durable") and (
            importlib.util.find_spec("airflow.models.task_state_store") is not None
        )
    else:
        durable = AIRFLOW_V_3_3_PLUS
    return "durable" if durable else "reattach_on_restart"
