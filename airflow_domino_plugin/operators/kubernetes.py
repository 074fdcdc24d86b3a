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

import base64
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.pod_generator import make_safe_label_value
from airflow.providers.cncf.kubernetes.utils.xcom_sidecar import PodDefaults
from airflow.providers.cncf.kubernetes.version_compat import AIRFLOW_V_3_3_PLUS
from airflow.sdk.exceptions import AirflowException
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR, SECRETS_ENV_VAR
from kubernetes.client import models as k8s
from kubernetes.client.exceptions import ApiException

from airflow_domino_plugin import config
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.execution.runners.injection import INJECTED_SDK_DIR, init_copy_command, runtime_env
from airflow_domino_plugin.execution.secrets import resolve_secrets
from airflow_domino_plugin.operators.hook import PieceHook
from airflow_domino_plugin.operators.inputs import context_for_piece, resolve_inputs

__all__ = [
    "KUBERNETES_SECRET_BINDING",
    "KubernetesPieceOperator",
    "PodRun",
    "resource_requirements",
    "split_secret_bindings",
    "try_secret_name",
]

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


def _label(value: Any) -> str:
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


# ----------------------------------------------------------------------------- the operator


class KubernetesPieceOperator(KubernetesPodOperator):
    """Runs one piece in its own pod; takes the same arguments as ``PieceOperator``.

    ``secrets`` (bindings) is kept as :attr:`secret_bindings` and ``resources`` as
    :attr:`piece_resources`, because ``KubernetesPodOperator``/``BaseOperator`` own those names.
    Nothing is templated: inputs are user data, and Jinja must not run over them.
    """

    template_fields: Sequence[str] = ()
    ui_color = "#e3f4ea"

    def __init__(
        self,
        *,
        piece: dict[str, str],
        inputs: dict[str, Any] | None = None,
        secrets: dict[str, dict[str, Any]] | None = None,
        runner: str = "kubernetes",
        resources: dict[str, Any] | None = None,
        workflow_id: str = "",
        revision_id: int = 0,
        timeout_s: int | None = None,
        mapped_upstreams: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        startup_s = int(kwargs.pop("startup_timeout_seconds", 120))
        if timeout_s and "execution_timeout" not in kwargs:
            # The pod's activeDeadlineSeconds enforces timeout_s; Airflow's timeout is a backstop.
            kwargs["execution_timeout"] = timedelta(seconds=timeout_s + startup_s + 120)
        # A pod from an earlier try ran another request with another Secret: never reattach to it.
        kwargs.setdefault("durable" if AIRFLOW_V_3_3_PLUS else "reattach_on_restart", False)
        super().__init__(
            do_xcom_push=True,  # the result comes back through the sidecar
            deferrable=False,  # the try's Secret lives exactly as long as execute()
            get_logs=True,
            log_pod_spec_on_failure=False,
            automount_service_account_token=False,  # pieces get no Kubernetes API token
            startup_timeout_seconds=startup_s,
            **kwargs,
        )
        self.piece = dict(piece)
        self.inputs = dict(inputs or {})
        self.secret_bindings = {name: dict(binding) for name, binding in (secrets or {}).items()}
        split_secret_bindings(self.secret_bindings)  # a malformed binding fails the parse, not the run
        self.runner = runner
        self.piece_resources = dict(resources or {})
        self.workflow_id = workflow_id
        self.revision_id = revision_id
        self.timeout_s = timeout_s
        # Upstream for-each tasks whose outputs arrive as lists (read by resolve_inputs).
        self.mapped_upstreams = list(mapped_upstreams or [])
        self.for_each_input: str | None = None  # for_each runs on the subprocess runner only
        self.for_each_item: Any = None
        self.branch: dict[str, Any] | None = None  # and so does branch
        self._startup_s = startup_s
        self._run: PodRun | None = None
        self._try_secret: tuple[str, str] | None = None  # (namespace, name) while it exists
        self._runtime_result: dict[str, Any] = {}

    # --------------------------------------------------------------------- building the pod

    def apply_run(self, run: PodRun) -> None:
        """Set every pod field from ``run`` and ``[domino]`` config (no I/O), ready for
        ``build_pod_request_obj``; tests call it directly."""
        self._run = run
        ctx = run.context
        request = json.dumps(run.request(), separators=(",", ":"))
        if len(request.encode()) > MAX_REQUEST_BYTES:
            raise AirflowException(
                f"The inputs of {run.piece_name} take {len(request.encode())} bytes, more than a pod annotation "
                f"can carry ({MAX_REQUEST_BYTES}); pass large data through files in results storage"
            )
        res = self.piece_resources
        self.image = run.image
        self.namespace = res.get("namespace") or config.get("kubernetes_namespace")
        self.service_account_name = res.get("service_account") or config.get("kubernetes_service_account") or None
        self.node_selector = dict(res.get("node_selector") or {})
        self.tolerations = [k8s.V1Toleration(**t) for t in res.get("tolerations") or []]
        pull = dict.fromkeys([*_csv(config.get("kubernetes_image_pull_secrets")), *res.get("image_pull_secrets", [])])
        self.image_pull_secrets = [k8s.V1LocalObjectReference(name=name) for name in pull]
        self.container_resources = resource_requirements(
            res, run.piece_resources, config.get("kubernetes_gpu_resource_name")
        )
        if self.timeout_s:
            self.active_deadline_seconds = int(self.timeout_s) + self._startup_s
        self.labels = {
            **MANAGED_BY,
            f"{LABEL_PREFIX}workflow": _label(self.workflow_id),
            f"{LABEL_PREFIX}revision": _label(self.revision_id),
            f"{LABEL_PREFIX}task": _label(self.task_id),
            f"{LABEL_PREFIX}repository": _label(self.piece.get("repository", "")),
            f"{LABEL_PREFIX}piece": _label(run.piece_name),
            f"{LABEL_PREFIX}run": _label(ctx.get("run_id", "")),
            f"{LABEL_PREFIX}try": _label(ctx.get("try_number", 1)),
        }
        self.annotations = {REQUEST_ANNOTATION: request}
        self.volumes = [
            k8s.V1Volume(
                name="domino-request",
                downward_api=k8s.V1DownwardAPIVolumeSource(
                    items=[
                        k8s.V1DownwardAPIVolumeFile(
                            path=Path(REQUEST_FILE).name,
                            field_ref=k8s.V1ObjectFieldSelector(
                                field_path=f"metadata.annotations['{REQUEST_ANNOTATION}']"
                            ),
                        )
                    ]
                ),
            )
        ]
        # The SDK runtime is injected: an init container copies it into an emptyDir that the piece's
        # container mounts read-only and has on PYTHONPATH, so images without the SDK run.
        self.volumes.append(k8s.V1Volume(name=SDK_VOLUME, empty_dir=k8s.V1EmptyDirVolumeSource()))
        self.volume_mounts = [
            k8s.V1VolumeMount(name="domino-request", mount_path=REQUEST_DIR, read_only=True),
            k8s.V1VolumeMount(name=SDK_VOLUME, mount_path=INJECTED_SDK_DIR, read_only=True),
        ]
        self.init_containers = [
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
        _, existing = split_secret_bindings(self.secret_bindings)
        if run.secret_values:
            name = self._secret_name()
            env.append(
                k8s.V1EnvVar(
                    name=SECRETS_ENV_VAR,
                    value_from=k8s.V1EnvVarSource(
                        secret_key_ref=k8s.V1SecretKeySelector(name=name, key=SECRETS_ENV_VAR)
                    ),
                )
            )
        for secret_name, (secret, key) in existing.items():
            env.append(
                k8s.V1EnvVar(
                    name=f"{SECRET_ENV_PREFIX}{secret_name}",
                    value_from=k8s.V1EnvVarSource(secret_key_ref=k8s.V1SecretKeySelector(name=secret, key=key)),
                )
            )
        self.env_vars = env
        self.cmds = ["python", "-c", _BOOTSTRAP] if existing else ["python", "-m", RUNTIME_MODULE]
        self.arguments = ["--request", REQUEST_FILE, "--result", RESULT_FILE]

    def _secret_name(self, try_number: int | None = None) -> str:
        assert self._run is not None
        ctx = self._run.context
        return try_secret_name(
            ctx["dag_id"],
            ctx["run_id"],
            ctx["task_id"],
            try_number if try_number is not None else int(ctx.get("try_number", 1)),
            int(ctx.get("map_index", -1)),
        )

    # --------------------------------------------------------------------- running

    def resolve_run(self, context: Any) -> PodRun:
        """Bindings -> values for this try: DB lookup, XCom pulls, Variables/Connections."""
        hook = PieceHook()
        group, image, piece_resources = hook.image_and_resources(self.piece)
        if not image:
            raise AirflowException(
                f"Piece {self.piece['name']} of {self.piece['repository']} {self.piece['version']} has no image "
                f"(dependency group {group or '?'!r} names no source_image); build and push the images with "
                "`domino-pieces build-images`"
            )
        inputs = resolve_inputs(self, context)
        airflow_bindings, _ = split_secret_bindings(self.secret_bindings)
        secret_values = resolve_secrets(airflow_bindings)
        run_context = context_for_piece(context)
        results_uri = hook.results_uri(run_context)
        return PodRun(
            piece_name=self.piece["name"],
            image=image,
            inputs=inputs,
            context=run_context,
            results_uri=results_uri,
            secret_values=secret_values,
            piece_resources=piece_resources,
        )

    def execute(self, context: Any) -> Any:
        run = self.resolve_run(context)
        self.apply_run(run)
        self.pod_request_obj = None  # built by super().execute from the fields just set
        self.log.info(
            "Running %s from %s %s in a pod (image %s, namespace %s)",
            run.piece_name,
            self.piece.get("repository"),
            self.piece.get("version"),
            run.image,
            self.namespace,
        )
        self._runtime_result = {}
        try:
            self._remove_stale_secrets()
            if run.secret_values:
                self._create_try_secret(run.secret_values)
            try:
                outputs = super().execute(context)
            except Exception as exc:
                message = self._failure_message()
                if message:
                    raise AirflowException(message) from exc
                raise
        finally:
            self._delete_try_secret()
        return self._finish(context, outputs)

    def on_kill(self) -> None:
        try:
            super().on_kill()
        finally:
            self._delete_try_secret()

    def _finish(self, context: Any, outputs: Any) -> dict[str, Any]:
        assert self._run is not None
        PieceHook().push_result_refs(context["ti"], self._run.results_uri, self._runtime_result.get("display_result"))
        result = Masker.of_secrets(self._run.secret_values).value(dict(outputs or {}))  # never a secret in XCom
        self.log.info("Piece %s finished with outputs: %s", self._run.piece_name, ", ".join(result) or "none")
        return result

    def _failure_message(self) -> str | None:
        name = self._run.piece_name if self._run else self.piece.get("name")
        reason = getattr(getattr(self.remote_pod, "status", None), "reason", None)
        if reason == "DeadlineExceeded":
            return f"Piece {name} timed out after {self.timeout_s}s (pod activeDeadlineSeconds) and was killed"
        error = self._runtime_result.get("error")
        if not isinstance(error, dict):
            return None
        details = "; ".join(
            f"{e.get('path')}: {e.get('message')}" for e in error.get("errors") or [] if isinstance(e, dict)
        )
        message = f"Piece {name} failed ({error.get('type') or 'error'}): {error.get('message') or ''}".rstrip(": ")
        return f"{message} [{details}]" if details else message

    # --------------------------------------------------------------------- the try's Secret

    def _create_try_secret(self, values: dict[str, Any]) -> None:
        assert self._run is not None
        name, namespace, ctx = self._secret_name(), str(self.namespace), self._run.context
        payload = base64.b64encode(json.dumps(values).encode()).decode()
        body = k8s.V1Secret(
            api_version="v1",
            kind="Secret",
            type="Opaque",
            immutable=True,
            metadata=k8s.V1ObjectMeta(
                name=name,
                namespace=namespace,
                labels={
                    **MANAGED_BY,
                    f"{LABEL_PREFIX}dag": _label(ctx["dag_id"]),
                    f"{LABEL_PREFIX}run": _label(ctx["run_id"]),
                    f"{LABEL_PREFIX}task": _label(ctx["task_id"]),
                    f"{LABEL_PREFIX}try": _label(ctx.get("try_number", 1)),
                },
            ),
            data={SECRETS_ENV_VAR: payload},
        )
        try:
            self.client.create_namespaced_secret(namespace=namespace, body=body)
        except ApiException as exc:
            if exc.status != 409:  # left by an interrupted attempt of this very try: replace it
                raise AirflowException(
                    f"Cannot create the Secret {namespace}/{name}: {exc.status} {exc.reason}"
                ) from None
            self._delete_secret(namespace, name)
            self.client.create_namespaced_secret(namespace=namespace, body=body)
        self._try_secret = (namespace, name)
        self.log.info("Created Secret %s/%s for %d secret(s) of this try", namespace, name, len(values))

    def _delete_try_secret(self) -> None:
        if self._try_secret is None:
            return
        namespace, name = self._try_secret
        if self._delete_secret(namespace, name):
            self._try_secret = None

    def _delete_secret(self, namespace: str, name: str) -> bool:
        try:
            self.client.delete_namespaced_secret(name=name, namespace=namespace)
            self.log.info("Deleted Secret %s/%s", namespace, name)
        except ApiException as exc:
            if exc.status == 404:
                return True
            self.log.warning("Could not delete Secret %s/%s: %s %s", namespace, name, exc.status, exc.reason)
            return False
        return True

    def _remove_stale_secrets(self) -> None:
        """Earlier tries' Secrets survive only if their worker died; their names are known, no list needed."""
        assert self._run is not None
        current = int(self._run.context.get("try_number", 1))
        for earlier in range(1, current):
            try:
                self.client.delete_namespaced_secret(name=self._secret_name(earlier), namespace=str(self.namespace))
                self.log.info("Deleted Secret %s left by try %d", self._secret_name(earlier), earlier)
            except ApiException as exc:
                if exc.status not in (403, 404):
                    self.log.warning("Could not remove the Secret of try %d: %s", earlier, exc.status)

    # --------------------------------------------------------------------- results and XCom

    def extract_xcom(self, pod: k8s.V1Pod, **kwargs: Any) -> dict[Any, Any] | None:
        """Outputs only; the whole runtime result is kept for display results and error messages."""
        archive = self._read_results_archive(pod)  # before super(), which stops the sidecar
        raw = super().extract_xcom(pod, **kwargs)
        self._runtime_result = raw if isinstance(raw, dict) else {}
        if "outputs" not in self._runtime_result:
            return None
        if archive:
            self._upload_results(archive)
        return dict(self._runtime_result.get("outputs") or {})

    def _read_results_archive(self, pod: k8s.V1Pod) -> str:
        """The pod's results folder as base64 tar text, read through the sidecar ("" if none)."""
        command = (
            f"cd {RESULTS_DIR} 2>/dev/null || exit 0; "
            f'[ "$(du -sk . | cut -f1)" -le {MAX_RESULTS_KIB} ] || '
            f"{{ echo 'results exceed {MAX_RESULTS_KIB // 1024} MiB, not copied' >&2; exit 0; }}; "
            "tar cf - . | base64"
        )
        try:
            return self._exec_in_sidecar(pod, command)
        except Exception as exc:  # results are a bonus; the outputs still count
            self.log.warning("Could not read the piece's result files from the pod: %s", exc)
            return ""

    def _exec_in_sidecar(self, pod: k8s.V1Pod, command: str) -> str:
        from kubernetes.stream import stream

        with closing(
            stream(
                self.client.connect_get_namespaced_pod_exec,
                pod.metadata.name,
                pod.metadata.namespace,
                container=PodDefaults.SIDECAR_CONTAINER_NAME,
                command=["/bin/sh", "-c", command],
                stdin=False,
                stdout=True,
                stderr=True,
                tty=False,
                _preload_content=False,
            )
        ) as client:
            client.run_forever(timeout=300)
            stderr = client.read_stderr() if client.peek_stderr() else ""
            if stderr:
                self.log.warning("Reading result files: %s", stderr.strip())
            return str(client.read_stdout() or "") if client.peek_stdout() else ""

    def _upload_results(self, archive: str) -> None:
        assert self._run is not None
        scratch = Path(tempfile.mkdtemp(prefix="domino-k8s-results-"))
        try:
            with tarfile.open(fileobj=io.BytesIO(base64.b64decode(archive)), mode="r:") as tar:
                tar.extractall(scratch, filter="data")
            Masker.of_secrets(self._run.secret_values).folder(scratch)  # no secret value in results storage
            PieceHook().upload_results(scratch, self._run.results_uri)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
