"""Installing a Debian package a test needs (a fresh machine may lack PostgreSQL, Redis or dockerd).

``make test-pin`` runs pytest sessions side by side, so the install takes a file lock: one session
installs, the others wait and then find the package there instead of racing for dpkg's lock.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

LOCK = Path(tempfile.gettempdir()) / "domino-apt-install.lock"


def ensure_package(package: str, present: Callable[[], bool], say: Callable[[str], None] = print) -> None:
    """Install ``package`` with apt-get (as root) unless ``present()`` already holds."""
    if present():
        return
    if os.geteuid() != 0:
        raise RuntimeError(f"Debian package {package} is not installed and installing it needs root")
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if present():
            return
        say(f"installing Debian package {package} (apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
        for command in (["apt-get", "update", "-q"], install):
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    if not present():
        raise RuntimeError(f"apt-get installed {package} but what the tests need from it is still missing")
