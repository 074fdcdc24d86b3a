"""A Docker engine and base images for tests and the local stack (dev tooling, not shipped).

- :func:`ensure_engine`: use the engine that answers (``DOCKER_HOST`` or /var/run/docker.sock);
  otherwise start Debian's ``dockerd`` as root with exactly
  ``--bridge=none --iptables=false --ip-forward=false`` (no bridge network, no private-range
  addresses; only our own data root, pidfile and socket), and stop it when the last user leaves.
  Users are counted by PID files, so concurrent test sessions share one engine safely.
- :func:`ensure_base_image`: a Debian bookworm image with only Python (debootstrap minbase,
  ``docker import``); the root file system tarball is cached on disk keyed by the recipe, so a
  later run with an empty engine only re-imports it.
- :func:`ensure_pydantic_image`: that base plus a virtualenv holding pydantic (the version this
  machine's SDK uses), built with the docker package on the host network with the host's pip
  settings (CA bundle, constraints) copied into the build context.

    python -m tools.docker_engine ensure       # start (or find) an engine and leave it running
    python -m tools.docker_engine stop         # stop an engine started by `ensure`
    python -m tools.docker_engine base-image   # ensure the base and pydantic images
    python -m tools.docker_engine repository-images examples/pieces   # its groups' images
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from docker.errors import DockerException, ImageNotFound

import docker
from tools.debian import ensure_package

CACHE = Path(os.environ.get("DOMINO_DOCKER_CACHE") or Path.home() / ".cache" / "airflow-domino")
STATE = CACHE / "dockerd"
SOCKET = "/var/run/docker.sock"
DEFAULT_URL = f"unix://{SOCKET}"
#: The only flags this project starts dockerd with, besides its own folders and socket.
DOCKERD_FLAGS = ("--bridge=none", "--iptables=false", "--ip-forward=false")
SUITE = "bookworm"
PACKAGES = "python3,python3-venv,python3-pip"
BASE_IMAGE = "airflow-domino/python-base:bookworm"
PYDANTIC_IMAGE = "airflow-domino/python-pydantic:bookworm"
START_TIMEOUT_S = 60.0


def _say(message: str) -> None:
    print(f"[docker_engine] {message}", file=sys.stderr, flush=True)


def _url() -> str:
    return os.environ.get("DOCKER_HOST") or DEFAULT_URL


def answers(url: str | None = None, timeout: float = 3.0) -> bool:
    """True when an engine at ``url`` (default: DOCKER_HOST or the standard socket) answers a ping."""
    try:
        client = docker.DockerClient(base_url=url or _url(), timeout=int(timeout) or 1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (DockerException, OSError, ValueError):
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _our_dockerd() -> int | None:
    """PID of a dockerd this module started that still runs, else None."""
    pidfile = STATE / "dockerd.pid"
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    import fcntl

    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _users() -> Path:
    folder = STATE / "users"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _live_users() -> list[str]:
    live = []
    for entry in _users().iterdir():
        if entry.name == "pinned" or (entry.name.isdigit() and _pid_alive(int(entry.name))):
            live.append(entry.name)
        else:
            entry.unlink(missing_ok=True)
    return live


def _which(executable: str) -> str | None:
    """On PATH, or in the sbin/bin folders a non-login root shell may lack."""
    found = shutil.which(executable)
    candidates = (Path("/usr/sbin") / executable, Path("/usr/bin") / executable)
    return found or next((str(path) for path in candidates if path.exists()), None)


def ensure_installed(package: str, executable: str) -> str:
    """The path of ``executable``, installing its Debian package first when it is missing (as root).

    A fresh machine may have only the Docker client; the tests then install what they start,
    as tools/postgres.py does for PostgreSQL.
    """
    found = _which(executable)
    if found:
        return found
    ensure_package(package, lambda: _which(executable) is not None, say=_say)
    found = _which(executable)
    if not found:
        raise RuntimeError(f"apt-get installed {package} but {executable} is still not found")
    return found


def start_dockerd() -> int:
    """Start dockerd with the project's flags and wait until it answers; return its PID."""
    if os.geteuid() != 0:
        raise RuntimeError("No Docker engine answers and starting dockerd needs root")
    dockerd = ensure_installed("docker.io", "dockerd")
    data_root = CACHE / "docker-data"
    data_root.mkdir(parents=True, exist_ok=True)
    STATE.mkdir(parents=True, exist_ok=True)
    command = [
        dockerd,
        *DOCKERD_FLAGS,
        f"--data-root={data_root}",
        f"--pidfile={STATE / 'dockerd.pid'}",
        f"--exec-root={STATE / 'exec'}",
        f"--host={DEFAULT_URL}",
    ]
    _say(f"starting {' '.join(command)}")
    log = open(STATE / "dockerd.log", "ab")  # noqa: SIM115 - handed to the daemon
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (STATE / "dockerd.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"dockerd exited with code {process.returncode}:\n{tail}")
        if answers(DEFAULT_URL, timeout=2):
            (STATE / "dockerd.pid").write_text(str(process.pid))
            _say(f"dockerd {process.pid} answers on {DEFAULT_URL}")
            return process.pid
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"dockerd did not answer within {START_TIMEOUT_S:.0f}s; see {STATE / 'dockerd.log'}")


def stop_dockerd(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM, wait, then SIGKILL if it will not go."""
    _say(f"stopping dockerd {pid}")
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(pid):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)
    if _pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    (STATE / "dockerd.pid").unlink(missing_ok=True)


def _acquire(pin: bool = False) -> str:
    """Make an engine answer and register this process (or a pin) as a user; return its URL."""
    with _lock():
        user = _users() / ("pinned" if pin else str(os.getpid()))
        if _our_dockerd() is not None and answers(DEFAULT_URL):
            user.touch()
            return DEFAULT_URL
        if answers():
            return _url()  # someone else's engine: use it, never stop it
        start_dockerd()
        user.touch()
        return DEFAULT_URL


def _release() -> None:
    """Unregister this process; stop our dockerd when no user is left."""
    with _lock():
        (_users() / str(os.getpid())).unlink(missing_ok=True)
        pid = _our_dockerd()
        if pid is not None and not _live_users():
            stop_dockerd(pid)


@contextlib.contextmanager
def ensure_engine() -> Iterator[docker.DockerClient]:
    """A client of an engine that answers; an engine started here is stopped on exit (last user)."""
    url = _acquire()
    previous = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = url  # so child processes (the Airflow stack) find the same engine
    client = docker.DockerClient(base_url=url, timeout=300)
    try:
        yield client
    finally:
        client.close()
        if previous is None:
            os.environ.pop("DOCKER_HOST", None)
        else:
            os.environ["DOCKER_HOST"] = previous
        _release()


# ----------------------------------------------------------------------------- images


def _recipe_key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def base_rootfs(progress: bool = True) -> Path:
    """The cached root file system tarball of the base image (built with debootstrap if missing)."""
    key = _recipe_key("debootstrap", "minbase", SUITE, PACKAGES, "python-symlink")
    tarball = CACHE / "base-images" / f"{SUITE}-python-{key}.tar"
    if tarball.exists():
        return tarball
    tarball.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="domino-debootstrap-", dir=tarball.parent))
    try:
        root = work / "root"
        _say(f"debootstrap {SUITE} (minbase, {PACKAGES}) into {root}; a few minutes the first time")
        debootstrap = ensure_installed("debootstrap", "debootstrap")
        command = [debootstrap, "--variant=minbase", f"--include={PACKAGES}", SUITE, str(root)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        tail: list[str] = []
        phase = ""
        for line in process.stdout:
            tail = [*tail[-40:], line]
            words = line.split()
            if progress and len(words) > 1 and words[1] != phase:  # one line per phase, not per package
                phase = words[1]
                _say(line.rstrip())
        if process.wait() != 0:
            raise RuntimeError(f"debootstrap failed:\n{''.join(tail)}")
        # `python` as well as `python3`, as images built FROM python:* have; no apt lists or caches.
        (root / "usr" / "bin" / "python").unlink(missing_ok=True)
        (root / "usr" / "bin" / "python").symlink_to("python3")
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for item in (root / junk).glob("*"):
                if item.is_file():
                    item.unlink()
        partial = work / "rootfs.tar"
        subprocess.run(["tar", "-C", str(root), "-cf", str(partial), "."], check=True)
        os.replace(partial, tarball)
        _say(f"cached the root file system in {tarball} ({tarball.stat().st_size // 2**20} MiB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tarball


def _has_image(client: docker.DockerClient, name: str) -> bool:
    try:
        client.images.get(name)
    except ImageNotFound:
        return False
    return True


def ensure_base_image(client: docker.DockerClient, name: str = BASE_IMAGE) -> str:
    """``name``: Debian bookworm with python3 (and ``python``), venv and pip — and nothing else."""
    if _has_image(client, name):
        return name
    tarball = base_rootfs()
    _say(f"importing {tarball.name} as {name}")
    with open(tarball, "rb") as handle:
        client.api.import_image_from_data(
            handle,
            repository=name.rsplit(":", 1)[0],
            tag=name.rsplit(":", 1)[1] if ":" in name else "latest",
            changes=["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 'CMD ["python3"]'],
        )
    return name


def host_pip_files() -> dict[str, Path]:
    """The host's pip settings a build needs: {name in the build context: host file}."""
    files: dict[str, Path] = {}
    cert = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    if cert and Path(cert).is_file():
        files["ca.crt"] = Path(cert)
    constraint = Path("/etc/xdg/pip/constraints.txt")
    if constraint.is_file():
        files["constraints.txt"] = constraint
    return files


def build_image(
    client: docker.DockerClient, name: str, dockerfile: str, files: dict[str, bytes | Path] | None = None
) -> str:
    """Build ``dockerfile`` with ``files`` as its context on the host network, printing each step."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for arcname, content in {"Dockerfile": dockerfile.encode(), **(files or {})}.items():
            data = content.read_bytes() if isinstance(content, Path) else content
            info = tarfile.TarInfo(arcname)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    context.seek(0)
    _say(f"building {name}")
    tail: list[str] = []
    for chunk in client.api.build(
        fileobj=context, custom_context=True, tag=name, network_mode="host", rm=True, forcerm=True, decode=True
    ):
        if "stream" in chunk:
            text = str(chunk["stream"]).rstrip()
            if text:
                tail = [*tail[-30:], text]
                if text.startswith("Step "):
                    _say(text)
        if "error" in chunk:
            raise RuntimeError(f"building {name} failed: {chunk['error']}\n" + "\n".join(tail))
    return name


def pip_install_dockerfile(base: str, requirements: list[str]) -> tuple[str, dict[str, Any]]:
    """A Dockerfile (and context files) installing ``requirements`` into /opt/venv on ``base``."""
    files: dict[str, Any] = dict(host_pip_files())
    env = ["PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1"]
    lines = [f"FROM {base}"]
    if "ca.crt" in files:
        lines.append("COPY ca.crt /etc/domino-build/ca.crt")
        env += ["PIP_CERT=/etc/domino-build/ca.crt", "SSL_CERT_FILE=/etc/domino-build/ca.crt"]
    if "constraints.txt" in files:
        lines.append("COPY constraints.txt /etc/domino-build/constraints.txt")
        env.append("PIP_CONSTRAINT=/etc/domino-build/constraints.txt")
    files["requirements.txt"] = ("\n".join(requirements) + "\n").encode()
    lines += [
        "COPY requirements.txt /etc/domino-build/requirements.txt",
        "RUN python3 -m venv /opt/venv && "
        + " ".join(env)
        + " /opt/venv/bin/pip install --quiet -r /etc/domino-build/requirements.txt",
        "ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ]
    return "\n".join(lines) + "\n", files


def ensure_pip_image(client: docker.DockerClient, name: str, requirements: list[str], base: str = BASE_IMAGE) -> str:
    """``base`` plus a virtualenv (first on PATH) holding ``requirements``; built once per name."""
    if _has_image(client, name):
        return name
    ensure_base_image(client, base)
    dockerfile, files = pip_install_dockerfile(base, requirements)
    return build_image(client, name, dockerfile, files)


def ensure_pydantic_image(client: docker.DockerClient, name: str = PYDANTIC_IMAGE) -> str:
    """The base image plus pydantic at the version the host's SDK uses (and not the SDK)."""
    return ensure_pip_image(client, name, [f"pydantic=={metadata.version('pydantic')}"])


def ensure_repository_images(
    client: docker.DockerClient, repo: Path, groups: set[str] | None = None, base: str = PYDANTIC_IMAGE
) -> dict[str, str]:
    """Images like a repository publishes (Python, pydantic, the group's requirements; no SDK, no piece
    code), tagged with the name an install records for each group; returns {group: image}. Built once
    per name. (``domino-pieces build-images`` builds the real thing, with the pieces' code.)"""
    from airflow_domino_sdk.images import recorded_images
    from airflow_domino_sdk.repository import compile_repository

    if base == PYDANTIC_IMAGE:
        ensure_pydantic_image(client, base)
    pydantic = f"pydantic=={metadata.version('pydantic')}"
    images: dict[str, str] = {}
    dependencies_map = compile_repository(repo).dependencies_map
    names = recorded_images(repo, dependencies_map)  # the names an install records (the one naming rule)
    for group, spec in dependencies_map.items():
        if groups is not None and group not in groups:
            continue
        image, dependency = names[group], spec["dependency"]
        if dependency.get("dockerfile") or dependency.get("docker_image"):
            _say(f"skipping {group} ({image}): built from its own Dockerfile/image, not by this tool")
            continue
        if dependency.get("requirements_file"):
            lines = (repo / "dependencies" / dependency["requirements_file"]).read_text().splitlines()
            wanted = [pydantic, *(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())]
            ensure_pip_image(client, image, wanted)
        elif not _has_image(client, image):
            client.images.get(base).tag(image)
        images[group] = image
    return images


@contextlib.contextmanager
def local_registry(folder: Path) -> Iterator[str]:
    """Debian's docker-registry on 127.0.0.1 (engines treat 127.0.0.0/8 as insecure) with storage in
    ``folder``; yields ``host:port``."""
    import httpx

    from tools.localstack import free_port

    address = f"127.0.0.1:{free_port()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(
        f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {folder / 'storage'}\n"
        f"  delete:\n    enabled: true\nhttp:\n  addr: {address}\n"
    )
    registry = ensure_installed("docker-registry", "docker-registry")
    with open(folder / "registry.log", "wb") as log:
        process = subprocess.Popen([registry, "serve", str(folder / "config.yml")], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://{address}/v2/", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"docker-registry did not answer: {(folder / 'registry.log').read_text()}")
            time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=20)


# ----------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docker_engine", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ensure", help="find or start an engine and leave it running (until `stop`)")
    sub.add_parser("stop", help="stop the engine `ensure` started (if no test session still uses it)")
    sub.add_parser("base-image", help=f"ensure {BASE_IMAGE} and {PYDANTIC_IMAGE}")
    sub.add_parser("status", help="print whether an engine answers and who started it")
    images = sub.add_parser("repository-images", help="build a pieces repository's group images (no SDK)")
    images.add_argument("repositories", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "ensure":
        print(_acquire(pin=True))
    elif args.command == "stop":
        with _lock():
            (_users() / "pinned").unlink(missing_ok=True)
            pid = _our_dockerd()
            if pid is None:
                _say("no dockerd started by this tool runs")
            elif _live_users():
                _say(f"dockerd {pid} is still used by {', '.join(_live_users())}; it stops when they finish")
            else:
                stop_dockerd(pid)
    elif args.command == "base-image":
        with ensure_engine() as client:
            print(ensure_base_image(client))
            print(ensure_pydantic_image(client))
    elif args.command == "repository-images":
        with ensure_engine() as client:
            for repo in args.repositories:
                for group, image in ensure_repository_images(client, repo.resolve()).items():
                    print(f"{repo} {group}: {image}")
    else:
        print(json.dumps({"url": _url(), "answers": answers(), "started_here": _our_dockerd()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
