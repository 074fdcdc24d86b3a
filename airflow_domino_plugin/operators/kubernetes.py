"""``KubernetesPieceOperator``: one ``KubernetesPodOperator`` pod per task, in the piece's group image.

What the pod looks like is :mod:`.kubernetes_pod`; the Secret that carries one try's secret values
is :mod:`.kubernetes_secrets`; how outputs and result files come back is :mod:`.kubernetes_results`.
This module resolves a try (bindings, secrets, image) and drives the three.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.sdk.exceptions import AirflowException
from kubernetes.client import models as k8s

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.execution.secrets import resolve_secrets
from airflow_domino_plugin.operators.hook import PieceHook
from airflow_domino_plugin.operators.inputs import context_for_piece, resolve_inputs
from airflow_domino_plugin.operators.kubernetes_pod import (
    KUBERNETES_SECRET_BINDING,
    PodRun,
    pod_fields,
    resource_requirements,
    split_secret_bindings,
    try_secret_name,
)
from airflow_domino_plugin.operators.kubernetes_results import (
    RESULTS_ARCHIVE_COMMAND,
    exec_in_sidecar,
    store_results_archive,
)
from airflow_domino_plugin.operators.kubernetes_secrets import (
    create_try_secret,
    delete_secret,
    remove_stale_secrets,
    secret_body,
)

__all__ = [
    "KUBERNETES_SECRET_BINDING",
    "KubernetesPieceOperator",
    "PodRun",
    "resource_requirements",
    "split_secret_bindings",
    "try_secret_name",
]


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
        kwargs.setdefault(airflow_adapter.pod_reattach_kwarg(), False)
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
        fields = pod_fields(
            run,
            piece=self.piece,
            piece_resources=self.piece_resources,
            secret_bindings=self.secret_bindings,
            workflow_id=self.workflow_id,
            revision_id=self.revision_id,
            task_id=self.task_id,
            timeout_s=self.timeout_s,
            startup_s=self._startup_s,
            secret_name=self._secret_name(),
        )
        for name, value in fields.items():
            setattr(self, name, value)

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
        name, namespace = self._secret_name(), str(self.namespace)
        create_try_secret(self.client, secret_body(name, namespace, self._run.context, values), self.log)
        self._try_secret = (namespace, name)
        self.log.info("Created Secret %s/%s for %d secret(s) of this try", namespace, name, len(values))

    def _delete_try_secret(self) -> None:
        if self._try_secret is None:
            return
        namespace, name = self._try_secret
        if delete_secret(self.client, namespace, name, self.log):
            self._try_secret = None

    def _remove_stale_secrets(self) -> None:
        """Earlier tries' Secrets survive only if their worker died; their names are known, no list needed."""
        assert self._run is not None
        current = int(self._run.context.get("try_number", 1))
        names = {earlier: self._secret_name(earlier) for earlier in range(1, current)}
        remove_stale_secrets(self.client, str(self.namespace), names, self.log)

    # --------------------------------------------------------------------- results and XCom

    def extract_xcom(self, pod: k8s.V1Pod, **kwargs: Any) -> dict[Any, Any] | None:
        """Outputs only; the whole runtime result is kept for display results and error messages."""
        archive = self._read_results_archive(pod)  # before super(), which stops the sidecar
        raw = super().extract_xcom(pod, **kwargs)
        self._runtime_result = raw if isinstance(raw, dict) else {}
        if "outputs" not in self._runtime_result:
            return None
        if archive:
            assert self._run is not None
            store_results_archive(archive, self._run.secret_values, self._run.results_uri)
        return dict(self._runtime_result.get("outputs") or {})

    def _read_results_archive(self, pod: k8s.V1Pod) -> str:
        """The pod's results folder as base64 tar text, read through the sidecar ("" if none)."""
        try:
            return self._exec_in_sidecar(pod, RESULTS_ARCHIVE_COMMAND)
        except Exception as exc:  # results are a bonus; the outputs still count
            self.log.warning("Could not read the piece's result files from the pod: %s", exc)
            return ""

    def _exec_in_sidecar(self, pod: k8s.V1Pod, command: str) -> str:
        return exec_in_sidecar(self.client, pod, command, self.log)
