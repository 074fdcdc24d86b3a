"""The ``kubernetes`` runner: one ``KubernetesPodOperator`` pod per task, in the piece's group image.

Everything a pod needs is resolved when the task runs (the DAG only carries bindings):

- the image is the piece's dependency-group image (``source_image`` in the repository's
  ``dependencies_map``) and the command is the SDK runtime, so pods behave exactly like the local
  runner. The image needs only Python, pydantic, the group's requirements and the repository at
  ``IMAGE_REPOSITORY_DIR``: an init container (``[domino] kubernetes_runtime_image``) copies the SDK
  into an ``emptyDir`` mounted read-only on ``PYTHONPATH`` (see :mod:`.injection`);
- the runtime request (inputs, context, results path; never secrets) travels in a pod annotation
  that a downward-API volume turns into the request file: no shell in the image, no ConfigMap
  RBAC, and no ``$(VAR)`` expansion of user data as there would be in an env value;
- secret values go into a Kubernetes Secret created for this try only and read by the runtime
  from ``DOMINO_PIECE_SECRETS`` through ``secretKeyRef``; the Secret is deleted in a ``finally``.
  A binding ``{"kubernetes_secret": name, "key": k}`` references an existing Secret instead;
- the runtime writes its result to ``/airflow/xcom/return.json`` and its files below
  ``/airflow/xcom/results``; the XCom sidecar hands both back before the pod is deleted. XCom
  gets the outputs only, plus ``results_uri`` and ``display_result`` like the local runner.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow.providers.cncf.kubernetes.pod_generator import make_safe_label_value
from airflow.providers.cncf.kubernetes.utils.xcom_sidecar import PodDefaults
from airflow.sdk.exceptions import AirflowException
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR, SECRETS_ENV_VAR
from kubernetes.client import models as k8s

from airflow_domino_plugin import config
from airflow_domino_plugin.execution.runners.injection import INJECTED_SDK_DIR, init_copy_command, runtime_env

#: Binding form naming an existing Kubernetes Secret: ``{"kubernetes_secret": "name", "key": "k"}``.
KUBERNETES_SECRET_BINDING = "kubernetes_secret"
RUNTIME_MODULE = "airflow_domino_sdk.runtime"
SDK_VOLUME = "domino-sdk"
LABEL_PREFIX = "airflow-domino/"
REQUEST_ANNOTATION = f"{LABEL_PREFIX}request"
REQUEST_DIR = "/etc/domino"
REQUEST_FILE = f"{REQUEST_DIR}/request.json"
RESULT_FILE = f"{PodDefaults.XCOM_MOUNT_PATH}/return.json"
RESULTS_DIR = f"{PodDefaults.XCOM_MOUNT_PATH}/results"
#: Env var prefix for values of existing Kubernetes Secrets; the bootstrap folds them into SECRETS_ENV_VAR.
SECRET_ENV_PREFIX = "DOMINO_PIECE_SECRET__"
#: Annotations may total 256 KiB per object; keep room for the others.
MAX_REQUEST_BYTES = 200 * 1024
#: Results copied back through the sidecar are base64 text in memory: keep them modest.
MAX_RESULTS_KIB = 64 * 1024
MANAGED_BY = {"app.kubernetes.io/managed-by": "airflow-domino-plugin"}

# Run only when a task references existing Kubernetes Secrets: the runtime reads one JSON
# variable, and only code inside the pod can merge values it never sees into it.
_BOOTSTRAP = f"""\
import json, os, runpy, sys
secrets = json.loads(os.environ.get({SECRETS_ENV_VAR!r}) or "{{}}")
for key in [k for k in os.environ if k.startswith({SECRET_ENV_PREFIX!r})]:
    secrets[key[{len(SECRET_ENV_PREFIX)}:]] = os.environ.pop(key)
os.environ[{SECRETS_ENV_VAR!r}] = json.dumps(secrets)
sys.argv[0] = {RUNTIME_MODULE!r}
runpy.run_module({RUNTIME_MODULE!r}, run_name="__main__", alter_sys=True)
"""


@dataclass
class PodRun:
    """What one try needs, resolved at run time; :meth:`KubernetesPieceOperator.apply_run` is pure."""

    piece_name: str
    image: str
    inputs: dict[str, Any]
    context: dict[str, Any]
    results_uri: str
    secret_values: dict[str, Any] = field(default_factory=dict)
    piece_resources: dict[str, Any] = field(default_factory=dict)

    def request(self) -> dict[str, Any]:
        """The runtime request: no secrets (they come from the environment)."""
        return {
            "piece_dir": f"{IMAGE_REPOSITORY_DIR}/pieces/{self.piece_name}",
            "piece_name": self.piece_name,
            "inputs": self.inputs,
            "results_path": RESULTS_DIR,
            "context": self.context,
        }


# ----------------------------------------------------------------------------- pure helpers


def split_secret_bindings(
    bindings: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str]]]:
    """(Variable/Connection bindings, {NAME: (existing Secret, key)}) — the latter are never read here."""
    airflow: dict[str, dict[str, Any]] = {}
    existing: dict[str, tuple[str, str]] = {}
    for name, binding in bindings.items():
        if KUBERNETES_SECRET_BINDING in binding:
            secret, key = binding.get(KUBERNETES_SECRET_BINDING), binding.get("key")
            if not isinstance(secret, str) or not secret or not isinstance(key, str) or not key:
                raise AirflowException(
                    f'Secret {name}: a kubernetes_secret binding needs {{"kubernetes_secret": name, "key": key}}'
                )
            existing[name] = (secret, key)
        else:
            airflow[name] = dict(binding)
    return airflow, existing


def _cpu(value: str | float) -> str:
    """Kubernetes CPU quantity: strings ("500m", "2") as given, numbers as cores (0.5 -> "500m")."""
    if isinstance(value, str):
        return value
    return f"{round(float(value) * 1000)}m"


def resource_requirements(
    task: Mapping[str, Any], piece: Mapping[str, Any], gpu_resource_name: str
) -> k8s.V1ResourceRequirements | None:
    """Requests/limits: the piece's ``container_resources`` (millicores, MiB) as defaults; a task's
    ``cpu``/``memory`` sets both request and limit; GPUs = max(task ``gpu``, 1 if the piece needs one)."""
    requests: dict[str, str] = {}
    limits: dict[str, str] = {}
    for target, source in ((requests, piece.get("requests") or {}), (limits, piece.get("limits") or {})):
        if source.get("cpu") is not None:
            target["cpu"] = f"{int(source['cpu'])}m"
        if source.get("memory") is not None:
            target["memory"] = f"{int(source['memory'])}Mi"
    if task.get("cpu") is not None:
        requests["cpu"] = limits["cpu"] = _cpu(task["cpu"])
    if task.get("memory") is not None:
        requests["memory"] = limits["memory"] = str(task["memory"])
    gpus = max(int(task.get("gpu") or 0), 1 if piece.get("use_gpu") else 0)
    if gpus:
        requests[gpu_resource_name] = limits[gpu_resource_name] = str(gpus)
    if not requests and not limits:
        return None
    return k8s.V1ResourceRequirements(requests=requests or None, limits=limits or None)


def _dns_part(text: str, size: int) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", text.lower()))[:size].strip("-")


def try_secret_name(dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int = -1) -> str:
    """Deterministic per try, so a later try can remove what a crashed one left behind."""
    digest = hashlib.sha256(f"{dag_id}\0{run_id}\0{task_id}\0{map_index}".encode()).hexdigest()[:12]
    return f"domino-{_dns_part(task_id, 40) or 'task'}-{digest}-try{try_number}"


def label(value: Any) -> str:
    return make_safe_label_value(str(value))


def _literal_env(name: str, value: str) -> k8s.V1EnvVar:
    # Kubernetes expands $(VAR) in env values; "$$" is its escape for a literal "$".
    return k8s.V1EnvVar(name=name, value=value.replace("$", "$$"))


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def runtime_image() -> str:
    """The init container's image: ``[domino] kubernetes_runtime_image``, else the KubernetesExecutor
    worker image (the plugin's own image in a Helm deployment)."""
    image = config.get("kubernetes_runtime_image")
    if image:
        return image
    from airflow.configuration import conf

    repository = conf.get("kubernetes_executor", "worker_container_repository", fallback="") or ""
    tag = conf.get("kubernetes_executor", "worker_container_tag", fallback="") or ""
    if repository:
        return f"{repository}:{tag}" if tag else repository
    raise AirflowException(
        "[domino] kubernetes_runtime_image is not set and there is no [kubernetes_executor] "
        "worker_container_repository to default to: set it to an image with airflow-domino-sdk (the plugin's image)"
    )


def pod_fields(
    run: PodRun,
    *,
    piece: Mapping[str, str],
    piece_resources: Mapping[str, Any],
    secret_bindings: Mapping[str, Mapping[str, Any]],
    workflow_id: str,
    revision_id: int,
    task_id: str,
    timeout_s: int | None,
    startup_s: int,
    secret_name: str,
) -> dict[str, Any]:
    """The ``KubernetesPodOperator`` fields of one try, from ``run`` and ``[domino]`` config (no I/O)."""
    ctx = run.context
    fields: dict[str, Any] = {}
    request = json.dumps(run.request(), separators=(",", ":"))
    if len(request.encode()) > MAX_REQUEST_BYTES:
        raise AirflowException(
            f"The inputs of {run.piece_name} take {len(request.encode())} bytes, more than a pod annotation "
            f"can carry ({MAX_REQUEST_BYTES}); pass large data through files in results storage"
        )
    res = piece_resources
    fields["image"] = run.image
    fields["namespace"] = res.get("namespace") or config.get("kubernetes_namespace")
    fields["service_account_name"] = res.get("service_account") or config.get("kubernetes_service_account") or None
    fields["node_selector"] = dict(res.get("node_selector") or {})
    fields["tolerations"] = [k8s.V1Toleration(**t) for t in res.get("tolerations") or []]
    pull = dict.fromkeys([*_csv(config.get("kubernetes_image_pull_secrets")), *res.get("image_pull_secrets", [])])
    fields["image_pull_secrets"] = [k8s.V1LocalObjectReference(name=name) for name in pull]
    fields["container_resources"] = resource_requirements(
        res, run.piece_resources, config.get("kubernetes_gpu_resource_name")
    )
    if timeout_s:
        fields["active_deadline_seconds"] = int(timeout_s) + startup_s
    fields["labels"] = {
        **MANAGED_BY,
        f"{LABEL_PREFIX}workflow": label(workflow_id),
        f"{LABEL_PREFIX}revision": label(revision_id),
        f"{LABEL_PREFIX}task": label(task_id),
        f"{LABEL_PREFIX}repository": label(piece.get("repository", "")),
        f"{LABEL_PREFIX}piece": label(run.piece_name),
        f"{LABEL_PREFIX}run": label(ctx.get("run_id", "")),
        f"{LABEL_PREFIX}try": label(ctx.get("try_number", 1)),
    }
    fields["annotations"] = {REQUEST_ANNOTATION: request}
    fields["volumes"] = [
        k8s.V1Volume(
            name="domino-request",
            downward_api=k8s.V1DownwardAPIVolumeSource(
                items=[
                    k8s.V1DownwardAPIVolumeFile(
                        path=Path(REQUEST_FILE).name,
                        field_ref=k8s.V1ObjectFieldSelector(field_path=f"metadata.annotations['{REQUEST_ANNOTATION}']"),
                    )
                ]
            ),
        )
    ]
    # The SDK runtime is injected: an init container copies it into an emptyDir that the piece's
    # container mounts read-only and has on PYTHONPATH, so images without the SDK run.
    fields["volumes"].append(k8s.V1Volume(name=SDK_VOLUME, empty_dir=k8s.V1EmptyDirVolumeSource()))
    fields["volume_mounts"] = [
        k8s.V1VolumeMount(name="domino-request", mount_path=REQUEST_DIR, read_only=True),
        k8s.V1VolumeMount(name=SDK_VOLUME, mount_path=INJECTED_SDK_DIR, read_only=True),
    ]
    fields["init_containers"] = [
        k8s.V1Container(
            name=SDK_VOLUME,
            image=runtime_image(),
            command=init_copy_command(),
            volume_mounts=[k8s.V1VolumeMount(name=SDK_VOLUME, mount_path=INJECTED_SDK_DIR)],
            resources=k8s.V1ResourceRequirements(
                requests={"cpu": "50m", "memory": "64Mi"}, limits={"cpu": "500m", "memory": "256Mi"}
            ),
        )
    ]
    env = [
        *(_literal_env(name, value) for name, value in runtime_env().items()),
        _literal_env("DOMINO_STORAGE_URL", config.get("storage_url")),
        _literal_env("DOMINO_RESULTS_URI", run.results_uri),
    ]
    _, existing = split_secret_bindings(secret_bindings)
    if run.secret_values:
        name = secret_name
        env.append(
            k8s.V1EnvVar(
                name=SECRETS_ENV_VAR,
                value_from=k8s.V1EnvVarSource(secret_key_ref=k8s.V1SecretKeySelector(name=name, key=SECRETS_ENV_VAR)),
            )
        )
    for secret_name, (secret, key) in existing.items():
        env.append(
            k8s.V1EnvVar(
                name=f"{SECRET_ENV_PREFIX}{secret_name}",
                value_from=k8s.V1EnvVarSource(secret_key_ref=k8s.V1SecretKeySelector(name=secret, key=key)),
            )
        )
    fields["env_vars"] = env
    fields["cmds"] = ["python", "-c", _BOOTSTRAP] if existing else ["python", "-m", RUNTIME_MODULE]
    fields["arguments"] = ["--request", REQUEST_FILE, "--result", RESULT_FILE]
    return fields
