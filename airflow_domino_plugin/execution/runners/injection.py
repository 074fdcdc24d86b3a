"""Where the SDK runtime is injected into a piece's container, shared by the Docker and Kubernetes runners.

A repository's published images hold Python, pydantic and the pieces' requirements, not our SDK.
Both runners therefore put the SDK package (read-only) at :data:`INJECTED_SDK_DIR` and point
``PYTHONPATH`` at it: Docker bind-mounts the package folder of the Airflow worker; Kubernetes copies
it from the runtime image into an ``emptyDir`` in an init container (:func:`init_copy_command`).
"""

from __future__ import annotations

from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR

#: On PYTHONPATH in the piece's container; holds ``airflow_domino_sdk/`` and nothing else.
INJECTED_SDK_DIR = "/opt/domino/runtime"
SDK_PACKAGE = "airflow_domino_sdk"
RUNTIME_MODULE = f"{SDK_PACKAGE}.runtime"

__all__ = [
    "IMAGE_REPOSITORY_DIR",
    "INJECTED_SDK_DIR",
    "RUNTIME_MODULE",
    "SDK_PACKAGE",
    "init_copy_command",
    "runtime_env",
]


def runtime_env() -> dict[str, str]:
    """Environment the runtime needs in any image (no secret ever goes here)."""
    return {
        "PYTHONPATH": INJECTED_SDK_DIR,
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",  # the injected SDK and the pieces' code are read-only
    }


def init_copy_command(target: str = INJECTED_SDK_DIR) -> list[str]:
    """Copy the SDK package of the image's own Python into ``target`` (the shared emptyDir).

    Runs in the runtime image (the plugin's image, which has the SDK installed), so it imports the
    package to find it rather than assuming a site-packages path.
    """
    script = (
        "import os, shutil, sys\n"
        f"import {SDK_PACKAGE} as sdk\n"
        "source = os.path.dirname(sdk.__file__)\n"
        f"target = os.path.join({target!r}, {SDK_PACKAGE!r})\n"
        "shutil.rmtree(target, ignore_errors=True)\n"
        "shutil.copytree(source, target, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))\n"
        "print('copied the SDK runtime from', source, 'to', target, flush=True)\n"
    )
    return ["python", "-c", script]
