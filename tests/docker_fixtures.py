"""Session fixtures for tests that need a real Docker engine (import them into a conftest or test module).

``docker_engine`` uses the engine that answers or starts Debian's dockerd (tools/docker_engine.py)
and stops it after the session if it started it. It never skips: a test that needs an engine
fails when none can be started.

    from tests.docker_fixtures import docker_engine, python_base_image  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import docker
from tools import docker_engine as engine_tools

__all__ = ["docker_engine", "pydantic_image", "python_base_image"]


@pytest.fixture(scope="session")
def docker_engine() -> Iterator[docker.DockerClient]:
    """A client of a running engine; ``DOCKER_HOST`` points at it for the session (stacks inherit it)."""
    with engine_tools.ensure_engine() as client:
        yield client


@pytest.fixture(scope="session")
def python_base_image(docker_engine: docker.DockerClient) -> str:
    """Debian bookworm with python3 (also as ``python``), venv and pip only: no pydantic, no SDK."""
    return engine_tools.ensure_base_image(docker_engine)


@pytest.fixture(scope="session")
def pydantic_image(docker_engine: docker.DockerClient, python_base_image: str) -> str:
    """The base image plus /opt/venv (first on PATH) holding the host's pydantic version: no SDK."""
    return engine_tools.ensure_pydantic_image(docker_engine)
