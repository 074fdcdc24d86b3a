"""The ``[domino]`` configuration section: one declaration, read everywhere.

The options are declared once in :data:`OPTIONS`; the provider info publishes them so that
``airflow config list`` documents them, and :func:`get` reads them through Airflow's
configuration (environment variables ``AIRFLOW__DOMINO__*`` included) with these defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECTION = "domino"


@dataclass(frozen=True)
class Option:
    """One ``[domino]`` option as documented in ``airflow config list``."""

    name: str
    description: str
    default: str
    example: str | None = None
    type: str = "string"
    sensitive: bool = False


OPTIONS: tuple[Option, ...] = (
    Option(
        "sql_alchemy_conn",
        "SQLAlchemy URL the DAG factory uses to read the plugin's ``domino_*`` tables. Airflow 3 "
        "blocks its own metadata database during DAG parsing and inside tasks, so the factory needs "
        "its own connection. Point it at the metadata database, ideally with a role that can only "
        "SELECT the ``domino_`` tables. Empty: the factory cannot read workflows.",
        "",
        example="postgresql://domino_reader:secret@postgres/airflow",
        sensitive=True,
    ),
    Option(
        "storage_url",
        "Where piece results and display results are stored, as an ObjectStoragePath URL "
        "(a local folder, ``s3://bucket/prefix``, ``gs://bucket/prefix``).",
        "file://{AIRFLOW_HOME}/domino/results",
        example="s3://my-bucket/domino",
    ),
    Option(
        "storage_conn_id",
        "Airflow connection used to reach ``storage_url`` (for S3/GCS). Empty: the default credentials.",
        "",
        example="aws_default",
    ),
    Option(
        "repositories_path",
        "Local folder holding installed piece repositories and their virtualenvs.",
        "{AIRFLOW_HOME}/domino/repositories",
    ),
    Option(
        "snapshot_path",
        "File where the DAG factory keeps the last workflows it read successfully, used when the "
        "database cannot be read at parse time.",
        "{AIRFLOW_HOME}/domino/workflows-snapshot.json",
    ),
    Option(
        "default_runner",
        "How tasks run pieces unless a workflow says otherwise: ``subprocess``, ``docker`` or ``kubernetes``.",
        "subprocess",
    ),
    Option("kubernetes_namespace", "Namespace for piece pods.", "default", example="domino-pieces"),
    Option("kubernetes_service_account", "Service account for piece pods. Empty: the namespace default.", ""),
    Option(
        "kubernetes_image_pull_secrets",
        "Comma-separated image pull secrets for piece pods.",
        "",
        example="regcred,ghcr",
    ),
    Option("kubernetes_gpu_resource_name", "Resource name requested for GPUs.", "nvidia.com/gpu"),
    Option(
        "github_conn_id",
        "Airflow connection whose password is the GitHub token used to read piece repositories.",
        "domino_github",
    ),
    Option(
        "github_base_url",
        "GitHub API base URL (set it for GitHub Enterprise).",
        "https://api.github.com",
        example="https://github.example.com/api/v3",
    ),
    Option(
        "compile_timeout_s",
        "Seconds a repository install may spend compiling its pieces' models (each dependency group "
        "in its own environment, all groups together); past it the install fails and names this option.",
        "300",
        type="integer",
    ),
    Option(
        "piece_env_allowlist",
        "Comma-separated extra environment variable names passed to piece code run locally (compiles, "
        "subprocess runs), e.g. proxy settings. AIRFLOW*, AWS_*, GOOGLE_*, AZURE_*, KUBERNETES_* "
        "and the like are refused. Empty: only PATH, locale, TZ and CA-bundle paths.",
        "",
        example="HTTPS_PROXY,NO_PROXY",
    ),
    Option(
        "max_request_bytes",
        "Largest request body the plugin's REST API accepts, in bytes; bigger ones answer 413 "
        "(announced by Content-Length or counted while streamed). 0 disables the limit.",
        "4194304",
        type="integer",
    ),
    Option(
        "allowed_input_paths",
        "Comma-separated folders on the workers whose files pieces may read when a workflow gives "
        "them a path (besides the run's own results folder). Empty: only results storage.",
        "",
        example="/data/shared,/mnt/exports",
    ),
    Option(
        "local_repository_roots",
        "Comma-separated folders that local-folder and file:// git repository sources must lie "
        "in (admins only). Empty: any folder the API server can read.",
        "",
        example="/opt/domino/pieces",
    ),
    Option(
        "docker_url",
        "Docker engine the ``docker`` runner uses. It must share the worker's file system (bind "
        "mounts). Empty: ``DOCKER_HOST``, else ``unix:///var/run/docker.sock``.",
        "",
        example="unix:///run/user/1000/docker.sock",
    ),
    Option(
        "docker_network_mode",
        "Network of piece containers on the ``docker`` runner: ``none`` (no network), ``host``, "
        "``bridge`` or a network name. Pieces that call out need something other than ``none``.",
        "none",
        example="bridge",
    ),
    Option(
        "docker_extra_mounts",
        "Extra bind mounts for every piece container, comma-separated "
        "``/host/path:/container/path[:ro|rw]`` (read-only unless ``:rw``).",
        "",
        example="/data/reference:/reference:ro,/scratch:/scratch:rw",
    ),
    Option(
        "docker_registry_conn_id",
        "Airflow Connection (type docker: host = registry, login, password) used to pull a piece "
        "image the engine does not have. Empty: missing images are an error, never pulled.",
        "",
        example="docker_registry",
    ),
    Option(
        "kubernetes_runtime_image",
        "Image of the init container that copies the SDK runtime into piece pods, so images without "
        "the SDK run. It needs Python and the airflow-domino-sdk package: the plugin's own image. "
        "Empty: the KubernetesExecutor worker image ``[kubernetes_executor] "
        "worker_container_repository``:``worker_container_tag``.",
        "",
        example="registry.example.com/airflow-domino:3.3.2-domino-0.1.0",
    ),
    Option(
        "image_registry",
        "Registry the dependency-group images are pulled from instead of the one the repository's "
        "REGISTRY_NAME names (a mirror or a private registry): installs record every group's image "
        "in it, the name ``domino-pieces build-images --registry`` tags and pushes. Empty: as named.",
        "",
        example="registry.example.com:5000",
    ),
    Option(
        "hitl_resume_delay",
        "Seconds after an approval or input step parks before an answer may resume it. Airflow 3.3 "
        "resumes a parked step as soon as it is answered; if the parked try's worker has not exited "
        "yet, the scheduler takes its late exit report for the resumed try and fails the step. An "
        "answer that comes sooner is stored at once and Airflow's own awaiting-input sweep "
        "(``[scheduler] trigger_timeout_check_interval``) resumes the step when this has passed. "
        "Keep it above the time a task process takes to exit (``[core] task_success_overtime`` "
        "bounds it). 0: resume at once.",
        "20",
        type="integer",
    ),
    Option(
        "process_isolation",
        "Whether piece code run locally (repository compiles, subprocess runs) starts in its own user "
        "and PID namespaces with a private /proc (util-linux unshare), so it cannot see the "
        "environment of Airflow's processes: ``auto`` (where the kernel allows it), ``required`` "
        "(fail otherwise) or ``off``.",
        "auto",
    ),
)

_BY_NAME = {option.name: option for option in OPTIONS}


def _expand(value: str) -> str:
    if "{AIRFLOW_HOME}" in value:
        home = os.environ.get("AIRFLOW_HOME") or str(Path.home() / "airflow")
        value = value.replace("{AIRFLOW_HOME}", home)
    return value


def get(name: str) -> str:
    """Return a ``[domino]`` option, falling back to its declared default."""
    option = _BY_NAME[name]
    from airflow.configuration import conf

    value = conf.get(SECTION, name, fallback=None)
    if value is None or value == "":
        value = option.default
    return _expand(str(value))


def provider_config() -> dict[str, Any]:
    """The ``config`` entry of the provider info, in the shape Airflow documents."""
    return {
        SECTION: {
            "description": "Settings of airflow-domino-plugin (visual workflows and Pieces).",
            "options": {
                option.name: {
                    "description": option.description,
                    "version_added": "0.1.0",
                    "type": option.type,
                    "example": option.example,
                    "default": option.default,
                    "sensitive": option.sensitive,
                }
                for option in OPTIONS
            },
        }
    }
