"""The environment untrusted piece code is started with: an allow-list, never the caller's environment.

Repository compilation (importing each piece's ``models.py``), dependency installs (``pip`` runs
packages' build scripts) and local piece runs all start child processes from Airflow's own
processes, whose environment holds ``AIRFLOW__*`` secrets (Fernet key, JWT secret, database URLs),
cloud credentials and service-account settings. Those children get only what is named here:

- always: ``PATH``, ``LANG``/``LC_*``, ``TZ``, and CA-bundle *paths* (``SSL_CERT_FILE``,
  ``SSL_CERT_DIR``, ``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) so TLS behind a company proxy works;
- set by us: ``HOME`` and ``TMPDIR`` (fresh folders of the caller's choosing), ``PYTHONPATH``
  (the SDK only), ``PYTHONNOUSERSITE=1``, ``PYTHONUNBUFFERED=1``, ``PYTHONDONTWRITEBYTECODE=1``;
- for package installs only: pip's own settings (``PIP_*``) and the proxy variables;
- whatever an administrator adds by name (``extra_names``), except names in :data:`DENIED` —
  those are refused, so a misconfiguration cannot reopen the hole.

An environment alone does not hide secrets: a process of the same user may read the others'
``/proc/<pid>/environ``. :func:`isolation_prefix` therefore starts children, where the kernel
allows it, in their own user and PID namespaces with a private ``/proc`` (util-linux ``unshare``),
so no other process of the machine is visible. It is not a file-system sandbox: a local child
still reads what the OS user can read. Containers (the docker/kubernetes runners) isolate that.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = [
    "ALWAYS",
    "DENIED",
    "ISOLATION_MODES",
    "PACKAGE_INSTALL",
    "SandboxEnvError",
    "check_extra_names",
    "isolation_prefix",
    "sandbox_environ",
]

#: Copied from the caller's environment when set (``LC_*`` is a pattern).
ALWAYS: tuple[str, ...] = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TZ",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)

#: Also copied for dependency installs: pip's configuration and the network proxies it may need.
PACKAGE_INSTALL: tuple[str, ...] = (
    "PIP_*",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)

#: Never passed on, whatever ``extra_names`` says (patterns, case-sensitive as the OS is).
DENIED: tuple[str, ...] = (
    "AIRFLOW*",
    "_AIRFLOW*",
    "AWS_*",
    "GOOGLE_*",
    "GCLOUD_*",
    "CLOUDSDK_*",
    "AZURE_*",
    "ARM_*",
    "KUBERNETES_*",
    "KUBECONFIG",
    "DOMINO_*",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONINSPECT",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
)


class SandboxEnvError(ValueError):
    """An allow-list entry that names a denied variable."""


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def check_extra_names(names: Iterable[str]) -> list[str]:
    """The stripped, non-empty names; :class:`SandboxEnvError` naming any that :data:`DENIED` covers."""
    extra = [name.strip() for name in names if name.strip()]
    refused = [name for name in extra if _matches(name, DENIED)]
    if refused:
        raise SandboxEnvError(
            f"refusing to pass {', '.join(refused)} to piece code: names matching {', '.join(DENIED)} never are"
        )
    return extra


def sandbox_environ(
    *,
    home: str | os.PathLike[str],
    tmpdir: str | os.PathLike[str],
    pythonpath: Iterable[str | os.PathLike[str]] = (),
    package_install: bool = False,
    extra_names: Iterable[str] = (),
    source: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The allow-listed environment for a child process (see the module docstring).

    ``home`` and ``tmpdir`` must exist; ``pythonpath`` should hold only the SDK's folder.
    Raises :class:`SandboxEnvError` when ``extra_names`` names a denied variable.
    """
    environ = os.environ if source is None else source
    extra = check_extra_names(extra_names)
    allowed = (*ALWAYS, *(PACKAGE_INSTALL if package_install else ()), *extra)
    env = {name: value for name, value in environ.items() if _matches(name, allowed) and not _matches(name, DENIED)}
    env.setdefault("PATH", os.defpath)
    env["HOME"] = str(Path(home))
    env["TMPDIR"] = str(Path(tmpdir))
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # installed repositories stay as fetched
    paths = [str(p) for p in pythonpath]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


#: ``auto``: isolate where the kernel allows it; ``required``: refuse to run otherwise; ``off``: never.
ISOLATION_MODES = ("auto", "required", "off")
_UNSHARE_ARGS = ("--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--kill-child", "--")


@functools.cache
def _probe_isolation() -> tuple[tuple[str, ...], str]:
    executable = shutil.which("unshare")
    if executable is None:
        return (), "util-linux `unshare` is not installed"
    try:
        probe = subprocess.run(
            [executable, *_UNSHARE_ARGS, "true"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return (), f"`unshare` failed: {exc}"
    if probe.returncode != 0:
        return (), f"the kernel refused new user/PID namespaces: {probe.stderr.strip() or probe.returncode}"
    return (executable, *_UNSHARE_ARGS), ""


def isolation_prefix(mode: str) -> tuple[list[str], str]:
    """(command prefix, "") that starts a child in its own PID namespace, or ([], why not).

    ``mode`` is one of :data:`ISOLATION_MODES`; ``required`` raises :class:`SandboxEnvError` when
    isolation is unavailable. The child is PID 1 of its namespace and sees no other process; it is
    killed when the prefix's process (``unshare``) is.
    """
    mode = (mode or "auto").strip().lower()
    if mode not in ISOLATION_MODES:
        raise SandboxEnvError(f"{mode!r} is not one of {', '.join(ISOLATION_MODES)}")
    if mode == "off":
        return [], "turned off"
    prefix, reason = _probe_isolation()
    if not prefix and mode == "required":
        raise SandboxEnvError(f"process isolation is required but unavailable: {reason}")
    return list(prefix), reason
