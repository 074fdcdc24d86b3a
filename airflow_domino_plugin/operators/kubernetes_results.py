"""How a pod's outputs and result files come back: the XCom sidecar hands over the runtime's result,
and the results folder is read through it as a tar before the pod is deleted."""

from __future__ import annotations

import base64
import io
import shutil
import tarfile
import tempfile
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from airflow.providers.cncf.kubernetes.utils.xcom_sidecar import PodDefaults
from kubernetes.client import models as k8s

from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.operators.hook import PieceHook
from airflow_domino_plugin.operators.kubernetes_pod import MAX_RESULTS_KIB, RESULTS_DIR

#: Run in the sidecar: the results folder as base64 tar text, nothing when absent or too large.
RESULTS_ARCHIVE_COMMAND = (
    f"cd {RESULTS_DIR} 2>/dev/null || exit 0; "
    f'[ "$(du -sk . | cut -f1)" -le {MAX_RESULTS_KIB} ] || '
    f"{{ echo 'results exceed {MAX_RESULTS_KIB // 1024} MiB, not copied' >&2; exit 0; }}; "
    "tar cf - . | base64"
)


def exec_in_sidecar(client: Any, pod: k8s.V1Pod, command: str, log: Any) -> str:
    """The stdout of ``command`` run in the pod's XCom sidecar (its stderr goes to the task log)."""
    from kubernetes.stream import stream

    with closing(
        stream(
            client.connect_get_namespaced_pod_exec,
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
    ) as session:
        session.run_forever(timeout=300)
        stderr = session.read_stderr() if session.peek_stderr() else ""
        if stderr:
            log.warning("Reading result files: %s", stderr.strip())
        return str(session.read_stdout() or "") if session.peek_stdout() else ""


def store_results_archive(archive: str, secret_values: Mapping[str, Any], results_uri: str) -> None:
    """Unpack the archive, mask secret values in it, and upload it to the task's results folder."""
    scratch = Path(tempfile.mkdtemp(prefix="domino-k8s-results-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(base64.b64decode(archive)), mode="r:") as tar:
            tar.extractall(scratch, filter="data")
        Masker.of_secrets(dict(secret_values)).folder(scratch)  # no secret value in results storage
        PieceHook().upload_results(scratch, results_uri)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
