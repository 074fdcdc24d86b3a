"""Local runtimes for the subprocess runner: one virtualenv per dependency group.

A virtualenv is keyed by what goes into it (Python version, pydantic version, the requirements
file's content), so it is created once, reused by every repository version with the same
requirements, and rebuilt when they change. Pieces see only their own packages plus the SDK,
never Airflow's environment. ``pip`` (which runs packages' build scripts) gets the allow-listed
environment of :mod:`airflow_domino_sdk.sandbox_env` plus pip's own settings, never Airflow's secrets.

:func:`pydantic_only_environment` is the cheap interpreter for compiling models when no runtime
is built: a pip-less virtualenv that links in just pydantic and its dependencies.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import airflow_domino_sdk
from airflow_domino_sdk.sandbox_env import SandboxEnvError, isolation_prefix, sandbox_environ

from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.staging import staged_folder

Progress = Callable[[str], None]

SDK_PACKAGE_DIR = Path(airflow_domino_sdk.__file__).resolve().parent


def sdk_path(root: Path) -> Path:
    """A folder to put on a piece's PYTHONPATH that exposes only ``airflow_domino_sdk``."""
    folder = root / "_sdk"
    link = folder / "airflow_domino_sdk"
    if not link.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".sdk-{os.getpid()}"
        tmp.symlink_to(SDK_PACKAGE_DIR, target_is_directory=True)
        os.replace(tmp, link)
    return folder


def _key(requirements: str) -> str:
    pydantic_version = metadata.version("pydantic")
    material = f"{sys.version_info[:3]}|pydantic=={pydantic_version}|{requirements}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def ensure_environment(root: Path, requirements: str, progress: Progress, label: str) -> Path:
    """The Python interpreter of the environment for ``requirements`` (created if missing)."""
    venvs = root / "_venvs"
    venv = venvs / _key(requirements)
    python = venv / "bin" / "python"
    if (venv / ".ready").exists() and python.exists():
        progress(f"Reusing the environment for {label}")
        return python
    # Built aside, then moved into place: only `bin/python -m …` is ever run, so the move breaks nothing that matters.
    with staged_folder(venv, prefix=".building-") as building:
        progress(f"Creating a virtualenv for {label}")
        _run([sys.executable, "-m", "venv", str(building)], "create the virtualenv")
        requirement_file = building / "requirements.txt"
        requirement_file.write_text(f"pydantic=={metadata.version('pydantic')}\n{requirements}\n")
        progress(f"Installing packages for {label}: {', '.join(_names(requirements)) or 'pydantic only'}")
        _run(
            [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--requirement", str(requirement_file)],
            f"install the requirements of {label}",
            cache=root / "_pip_cache",
        )  # fmt: skip
        (building / ".ready").write_text(requirements)
    return python


def _names(requirements: str) -> list[str]:
    return [line.split("#")[0].strip() for line in requirements.splitlines() if line.split("#")[0].strip()]


def _user_pip_config() -> str | None:
    """The invoking user's pip configuration file, which pip would miss under a fresh HOME."""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for candidate in (config_home / "pip" / "pip.conf", Path.home() / ".pip" / "pip.conf"):
        if candidate.is_file():
            return str(candidate)
    return None


def _isolation() -> list[str]:
    """``[domino] process_isolation``'s command prefix for pip (packages' build scripts are untrusted code)."""
    from airflow_domino_plugin import config

    try:
        return isolation_prefix(config.get("process_isolation"))[0]
    except SandboxEnvError as exc:
        raise InstallError(f"[domino] process_isolation: {exc}") from exc


def _run(command: list[str], what: str, *, cache: Path | None = None) -> None:
    command = [*_isolation(), *command]
    with tempfile.TemporaryDirectory(prefix="domino-pip-") as scratch:
        env = sandbox_environ(home=scratch, tmpdir=scratch, package_install=True)
        if "PIP_CONFIG_FILE" not in env and (user_config := _user_pip_config()):
            env["PIP_CONFIG_FILE"] = user_config
        if cache is not None:
            env.setdefault("PIP_CACHE_DIR", str(cache))
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=1800, env=env, cwd=scratch
        )
    if result.returncode != 0:
        raise InstallError(f"Could not {what}: {(result.stderr or result.stdout).strip()[-1500:]}")


def _distribution_closure(name: str, found: dict[str, metadata.Distribution]) -> None:
    distribution = metadata.distribution(name)
    key = str(distribution.metadata["Name"]).lower().replace("_", "-")
    if key in found:
        return
    found[key] = distribution
    for requirement in distribution.requires or []:
        if ";" in requirement and "extra" in requirement.split(";", 1)[1]:
            continue
        match = re.match(r"[A-Za-z0-9_.-]+", requirement)
        if match:
            _distribution_closure(match.group(0), found)


def pydantic_only_environment(root: Path) -> Path:
    """The interpreter of a pip-less virtualenv holding only pydantic (linked from this environment)."""
    venvs = root / "_venvs"
    venv = venvs / f"pydantic-only-{_key('')}"
    python = venv / "bin" / "python"
    if (venv / ".ready").exists() and python.exists():
        return python
    with staged_folder(venv, prefix=".building-") as building:
        _run([sys.executable, "-m", "venv", "--without-pip", str(building)], "create the virtualenv")
        site = building / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
        found: dict[str, metadata.Distribution] = {}
        _distribution_closure("pydantic", found)
        for distribution in found.values():
            for top in sorted({Path(str(f)).parts[0] for f in distribution.files or []}):
                source = Path(str(distribution.locate_file(top)))
                if top in ("..", "__pycache__") or not source.exists() or (site / top).exists():
                    continue
                (site / top).symlink_to(source, target_is_directory=source.is_dir())
        (building / ".ready").write_text("pydantic only\n")
    return python
