"""What a task's container needs (CPU, memory, GPU) and its Kubernetes pod overrides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
)

from airflow_domino_plugin.workflows.document._base import _FORBID
from airflow_domino_plugin.workflows.fields import (
    DNS_LABEL_PATTERN,
    DNS_SUBDOMAIN_PATTERN,
    Cpu,
    Memory,
    NonEmptyText,
    NonNegativeInt,
    StrictText,
    pattern_checker,
)


class Toleration(BaseModel):
    """A Kubernetes pod toleration (same fields as the Kubernetes API, in snake_case)."""

    model_config = _FORBID

    key: StrictText | None = None
    operator: Literal["Equal", "Exists"] = "Equal"
    value: StrictText | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None
    toleration_seconds: NonNegativeInt | None = None


class Resources(BaseModel):
    """What the task's container needs, and Kubernetes pod overrides for the kubernetes runner."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"cpu": "500m", "memory": "512Mi", "gpu": 0}]}
    )

    cpu: Cpu | None = Field(default=None, description='CPU: "500m" (millicores), "2" or 0.5 (cores).')
    memory: Memory | None = Field(default=None, description='Memory as a Kubernetes quantity, e.g. "512Mi".')
    gpu: NonNegativeInt = Field(default=0, description="Number of GPUs.")
    node_selector: dict[str, str] = Field(default_factory=dict, description="Kubernetes node selector labels.")
    tolerations: list[Toleration] = Field(default_factory=list, description="Kubernetes tolerations.")
    image_pull_secrets: list[NonEmptyText] = Field(
        default_factory=list, description="Names of Kubernetes image pull secrets."
    )
    namespace: (
        Annotated[
            str,
            Strict(),
            pattern_checker(DNS_LABEL_PATTERN, "invalid_namespace", "a Kubernetes namespace (DNS label)"),
        ]
        | None
    ) = Field(default=None, description="Kubernetes namespace of the pod.")
    service_account: (
        Annotated[
            str,
            Strict(),
            pattern_checker(DNS_SUBDOMAIN_PATTERN, "invalid_service_account", "a Kubernetes service account name"),
        ]
        | None
    ) = Field(default=None, description="Kubernetes service account of the pod.")
