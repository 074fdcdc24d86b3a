"""The kubernetes runner without a cluster: pod specs against the API schemas, the try's Secret
against a local HTTP server speaking the Kubernetes API, and the pod's command run locally."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.utils.pod_manager import PodManager
from airflow.sdk.exceptions import AirflowException
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR, SECRETS_ENV_VAR
from kubernetes.client import ApiClient, Configuration, CoreV1Api

from airflow_domino_plugin.operators.hook import PieceHook
from airflow_domino_plugin.operators.kubernetes import (
    KubernetesPieceOperator,
    PodRun,
    resource_requirements,
    try_secret_name,
)
from airflow_domino_plugin.operators.piece import PieceOperator, piece_operator_class

CANARY = "canary-7f3e9b2c-secret-value"
KUBERNETES_VERSIONS = ("1.28.0", kubernetes_validate.latest_version())
FIXTURE_REPO = Path(__file__).resolve().parents[2] / "fixtures" / "domino_style_repo"
IMAGE = "ghcr.io/acme/pieces:1.2.0-group0"
PIECE = {"repository": "acme/pieces", "version": "1.2.0", "name": "SecretGreetingPiece"}
PIECE_RESOURCES = {"requests": {"cpu": 100, "memory": 128}, "limits": {"cpu": 500, "memory": 512}, "use_gpu": False}


class FakeTI:
    def __init__(
        self,
        dag_id: str = "wf_orders",
        task_id: str = "greet",
        run_id: str = "manual__2026-01-01T00:00:00+00:00",
        try_number: int = 1,
        upstream: dict[str, Any] | None = None,
    ) -> None:
        self.dag_id, self.task_id, self.run_id, self.try_number = dag_id, task_id, run_id, try_number
        self.map_index = -1
        self.upstream = upstream or {}
        self.pushed: dict[str, Any] = {}

    def xcom_pull(self, task_ids: str, key: str = "return_value") -> Any:
        return self.upstream.get(task_ids)

    def xcom_push(self, key: str, value: Any) -> None:
        self.pushed[key] = value


def make_operator(**overrides: Any) -> KubernetesPieceOperator:
    kwargs: dict[str, Any] = {
        "task_id": "greet",
        "piece": PIECE,
        "inputs": {"name": {"$param": "who"}},
        "secrets": {"GREETING_API_TOKEN": {"variable": "greeting_token"}},
        "resources": {},
        "workflow_id": "wf_orders",
        "revision_id": 7,
        "timeout_s": 600,
    }
    kwargs.update(overrides)
    return KubernetesPieceOperator(**kwargs)


def make_run(op: KubernetesPieceOperator, secret_values: dict[str, Any] | None = None, **overrides: Any) -> PodRun:
    ti = FakeTI()
    fields: dict[str, Any] = {
        "piece_name": op.piece["name"],
        "image": IMAGE,
        "inputs": {"name": "Ada", "note": "costs $(HOME) and {{ ds }}"},
        "context": {
            "dag_id": ti.dag_id,
            "run_id": ti.run_id,
            "task_id": ti.task_id,
            "try_number": 1,
            "logical_date": None,
        },
        "results_uri": "file:///results/wf_orders/run/greet",
        "secret_values": {"GREETING_API_TOKEN": CANARY} if secret_values is None else secret_values,
        "piece_resources": PIECE_RESOURCES,
    }
    fields.update(overrides)
    return PodRun(**fields)


def built_pod(op: KubernetesPieceOperator, run: PodRun) -> dict[str, Any]:
    op.apply_run(run)
    pod = op.build_pod_request_obj(context=None, dry_run=True)
    data: dict[str, Any] = ApiClient().sanitize_for_serialization(pod)
    for version in KUBERNETES_VERSIONS:
        kubernetes_validate.validate(data, version, strict=True)
    return data


def base_container(pod: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in pod["spec"]["containers"] if c["name"] == "base")


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


# ------------------------------------------------------------------------------------ pod spec


@pytest.mark.usefixtures("domino_config")
def test_pod_spec_from_config_is_valid_and_holds_no_secret() -> None:
    op = make_operator()
    pod = built_pod(op, make_run(op))
    text = json.dumps(pod)
    assert CANARY not in text
    assert base64.b64encode(CANARY.encode()).decode() not in text

    base = base_container(pod)
    assert base["image"] == IMAGE
    assert base["command"] == ["python", "-m", "airflow_domino_sdk.runtime"]
    assert base["args"] == ["--request", "/etc/domino/request.json", "--result", "/airflow/xcom/return.json"]
    assert base["resources"] == {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"cpu": "500m", "memory": "512Mi"},
    }
    spec = pod["spec"]
    assert pod["metadata"]["namespace"] == "domino-pieces"
    assert spec["serviceAccountName"] == "domino-piece"
    assert spec["automountServiceAccountToken"] is False
    assert spec["imagePullSecrets"] == [{"name": "regcred"}, {"name": "ghcr"}]
    assert spec["activeDeadlineSeconds"] == 600 + 120
    assert spec["restartPolicy"] == "Never"
    assert not spec.get("nodeSelector")
    assert not spec.get("tolerations")

    secret_ref = env_of(base)[SECRETS_ENV_VAR]["valueFrom"]["secretKeyRef"]
    assert secret_ref == {
        "name": try_secret_name("wf_orders", make_run(op).context["run_id"], "greet", 1),
        "key": SECRETS_ENV_VAR,
    }
    assert env_of(base)["DOMINO_STORAGE_URL"]["value"].startswith("file://")
    assert env_of(base)["DOMINO_RESULTS_URI"]["value"] == "file:///results/wf_orders/run/greet"

    labels = pod["metadata"]["labels"]
    assert labels["airflow-domino/workflow"] == "wf_orders"
    assert labels["airflow-domino/revision"] == "7"
    assert labels["airflow-domino/task"] == "greet"
    assert labels["airflow-domino/piece"] == "SecretGreetingPiece"
    assert labels["airflow-domino/try"] == "1"
    # run ids hold ":" and "+", which labels cannot: sanitised, still <= 63 characters
    assert labels["airflow-domino/run"].startswith("manual__2026-01-01T0000000000-")
    assert all(len(v) <= 63 for v in labels.values())

    request = json.loads(pod["metadata"]["annotations"]["airflow-domino/request"])
    assert request == {
        "piece_dir": f"{IMAGE_REPOSITORY_DIR}/pieces/SecretGreetingPiece",
        "piece_name": "SecretGreetingPiece",
        "inputs": {"name": "Ada", "note": "costs $(HOME) and {{ ds }}"},
        "results_path": "/airflow/xcom/results",
        "context": make_run(op).context,
    }
    volume = next(v for v in spec["volumes"] if v["name"] == "domino-request")
    assert volume["downwardAPI"]["items"] == [
        {"path": "request.json", "fieldRef": {"fieldPath": "metadata.annotations['airflow-domino/request']"}}
    ]
    assert {"name": "domino-request", "mountPath": "/etc/domino", "readOnly": True} in base["volumeMounts"]
    assert {"name": "xcom", "mountPath": "/airflow/xcom"} in base["volumeMounts"]
    assert [c["name"] for c in spec["containers"]] == ["base", "airflow-xcom-sidecar"]


@pytest.mark.usefixtures("domino_config")
def test_pod_spec_per_task_overrides_and_gpu() -> None:
    resources = {
        "cpu": 0.5,
        "memory": "2Gi",
        "gpu": 2,
        "namespace": "ml-team",
        "service_account": "trainer",
        "node_selector": {"accelerator": "mi300"},
        "tolerations": [
            {"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"},
            {"operator": "Exists", "effect": "NoExecute", "toleration_seconds": 30},
        ],
        "image_pull_secrets": ["ml-registry", "regcred"],
    }
    op = make_operator(resources=resources)
    pod = built_pod(op, make_run(op))
    spec, base = pod["spec"], base_container(pod)
    assert pod["metadata"]["namespace"] == "ml-team"
    assert spec["serviceAccountName"] == "trainer"
    assert spec["nodeSelector"] == {"accelerator": "mi300"}
    assert spec["tolerations"] == [
        {"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"},
        {"operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30},
    ]
    assert spec["imagePullSecrets"] == [{"name": "regcred"}, {"name": "ghcr"}, {"name": "ml-registry"}]
    assert base["resources"] == {
        "requests": {"cpu": "500m", "memory": "2Gi", "amd.com/gpu": "2"},
        "limits": {"cpu": "500m", "memory": "2Gi", "amd.com/gpu": "2"},
    }


@pytest.mark.usefixtures("domino_config")
def test_existing_kubernetes_secret_is_referenced_by_name() -> None:
    op = make_operator(secrets={"GREETING_API_TOKEN": {"kubernetes_secret": "greeting-api", "key": "token"}})
    pod = built_pod(op, make_run(op, secret_values={}))
    base = base_container(pod)
    env = env_of(base)
    assert SECRETS_ENV_VAR not in env  # nothing created for this try
    assert env["DOMINO_PIECE_SECRET__GREETING_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "greeting-api",
        "key": "token",
    }
    assert base["command"][:2] == ["python", "-c"]  # folds the env var into DOMINO_PIECE_SECRETS
    assert base["args"] == ["--request", "/etc/domino/request.json", "--result", "/airflow/xcom/return.json"]


def test_literal_env_values_are_escaped_for_kubernetes_expansion(
    domino_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__STORAGE_URL", "s3://bucket/$(SECRET)/x")
    op = make_operator()
    pod = built_pod(op, make_run(op))
    assert env_of(base_container(pod))["DOMINO_STORAGE_URL"]["value"] == "s3://bucket/$$(SECRET)/x"


def test_malformed_kubernetes_secret_binding_fails_at_parse_time() -> None:
    with pytest.raises(AirflowException, match="GREETING_API_TOKEN"):
        make_operator(secrets={"GREETING_API_TOKEN": {"kubernetes_secret": "greeting-api"}})


def test_resource_requirements_defaults_and_units() -> None:
    assert resource_requirements({}, {}, "nvidia.com/gpu") is None
    req = resource_requirements({"cpu": "2", "gpu": 0}, {**PIECE_RESOURCES, "use_gpu": True}, "nvidia.com/gpu")
    assert req is not None
    assert req.requests == {"cpu": "2", "memory": "128Mi", "nvidia.com/gpu": "1"}
    assert req.limits == {"cpu": "2", "memory": "512Mi", "nvidia.com/gpu": "1"}
    only_task = resource_requirements({"cpu": 1, "memory": "512Mi"}, {}, "nvidia.com/gpu")
    assert only_task is not None
    assert only_task.requests == only_task.limits == {"cpu": "1000m", "memory": "512Mi"}


def test_secret_names_are_valid_and_distinct_per_try() -> None:
    names = {try_secret_name("Dag_X", "scheduled__2026-01-01T00:00:00+00:00", "Very_Long.Task" * 10, n) for n in (1, 2)}
    assert len(names) == 2
    for name in names:
        assert len(name) <= 253
        kubernetes_validate.validate(
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": {}}, "1.28.0", strict=True
        )


def test_piece_operator_class_by_runner() -> None:
    assert piece_operator_class("kubernetes") is KubernetesPieceOperator
    assert piece_operator_class("subprocess") is PieceOperator
    assert issubclass(piece_operator_class("docker"), PieceOperator)


# ------------------------------------------------------------------------ the try's Secret


def _runtime_result(outputs: dict[str, Any] | None = None, error: dict[str, Any] | None = None) -> str:
    if error is not None:
        return json.dumps({"error": error})
    return json.dumps(
        {
            "outputs": outputs or {},
            "display_result": {
                "file_type": "md",
                "file_path": "/airflow/xcom/results/report.md",
                "relative_path": "report.md",
            },
        }
    )


def _results_tar() -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = b"# report\n"
        info = tarfile.TarInfo("./report.md")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def wired(domino_config: Path, kube_api: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Everything around the pod is real except the database row and the pod itself."""
    monkeypatch.setenv("AIRFLOW_VAR_GREETING_TOKEN", CANARY)  # resolved through airflow.sdk Variable.get
    monkeypatch.setattr(PieceHook, "image_and_resources", lambda self, piece: ("group0", IMAGE, PIECE_RESOURCES))
    monkeypatch.setattr(KubernetesPieceOperator, "_exec_in_sidecar", lambda self, pod, command: _results_tar())
    state: dict[str, Any] = {"during_pod": None, "xcom": _runtime_result({"greeting": "Hello, Ada!"}), "fail": False}

    def fake_pod_run(self: KubernetesPieceOperator, context: Any) -> Any:
        """Stands in for KubernetesPodOperator.execute: sees the cluster while the pod would run."""
        state["during_pod"] = {name: dict(body) for (_, name), body in kube_api.secrets.items()}
        state["pod"] = ApiClient().sanitize_for_serialization(self.build_pod_request_obj(context, dry_run=True))
        result = self.extract_xcom(pod=self.build_pod_request_obj(context, dry_run=True))
        if state["fail"]:
            raise AirflowException("Pod greet-abc returned a failure.")
        return result

    monkeypatch.setattr(KubernetesPodOperator, "execute", fake_pod_run)
    monkeypatch.setattr(PodManager, "extract_xcom", lambda self, pod, **kw: state["xcom"])
    state["api"] = kube_api
    state["storage"] = domino_config
    return state


def _context(ti: FakeTI) -> dict[str, Any]:
    return {"ti": ti, "run_id": ti.run_id, "params": {"who": "Ada"}, "logical_date": None, "dag": None}


def _operator_on(api_url: str, **overrides: Any) -> KubernetesPieceOperator:
    op = make_operator(**overrides)
    op.client = CoreV1Api(ApiClient(Configuration(host=api_url)))  # type: ignore[misc]
    return op


def test_secret_created_for_the_pod_and_deleted_after_success(wired: dict[str, Any]) -> None:
    api, ti = wired["api"], FakeTI()
    op = _operator_on(api.url)
    outputs = op.execute(_context(ti))

    assert outputs == {"greeting": "Hello, Ada!"}  # the outputs only, not the runtime's whole result
    ((name, body),) = wired["during_pod"].items()
    assert name == try_secret_name(ti.dag_id, ti.run_id, ti.task_id, 1)
    assert json.loads(base64.b64decode(body["data"][SECRETS_ENV_VAR])) == {"GREETING_API_TOKEN": CANARY}
    assert body["metadata"]["labels"]["airflow-domino/task"] == "greet"
    assert body["metadata"]["labels"]["airflow-domino/try"] == "1"
    assert body["immutable"] is True
    assert api.secrets == {}  # deleted
    assert ("DELETE", f"/api/v1/namespaces/domino-pieces/secrets/{name}") in api.calls
    assert CANARY not in json.dumps(wired["pod"])
    assert wired["pod"]["spec"]["containers"][0]["env"][-1]["valueFrom"]["secretKeyRef"]["name"] == name

    results_uri = f"file://{wired['storage']}/wf_orders/manual__2026-01-01T00_00_00+00_00/greet"
    assert ti.pushed["results_uri"] == results_uri
    assert ti.pushed["display_result"] == {
        "file_type": "md",
        "uri": f"{results_uri}/report.md",
        "relative_path": "report.md",
    }
    assert (wired["storage"] / "wf_orders" / "manual__2026-01-01T00_00_00+00_00" / "greet" / "report.md").read_text()


def test_secret_deleted_after_piece_failure_with_the_runtime_message(wired: dict[str, Any]) -> None:
    api = wired["api"]
    wired["fail"] = True
    wired["xcom"] = _runtime_result(
        error={"type": "execution", "piece": "SecretGreetingPiece", "message": "service said no", "errors": []}
    )
    ti = FakeTI()
    op = _operator_on(api.url)
    with pytest.raises(AirflowException, match=r"Piece SecretGreetingPiece failed \(execution\): service said no"):
        op.execute(_context(ti))
    assert len(wired["during_pod"]) == 1
    assert api.secrets == {}
    assert "display_result" not in ti.pushed
    assert not (wired["storage"] / "wf_orders").exists()  # a failed try uploads nothing


def test_secret_deleted_when_the_pod_cannot_even_start(wired: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pod(self: KubernetesPieceOperator, context: Any) -> Any:
        assert len(wired["api"].secrets) == 1
        raise RuntimeError("pods is forbidden")

    monkeypatch.setattr(KubernetesPodOperator, "execute", no_pod)
    with pytest.raises(RuntimeError, match="forbidden"):
        _operator_on(wired["api"].url).execute(_context(FakeTI()))
    assert wired["api"].secrets == {}


def test_existing_kubernetes_secret_creates_nothing(wired: dict[str, Any]) -> None:
    api = wired["api"]
    op = _operator_on(api.url, secrets={"GREETING_API_TOKEN": {"kubernetes_secret": "greeting-api", "key": "token"}})
    assert op.execute(_context(FakeTI())) == {"greeting": "Hello, Ada!"}
    assert wired["during_pod"] == {}
    assert api.calls == []
    env = {e["name"]: e for e in wired["pod"]["spec"]["containers"][0]["env"]}
    assert env["DOMINO_PIECE_SECRET__GREETING_API_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == "greeting-api"


def test_retry_removes_the_secret_an_earlier_try_left(wired: dict[str, Any]) -> None:
    api, ti = wired["api"], FakeTI(try_number=2)
    stale = try_secret_name(ti.dag_id, ti.run_id, ti.task_id, 1)
    api.secrets[("domino-pieces", stale)] = {"metadata": {"name": stale}}
    _operator_on(api.url).execute(_context(ti))
    assert list(wired["during_pod"]) == [try_secret_name(ti.dag_id, ti.run_id, ti.task_id, 2)]
    assert api.secrets == {}


def test_leftover_secret_of_the_same_try_is_replaced(wired: dict[str, Any]) -> None:
    api, ti = wired["api"], FakeTI()
    name = try_secret_name(ti.dag_id, ti.run_id, ti.task_id, 1)
    api.secrets[("domino-pieces", name)] = {"metadata": {"name": name}, "data": {}}
    _operator_on(api.url).execute(_context(ti))
    assert SECRETS_ENV_VAR in wired["during_pod"][name]["data"]
    assert api.secrets == {}


# ------------------------------------------------------------- the container command, run locally


def _run_container_locally(pod: dict[str, Any], secrets: dict[str, dict[str, str]], tmp: Path) -> dict[str, Any]:
    """Do what the kubelet would: env (secretKeyRef from ``secrets``), the downward-API request file,
    then the container's command, with the image's paths mapped into ``tmp``."""
    base = base_container(pod)
    paths = {
        "/etc/domino": str(tmp / "etc"),
        "/airflow/xcom": str(tmp / "xcom"),
        f"{IMAGE_REPOSITORY_DIR}/pieces": str(FIXTURE_REPO / "pieces"),
    }

    def mapped(text: str) -> str:
        for old, new in paths.items():
            text = text.replace(old, new)
        return text

    (tmp / "etc").mkdir()
    (tmp / "xcom").mkdir()
    (tmp / "etc" / "request.json").write_text(mapped(pod["metadata"]["annotations"]["airflow-domino/request"]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DOMINO"))}
    for item in base["env"]:
        if "value" in item:
            env[item["name"]] = item["value"].replace("$$", "$")
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = base64.b64decode(secrets[ref["name"]][ref["key"]]).decode()
    command = [sys.executable, *base["command"][1:], *[mapped(a) for a in base["args"]]]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert CANARY not in done.stdout + done.stderr
    return json.loads((tmp / "xcom" / "return.json").read_text())


@pytest.mark.usefixtures("domino_config")
@pytest.mark.parametrize("binding", ["variable", "kubernetes_secret"])
def test_container_command_runs_the_piece_with_its_secret(binding: str, tmp_path: Path) -> None:
    if binding == "variable":
        op = make_operator()
        run = make_run(op)
        name = try_secret_name(run.context["dag_id"], run.context["run_id"], run.context["task_id"], 1)
        payload = json.dumps({"GREETING_API_TOKEN": CANARY})
    else:
        op = make_operator(secrets={"GREETING_API_TOKEN": {"kubernetes_secret": "greeting-api", "key": "token"}})
        run = make_run(op, secret_values={})
        name, payload = "greeting-api", CANARY
    pod = built_pod(op, run)
    key = SECRETS_ENV_VAR if binding == "variable" else "token"
    result = _run_container_locally(pod, {name: {key: base64.b64encode(payload.encode()).decode()}}, tmp_path)
    assert result["outputs"] == {"greeting": "Hello, Ada!", "token_length": len(CANARY)}


# ------------------------------------------------------------------------ DAG and database


@pytest.mark.usefixtures("domino_config")
def test_dag_with_kubernetes_tasks_serializes_without_secret_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.sdk import DAG

    try:
        from airflow.serialization.serialized_objects import DagSerialization
    except ImportError:  # Airflow before 3.2 names the class SerializedDAG
        from airflow.serialization.serialized_objects import SerializedDAG as DagSerialization

    monkeypatch.setenv("AIRFLOW_VAR_GREETING_TOKEN", CANARY)
    with DAG(dag_id="wf_orders", schedule=None) as dag:
        upstream = make_operator(task_id="first", inputs={"name": "Ada"})
        downstream = make_operator(task_id="second", inputs={"name": {"$upstream": {"task": "first", "output": "x"}}})
        upstream >> downstream
    serialized = json.dumps(DagSerialization.to_dict(dag))
    assert CANARY not in serialized
    assert "KubernetesPieceOperator" in serialized
    restored = DagSerialization.from_dict(json.loads(serialized))
    assert restored.get_task("second").upstream_task_ids == {"first"}


def test_image_and_resources_come_from_the_plugin_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from airflow_domino_plugin.db.models import Base, Piece, Repository

    url = f"sqlite:///{tmp_path / 'domino.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        repository = Repository(
            name="acme/pieces", version="1.2.0", source_type="local", source_url="/nowhere", path="/not/on/this/worker",
            dependencies_map={"group0": {"pieces": ["SecretGreetingPiece"], "source_image": IMAGE,
                                         "dependency": {"requirements_file": "requirements.txt"}}},
        )  # fmt: skip
        session.add(repository)
        session.flush()
        session.add(Piece(repository_id=repository.id, name="SecretGreetingPiece", container_resources=PIECE_RESOURCES))
        session.commit()
    monkeypatch.setenv("AIRFLOW__DOMINO__SQL_ALCHEMY_CONN", url)
    # The repository's checkout is absent (as on a KubernetesExecutor worker): only the row is read.
    assert PieceHook().image_and_resources(PIECE) == ("group0", IMAGE, PIECE_RESOURCES)
    with pytest.raises(AirflowException, match="not installed"):
        PieceHook().image_and_resources({**PIECE, "version": "9.9.9"})


# ------------------------------------------------------------------------ runtime injection


@pytest.mark.usefixtures("domino_config")
def test_sdk_runtime_is_injected_by_an_init_container() -> None:
    """Images without the SDK run: an init container fills an emptyDir the piece sees read-only."""
    from airflow_domino_plugin.execution.runners.injection import INJECTED_SDK_DIR

    op = make_operator()
    pod = built_pod(op, make_run(op))
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert volumes["domino-sdk"] == {"name": "domino-sdk", "emptyDir": {}}
    (init,) = pod["spec"]["initContainers"]
    assert init["image"] == "registry.example.com/airflow-domino:3.3.2-domino-0.1.0"
    assert init["command"][:2] == ["python", "-c"]
    assert {"name": "domino-sdk", "mountPath": INJECTED_SDK_DIR} in init["volumeMounts"]
    base = base_container(pod)
    assert base["image"] == IMAGE
    assert {"name": "domino-sdk", "mountPath": INJECTED_SDK_DIR, "readOnly": True} in base["volumeMounts"]
    assert env_of(base)["PYTHONPATH"]["value"] == INJECTED_SDK_DIR
    assert CANARY not in json.dumps(init)


@pytest.mark.usefixtures("domino_config")
def test_runtime_image_defaults_to_the_worker_image(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW__DOMINO__KUBERNETES_RUNTIME_IMAGE")
    monkeypatch.setenv("AIRFLOW__KUBERNETES_EXECUTOR__WORKER_CONTAINER_REPOSITORY", "registry.example.com/airflow")
    monkeypatch.setenv("AIRFLOW__KUBERNETES_EXECUTOR__WORKER_CONTAINER_TAG", "3.3.2-domino")
    op = make_operator()
    pod = built_pod(op, make_run(op))
    assert pod["spec"]["initContainers"][0]["image"] == "registry.example.com/airflow:3.3.2-domino"
    monkeypatch.delenv("AIRFLOW__KUBERNETES_EXECUTOR__WORKER_CONTAINER_REPOSITORY")
    with pytest.raises(AirflowException, match="kubernetes_runtime_image"):
        op.apply_run(make_run(op))


def test_init_container_command_copies_the_sdk(tmp_path: Path) -> None:
    """The init command, run by a Python that has the SDK, leaves an importable copy and nothing else."""
    from airflow_domino_plugin.execution.runners.injection import init_copy_command

    command = init_copy_command(str(tmp_path))
    done = subprocess.run([sys.executable, *command[1:]], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["airflow_domino_sdk"]
    assert not list(tmp_path.rglob("__pycache__"))
    script = "import sys; sys.path.insert(0, sys.argv[1]); import airflow_domino_sdk.runtime as r; print(r.__file__)"
    probe = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert probe.stdout.startswith(str(tmp_path)), probe.stdout + probe.stderr
