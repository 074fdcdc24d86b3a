"""``domino-pieces build-images``: one image per dependency group, built (and pushed) with the docker package.

What an image holds: Python, pydantic, the group's requirements (in ``/opt/venv``, first on
``PATH``) and the repository's pieces code at ``IMAGE_REPOSITORY_DIR`` — **not** the SDK: the
runners inject the SDK runtime at run time, so these images run exactly like a repository's
published ones. Requirement groups are built in two stages: the first installs the packages with
the build settings (package index, pip configuration, CA bundle, constraints), the second copies
only ``/opt/venv`` out of it, so no build setting (a private index's credentials, a proxy's CA)
stays in the image. A group with its own Dockerfile gets that Dockerfile plus the pieces code.

Images are named by :func:`airflow_domino_sdk.images.recorded_images` (what an install records),
moved to ``--registry`` by :func:`airflow_domino_sdk.images.with_registry` when given.
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow_domino_sdk.images import recorded_images, with_registry
from airflow_domino_sdk.repository import COMPILED_METADATA_FILE, DEPENDENCIES_MAP_FILE, CompileResult
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR

__all__ = [
    "BuildContext",
    "BuildOptions",
    "ImageBuildError",
    "build_images",
    "docker_client",
    "push_images",
    "write_build_contexts",
]

DEFAULT_BASE_IMAGE = "python:3.11-slim"
PYDANTIC_REQUIREMENT = "pydantic>=2,<3"
BUILD_DIR = "_domino_build"  # in the context: requirements and build settings (first stage only)
VENV = "/opt/venv"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", "dry_run_results")


class ImageBuildError(Exception):
    """A build option that cannot be honoured (a missing file, a bad URL)."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build: the base image and what a network behind a proxy or a private index needs."""

    base_image: str = DEFAULT_BASE_IMAGE
    #: Build containers' network (``host`` where the default bridge cannot reach the index).
    network_mode: str | None = None
    #: CA bundle for pip (``PIP_CERT``) and Python's TLS (``SSL_CERT_FILE``) during the install step.
    ca_bundle: Path | None = None
    #: A pip configuration file used as ``PIP_CONFIG_FILE`` during the install step.
    pip_config: Path | None = None
    pip_index_url: str | None = None
    pip_extra_index_urls: tuple[str, ...] = ()
    #: A pip constraints file (``PIP_CONSTRAINT``) during the install step.
    constraint: Path | None = None
    #: Registry the images are tagged for (and pushed to): see ``with_registry``.
    registry: str | None = None
    pydantic_requirement: str = PYDANTIC_REQUIREMENT

    def files(self) -> dict[str, Path]:
        """{name in BUILD_DIR: host file}; every file must exist."""
        wanted = {"ca.crt": self.ca_bundle, "pip.conf": self.pip_config, "constraints.txt": self.constraint}
        files: dict[str, Path] = {}
        for name, path in wanted.items():
            if path is None:
                continue
            if not Path(path).is_file():
                option = {"ca.crt": "--ca-bundle", "pip.conf": "--pip-config", "constraints.txt": "--constraint"}
                raise ImageBuildError(f"{option[name]}: {path} is not a file")
            files[name] = Path(path)
        return files

    def pip_env(self) -> list[str]:
        """``NAME=value`` settings for the install step only (never ``ENV``: they stay out of the image)."""
        base = f"/tmp/{BUILD_DIR}"
        env = ["PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1", "PIP_ROOT_USER_ACTION=ignore"]
        if self.ca_bundle:
            env += [f"PIP_CERT={base}/ca.crt", f"SSL_CERT_FILE={base}/ca.crt", f"REQUESTS_CA_BUNDLE={base}/ca.crt"]
        if self.pip_config:
            env.append(f"PIP_CONFIG_FILE={base}/pip.conf")
        if self.constraint:
            env.append(f"PIP_CONSTRAINT={base}/constraints.txt")
        if self.pip_index_url:
            env.append(f"PIP_INDEX_URL={_shell_word(self.pip_index_url)}")
        if self.pip_extra_index_urls:
            env.append(f"PIP_EXTRA_INDEX_URL={_shell_word(' '.join(self.pip_extra_index_urls))}")
        return env


def _shell_word(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@dataclass(frozen=True)
class BuildContext:
    group: str
    image: str
    path: Path
    labels: dict[str, str] = field(default_factory=dict)


def _pieces_layers(config: dict[str, Any], group: str) -> str:
    return f"""\
# --- added by domino-pieces build-images: the pieces code (the SDK is injected at run time) ---
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY config.toml {IMAGE_REPOSITORY_DIR}/config.toml
COPY .domino {IMAGE_REPOSITORY_DIR}/.domino
COPY pieces {IMAGE_REPOSITORY_DIR}/pieces
WORKDIR {IMAGE_REPOSITORY_DIR}
LABEL io.github.airflow-domino.repository="{config["REPOSITORY_NAME"]}" \\
      io.github.airflow-domino.version="{config["VERSION"]}" io.github.airflow-domino.group="{group}"
"""


def _dockerfile(group: str, info: dict[str, Any], repo: Path, config: dict[str, Any], options: BuildOptions) -> str:
    header = f"# Generated by domino-pieces build-images: {config['REPOSITORY_NAME']} {config['VERSION']} {group}\n"
    dep = info["dependency"]
    if dep.get("dockerfile"):
        user = (repo / "dependencies" / dep["dockerfile"]).read_text(encoding="utf-8")
        return f"{header}# --- dependencies/{dep['dockerfile']} ---\n{user.rstrip()}\n\n{_pieces_layers(config, group)}"
    settings = " ".join(options.pip_env())
    return (
        f"{header}"
        f"FROM {options.base_image} AS build\n"
        f"COPY {BUILD_DIR}/ /tmp/{BUILD_DIR}/\n"
        f"RUN python3 -m venv {VENV} && {settings} {VENV}/bin/python -m pip install --quiet "
        f"-r /tmp/{BUILD_DIR}/requirements.txt\n"
        "\n"
        f"FROM {options.base_image}\n"
        f"COPY --from=build {VENV} {VENV}\n"
        f"ENV PATH={VENV}/bin:$PATH\n"
        f"{_pieces_layers(config, group)}"
    )


def write_build_contexts(
    result: CompileResult,
    output_dir: str | Path,
    options: BuildOptions | None = None,
    groups: Iterable[str] | None = None,
) -> list[BuildContext]:
    """Write one build context per dependency group (groups with a prebuilt docker_image are skipped)."""
    options = options or BuildOptions()
    if not result.ok:
        raise ValueError("compile the repository without errors first")
    repo = Path(result.repo_dir)
    names = recorded_images(repo, result.dependencies_map)
    wanted = set(groups) if groups is not None else None
    unknown = sorted((wanted or set()) - set(result.dependencies_map))
    if unknown:
        raise ImageBuildError(f"--group: no dependency group {', '.join(unknown)} (groups: {', '.join(names)})")
    build_files = options.files()
    out = Path(output_dir)
    contexts = []
    for group, info in result.dependencies_map.items():
        if info["dependency"].get("docker_image") or (wanted is not None and group not in wanted):
            continue
        ctx = out / group
        if ctx.exists():
            shutil.rmtree(ctx)
        ctx.mkdir(parents=True)
        shutil.copy2(repo / "config.toml", ctx / "config.toml")
        shutil.copytree(repo / "pieces", ctx / "pieces", ignore=_IGNORE)
        if (repo / "dependencies").is_dir():
            shutil.copytree(repo / "dependencies", ctx / "dependencies", ignore=_IGNORE)
        (ctx / ".domino").mkdir()
        (ctx / COMPILED_METADATA_FILE).write_text(json.dumps(result.compiled_metadata, indent=4))
        (ctx / DEPENDENCIES_MAP_FILE).write_text(json.dumps(result.dependencies_map, indent=4))
        build = ctx / BUILD_DIR
        build.mkdir()
        requirements = [options.pydantic_requirement]
        if info["dependency"].get("requirements_file"):
            requirements.append((repo / "dependencies" / info["dependency"]["requirements_file"]).read_text())
        (build / "requirements.txt").write_text("\n".join(requirements) + "\n")
        for name, source in build_files.items():
            shutil.copy2(source, build / name)
        (ctx / "Dockerfile").write_text(_dockerfile(group, info, repo, result.config, options))
        contexts.append(BuildContext(group, with_registry(names[group], options.registry), ctx))
    return contexts


def docker_client() -> tuple[Any | None, str]:
    """(client, "") when an engine answers, else (None, reason)."""
    try:
        docker = importlib.import_module("docker")  # optional: pip install airflow-domino-sdk[images]
    except ImportError:
        return None, "the 'docker' Python package is not installed (pip install 'airflow-domino-sdk[images]')"
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:
        return None, f"no Docker engine reachable ({type(exc).__name__}: {exc})"
    return client, ""


def build_images(
    contexts: list[BuildContext], client: Any, options: BuildOptions | None = None, echo: Callable[[str], None] = print
) -> list[tuple[BuildContext, str | None]]:
    """Build each context, printing every step; returns (context, error or None) per group."""
    options = options or BuildOptions()
    results: list[tuple[BuildContext, str | None]] = []
    for ctx in contexts:
        echo(f"Building {ctx.image} ({ctx.group}) from {ctx.path}")
        error = None
        tail: list[str] = []
        try:
            for chunk in client.api.build(
                path=str(ctx.path), tag=ctx.image, rm=True, forcerm=True, decode=True, network_mode=options.network_mode
            ):
                text = str(chunk.get("stream", "")).rstrip()
                if text:
                    tail = [*tail[-20:], text]
                    echo(f"  {text}" if text.startswith("Step ") else f"    {text}")
                if "error" in chunk:
                    error = str(chunk["error"]).strip()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error and tail:
            error += "\n" + "\n".join(tail[-10:])
        results.append((ctx, error))
    return results


def push_images(
    contexts: list[BuildContext], client: Any, echo: Callable[[str], None] = print
) -> list[tuple[BuildContext, str | None]]:
    """Push each built image (credentials: the engine client's, e.g. from ``docker login``)."""
    results: list[tuple[BuildContext, str | None]] = []
    for ctx in contexts:
        repository, _, tag = ctx.image.rpartition(":")
        echo(f"Pushing {ctx.image}")
        error = None
        seen: set[tuple[str, str]] = set()
        try:
            for chunk in client.api.push(repository, tag=tag, stream=True, decode=True):
                if "error" in chunk:
                    error = str(chunk.get("error")).strip()
                    continue
                status, layer = str(chunk.get("status", "")), str(chunk.get("id", ""))
                if status and (layer, status) not in seen and status not in ("Pushing", "Preparing", "Waiting"):
                    seen.add((layer, status))
                    echo(f"  {layer + ': ' if layer else ''}{status}")
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error:
            error = f"cannot push to {repository.split('/')[0]}: {error}"
        results.append((ctx, error))
    return results
