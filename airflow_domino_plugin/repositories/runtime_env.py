"""Local runtimes for the subprocess runner: one virtualenv per dependency group.

A virtualenv is keyed by what goes into it (Python version, pydantic version, the requirements
file's content), so it is created once, reused by every repository version with the same
requirements, and rebuilt when they change. Pieces see only their own packages plus the SDK,
never Airflow's environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import airflow_domino_sdk

from airflow_domino_plugin.repositories.errors import InstallError

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
    venvs.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=venvs))
    try:
        progress(f"Creating a virtualenv for {label}")
        _run([sys.executable, "-m", "venv", str(building)], "create the virtualenv")
        requirement_file = building / "requirements.txt"
        requirement_file.write_text(f"pydantic=={metadata.version('pydantic')}\n{requirements}\n")
        progress(f"Installing packages for {label}: {', '.join(_names(requirements)) or 'pydantic only'}")
        _run(
            [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--requirement", str(requirement_file)],
            f"install the requirements of {label}",
        )  # fmt: skip
        (building / ".ready").write_text(requirements)
        # Only `bin/python -m …` is ever run, so the move does not break anything that matters.
        if venv.exists():
            shutil.rmtree(venv)
        building.rename(venv)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return python


def _names(requirements: str) -> list[str]:
    return [line.split("#")[0].strip() for line in requirements.splitlines() if line.split("#")[0].strip()]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    if result.returncode != 0:
        raise InstallError(f"Could not {what}: {(result.stderr or result.stdout).strip()[-1500:]}")
