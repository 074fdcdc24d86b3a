"""The image naming rule and the allow-listed child environment, as pure functions."""

from __future__ import annotations

import pytest
from airflow_domino_sdk.images import ImageNameError, image_name, registry_host, with_registry
from airflow_domino_sdk.repository import compile_repository
from airflow_domino_sdk.sandbox_env import SandboxEnvError, sandbox_environ

from tests.unit.repositories.helpers import DOMINO_REPO


def test_compile_names_images_by_the_one_rule() -> None:
    result = compile_repository(DOMINO_REPO)
    config = result.config
    for group, spec in result.dependencies_map.items():
        expected = image_name(config["REGISTRY_NAME"], config["REPOSITORY_NAME"], config["VERSION"], group)
        assert spec["source_image"] == expected
    assert (
        image_name("GHCR.io/My-Org", "My_Pieces", "1.0.0-RC1", "group0") == "ghcr.io/my-org/my_pieces:1.0.0-RC1-group0"
    )


@pytest.mark.parametrize(
    ("image", "registry", "expected"),
    [
        ("example-org/pieces:1.0.0-group0", "http://127.0.0.1:5000/", "127.0.0.1:5000/example-org/pieces:1.0.0-group0"),
        ("ghcr.io/example-org/pieces:1.0.0-group0", "registry.example.com/mirror",
         "registry.example.com/mirror/example-org/pieces:1.0.0-group0"),
        ("localhost:5000/pieces:1", "https://reg.example:443", "reg.example:443/pieces:1"),
        ("python:3.11-slim", "reg.example", "reg.example/python:3.11-slim"),
        ("example-org/pieces:1", "", "example-org/pieces:1"),
    ],
)  # fmt: skip
def test_with_registry_moves_an_image_to_another_registry(image: str, registry: str, expected: str) -> None:
    assert with_registry(image, registry) == expected


@pytest.mark.parametrize("url", ["http://bad host", "ftp://x", "reg.example/UPPER", ""])
def test_a_registry_url_that_names_no_registry_is_refused(url: str) -> None:
    with pytest.raises(ImageNameError, match="is not a registry URL"):
        registry_host(url)


def test_sandbox_environ_keeps_only_the_allow_list(tmp_path: object) -> None:
    source = {
        "PATH": "/usr/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "SSL_CERT_FILE": "/etc/ssl/ca.pem",
        "AIRFLOW__CORE__FERNET_KEY": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "GOOGLE_APPLICATION_CREDENTIALS": "/x.json",
        "AZURE_CLIENT_SECRET": "x",
        "KUBERNETES_SERVICE_HOST": "10.0.0.1",
        "PIP_INDEX_URL": "https://user:token@pypi.example/simple",
        "PYTHONPATH": "/airflow/site-packages",
        "HOME": "/root",
        "HTTPS_PROXY": "http://proxy:3128",
    }
    env = sandbox_environ(home="/h", tmpdir="/t", pythonpath=["/sdk"], source=source)
    assert env == {
        "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "SSL_CERT_FILE": "/etc/ssl/ca.pem",
        "HOME": "/h", "TMPDIR": "/t", "PYTHONPATH": "/sdk", "PYTHONNOUSERSITE": "1", "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }  # fmt: skip
    install = sandbox_environ(home="/h", tmpdir="/t", package_install=True, source=source)
    assert install["PIP_INDEX_URL"] == source["PIP_INDEX_URL"]
    assert install["HTTPS_PROXY"] == source["HTTPS_PROXY"]
    assert "AWS_SECRET_ACCESS_KEY" not in install
    extra = sandbox_environ(home="/h", tmpdir="/t", extra_names=["HTTPS_PROXY"], source=source)
    assert extra["HTTPS_PROXY"] == source["HTTPS_PROXY"]
    with pytest.raises(SandboxEnvError, match="refusing to pass AZURE_CLIENT_SECRET, KUBECONFIG"):
        sandbox_environ(home="/h", tmpdir="/t", extra_names=["AZURE_CLIENT_SECRET", "KUBECONFIG"], source=source)
