"""Real image builds: ``domino-pieces build-images`` builds a group's image on a real engine with the host's
package-index settings, pushes it to a local registry (Debian's docker-registry on 127.0.0.1), and the
image pulled back — which holds no SDK — runs a piece with the runtime injected, with no network. The
name pushed is the name an install records and both runners pull."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import airflow_domino_sdk
import httpx
import pytest
import sqlalchemy as sa
from airflow_domino_sdk.cli import main as cli_main
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR
from docker.errors import ImageNotFound
from sqlalchemy.orm import Session

import docker
from airflow_domino_plugin.db.models import metadata
from airflow_domino_plugin.execution.runners.injection import INJECTED_SDK_DIR, RUNTIME_MODULE
from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.sources import LocalSource
from tests.docker_fixtures import docker_engine, python_base_image  # noqa: F401
from tests.unit.repositories.conftest import Steps, copy_repo
from tests.unit.repositories.test_sandboxed_compile import PROBE_REPO
from tools import docker_engine as engine_tools
from tools.localstack import free_port

CONSTRAINTS = Path("/etc/xdg/pip/constraints.txt")
RUN = "/domino/run"


@pytest.fixture(scope="module")
def local_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Debian's docker-registry on 127.0.0.1 with throwaway storage (installed when missing)."""
    with engine_tools.local_registry(tmp_path_factory.mktemp("registry")) as address:
        yield address


def _host_pip_options() -> list[str]:
    """What this machine's pip needs to reach the package index (see docs/pieces.md): a company's too."""
    options = ["--network", "host"]
    cert = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    if cert and Path(cert).is_file():
        options += ["--ca-bundle", cert]
    if CONSTRAINTS.is_file():
        options += ["--constraint", str(CONSTRAINTS)]
    return options


def test_build_push_pull_and_run_a_piece_from_a_local_registry(
    docker_engine: docker.DockerClient,  # noqa: F811
    python_base_image: str,  # noqa: F811
    local_registry: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = copy_repo(PROBE_REPO, tmp_path / "repo")
    shutil.rmtree(repo / "pieces" / "SnoopSlugifyPiece")  # one group (pydantic only): quick to build and install
    image = f"{local_registry}/example-org/sandbox_probe_pieces:0.1.0-group0"
    code = cli_main.main(
        ["build-images", str(repo), "--base-image", python_base_image, *_host_pip_options(),
         "--registry", f"http://{local_registry}", "--push", "--group", "group0", "--output", str(tmp_path / "ctx")]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"Building {image} (group0)" in out
    assert "  Step 1/" in out  # progress per step
    assert f"Pushing {image}" in out
    assert "Pushed 1 image(s)" in out
    tags = httpx.get(f"http://{local_registry}/v2/example-org/sandbox_probe_pieces/tags/list").json()
    assert tags["tags"] == ["0.1.0-group0"]

    # The name the runners pull is the name the build pushed: an install with [domino] image_registry
    # records it, and both runners read what the install recorded.
    recorded = _recorded_images(repo, f"http://{local_registry}", tmp_path, monkeypatch)
    assert recorded == {"docker/subprocess (locate)": image, "kubernetes": image}

    docker_engine.images.remove(image, force=True)
    with pytest.raises(ImageNotFound):
        docker_engine.images.get(image)
    docker_engine.images.pull(image.rsplit(":", 1)[0], tag="0.1.0-group0")

    probe = (
        "import importlib.util as u; print(u.find_spec('airflow_domino_sdk') is None, bool(u.find_spec('pydantic')))"
    )
    without_sdk = docker_engine.containers.run(image, ["python", "-c", probe], network_mode="none", remove=True)
    assert without_sdk.decode().split() == ["True", "True"]  # Python and pydantic, no SDK

    run_dir = tmp_path / "run"
    (run_dir / "results").mkdir(parents=True)
    request = {
        "piece_dir": f"{IMAGE_REPOSITORY_DIR}/pieces/HogPiece", "piece_name": "HogPiece",
        "inputs": {"allocate_mib": 1}, "secrets": {}, "results_path": "/domino/run/results",
        "context": {"dag_id": "d", "run_id": "r", "task_id": "t"},
    }  # fmt: skip
    (run_dir / "request.json").write_text(json.dumps(request))
    sdk = Path(airflow_domino_sdk.__file__).resolve().parent
    logs = docker_engine.containers.run(
        image,
        [
            "python",
            "-m",
            RUNTIME_MODULE,
            "--request",
            "/domino/run/request.json",
            "--result",
            "/domino/run/result.json",
        ],
        network_mode="none",
        environment={"PYTHONPATH": INJECTED_SDK_DIR, "PYTHONDONTWRITEBYTECODE": "1"},
        volumes={
            str(sdk): {"bind": f"{INJECTED_SDK_DIR}/airflow_domino_sdk", "mode": "ro"},
            str(run_dir): {"bind": "/domino/run", "mode": "rw"},
        },
        remove=True,
    )
    result = json.loads((run_dir / "result.json").read_text())
    assert result["outputs"]["allocated_mib"] == 1, logs.decode()


def _recorded_images(repo: Path, registry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Install ``repo`` with ``[domino] image_registry`` and read HogPiece's image as each runner does."""
    from airflow_domino_plugin.operators.hook import PieceHook

    db = f"sqlite:///{tmp_path / 'domino.db'}"
    engine = sa.create_engine(db)
    metadata.create_all(engine)
    root = tmp_path / "repositories"
    for name, value in {
        "IMAGE_REGISTRY": registry,
        "SQL_ALCHEMY_CONN": db,
        "REPOSITORIES_PATH": str(root),
        "STORAGE_URL": f"file://{tmp_path / 'results'}",
    }.items():
        monkeypatch.setenv(f"AIRFLOW__DOMINO__{name}", value)
    with Session(engine) as session:
        installer.install(
            session, LocalSource(str(repo)), "", root=root, installed_by="t", progress=Steps(), build_runtimes=False
        )
    engine.dispose()
    piece = {"repository": "sandbox_probe_pieces", "version": "0.1.0", "name": "HogPiece"}
    shutil.rmtree(tmp_path / "ctx", ignore_errors=True)
    hook = PieceHook()
    return {"docker/subprocess (locate)": hook.locate(piece).image, "kubernetes": hook.image_and_resources(piece)[1]}


def test_build_and_push_failures_name_the_image_and_the_cause(
    docker_engine: docker.DockerClient,  # noqa: F811
    python_base_image: str,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo = copy_repo(PROBE_REPO, tmp_path / "repo")
    (repo / "dependencies" / "requirements_slugify.txt").write_text("no-such-package-for-domino-tests==0.0.1\n")
    code = cli_main.main(
        ["build-images", str(repo), "--base-image", python_base_image, *_host_pip_options(),
         "--group", "group1", "--output", str(tmp_path / "ctx")]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1, out
    assert (
        "ERROR building example-org/sandbox_probe_pieces:0.1.0-group1: The command '/bin/sh -c python3 -m venv" in err
    )
    assert "no-such-package-for-domino-tests" in err  # pip's own message, from the build's tail

    from airflow_domino_sdk.cli.images import BuildContext, push_images

    dead = f"127.0.0.1:{free_port()}/example-org/unreachable:0.1.0-group0"
    docker_engine.images.get(python_base_image).tag(dead)
    try:
        (result,) = push_images([BuildContext("group0", dead, tmp_path)], docker_engine, echo=lambda _line: None)
    finally:
        docker_engine.images.remove(dead)
    assert result[1] is not None
    assert result[1].startswith(f"cannot push to {dead.split('/')[0]}: ")
    assert "connection refused" in result[1].lower()
