"""``domino-pieces test``: run a repository's piece tests in a virtualenv made for them.

The author's own environment rarely holds a repository's requirements (and must not need to), so
the tests run in a virtualenv with the SDK, pytest and every ``dependencies/requirements*.txt`` of
the repository. The environment is cached, keyed by the SDK version, the Python version and the
requirements files' content, so the second run starts pytest at once; it is rebuilt when one of
them changes. The SDK itself is installed from the running SDK's own files (packed into a wheel
here), never downloaded: what is tested is exactly the SDK the author has.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import airflow_domino_sdk

__all__ = ["TestEnvError", "default_cache_dir", "ensure_test_environment", "pytest_command", "run_tests", "sdk_wheel"]

DISTRIBUTION = "airflow-domino-sdk"
PYTEST_PLUGIN = "airflow_domino_sdk.pytest_plugin"
SDK_DIR = Path(airflow_domino_sdk.__file__).resolve().parent
_READY = ".domino-test-env"
_SDK_DIGEST = ".domino-sdk-digest"

Progress = Callable[[str], None]


class TestEnvError(Exception):
    """The environment could not be prepared; the message says what failed."""

    __test__ = False  # not a pytest test class


def default_cache_dir() -> Path:
    """``$DOMINO_PIECES_CACHE``, else ``$XDG_CACHE_HOME/domino-pieces``, else ``~/.cache/domino-pieces``."""
    if os.environ.get("DOMINO_PIECES_CACHE"):
        return Path(os.environ["DOMINO_PIECES_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "domino-pieces"


def requirements_files(repo: Path) -> list[Path]:
    """The repository's ``dependencies/requirements*.txt``, in name order."""
    folder = repo / "dependencies"
    return sorted(folder.glob("requirements*.txt")) if folder.is_dir() else []


def _sdk_files() -> list[tuple[str, Path]]:
    files = []
    for path in sorted(SDK_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            files.append((f"airflow_domino_sdk/{path.relative_to(SDK_DIR).as_posix()}", path))
    return files


def _metadata_text(version: str) -> tuple[str, str]:
    """METADATA and entry_points.txt of the installed distribution (or minimal ones when run from a path)."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
        meta, entry_points = dist.read_text("METADATA"), dist.read_text("entry_points.txt")
        if meta and dist.version == version:
            return meta, entry_points or ""
    except metadata.PackageNotFoundError:
        pass
    meta = f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: {version}\nRequires-Dist: pydantic<3,>=2\n"
    return meta, "[console_scripts]\ndomino-pieces = airflow_domino_sdk.cli.main:main\n"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest},{len(data)}"


def sdk_wheel(target_dir: Path) -> tuple[Path, str]:
    """Pack the running SDK into a wheel in ``target_dir``; returns (wheel, digest of its files).

    Pure Python files only, so a wheel is a zip with a dist-info folder; building it here needs no
    build backend and no network.
    """
    version = airflow_domino_sdk.__version__
    dist_info = f"airflow_domino_sdk-{version}.dist-info"
    meta, entry_points = _metadata_text(version)
    entries: list[tuple[str, bytes]] = [(name, path.read_bytes()) for name, path in _sdk_files()]
    digest = hashlib.sha256(b"".join(name.encode() + b"\0" + data for name, data in entries)).hexdigest()[:16]
    wheel_file = b"Wheel-Version: 1.0\nGenerator: domino-pieces\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries += [
        (f"{dist_info}/METADATA", meta.encode()),
        (f"{dist_info}/WHEEL", wheel_file),
        (f"{dist_info}/entry_points.txt", entry_points.encode()),
        (f"{dist_info}/top_level.txt", b"airflow_domino_sdk\n"),
    ]
    record = "".join(f"{name},{_record_hash(data)}\n" for name, data in entries) + f"{dist_info}/RECORD,,\n"
    target_dir.mkdir(parents=True, exist_ok=True)
    wheel = target_dir / f"airflow_domino_sdk-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
        archive.writestr(f"{dist_info}/RECORD", record)
    return wheel, digest


def environment_key(repo: Path, python: str = sys.executable) -> str:
    """What the environment depends on: SDK version, Python version, the requirements files' content."""
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True, check=False
    ).stdout.strip()
    material = f"sdk={airflow_domino_sdk.__version__}|python={version}"
    for path in requirements_files(repo):
        material += f"|{path.name}\0{path.read_text(encoding='utf-8')}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    if result.returncode != 0:
        output = (result.stderr.strip() + "\n" + result.stdout.strip()).strip()
        raise TestEnvError(f"could not {what}:\n{output[-3000:]}")


@dataclass(frozen=True)
class TestEnvironment:
    python: Path
    path: Path
    reused: bool

    __test__ = False


def ensure_test_environment(
    repo: Path, cache_dir: Path, progress: Progress, *, python: str = sys.executable
) -> TestEnvironment:
    """The cached environment for ``repo``, created (or refreshed) when needed."""
    envs = cache_dir / "test-envs"
    venv = envs / environment_key(repo, python)
    venv_python = venv / "bin" / "python"
    wheels = Path(tempfile.mkdtemp(prefix="domino-sdk-wheel-"))
    try:
        wheel, digest = sdk_wheel(wheels)
        if (venv / _READY).is_file() and venv_python.exists():
            progress(f"Reusing the test environment {venv}")
            if (venv / _SDK_DIGEST).read_text(encoding="utf-8").strip() != digest:
                progress(f"Updating the SDK {airflow_domino_sdk.__version__} in it (its files changed)")
                _run(
                    [str(venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                     "--no-deps", "--force-reinstall", str(wheel)],
                    "update the SDK in the test environment",
                )  # fmt: skip
                (venv / _SDK_DIGEST).write_text(digest, encoding="utf-8")
            return TestEnvironment(venv_python, venv, reused=True)
        envs.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=envs))
        try:
            progress(f"Creating a test environment in {venv}")
            _run([python, "-m", "venv", str(building)], "create the virtualenv")
            requirements = requirements_files(repo)
            listed = ", ".join(f"dependencies/{p.name}" for p in requirements) or "no requirements files"
            progress(f"Installing the SDK {airflow_domino_sdk.__version__}, pytest and {listed}")
            command = [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet",
                       "--disable-pip-version-check", str(wheel), "pytest"]  # fmt: skip
            for path in requirements:
                command += ["--requirement", str(path)]
            _run(command, "install the test environment's packages")
            (building / _SDK_DIGEST).write_text(digest, encoding="utf-8")
            (building / _READY).write_text(airflow_domino_sdk.__version__, encoding="utf-8")
            if venv.exists():  # another run finished first: keep theirs
                shutil.rmtree(building, ignore_errors=True)
            else:
                building.rename(venv)
                # A venv's scripts carry its path; rebuild them for the final location.
                _run([python, "-m", "venv", "--upgrade", str(venv)], "finish the virtualenv")
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        return TestEnvironment(venv_python, venv, reused=False)
    finally:
        shutil.rmtree(wheels, ignore_errors=True)


def _is_path_argument(argument: str, repo: Path) -> bool:
    if argument.startswith("-"):
        return False
    candidate = argument.split("::")[0]
    return (repo / candidate).exists() or Path(candidate).exists()


def pytest_command(python: Path, repo: Path, pytest_args: Sequence[str]) -> list[str]:
    """pytest with the SDK's plugin (so ``domino.testing`` imports), on ``pieces/`` and ``tests/``
    unless the arguments name paths themselves."""
    command = [str(python), "-m", "pytest", "-p", PYTEST_PLUGIN]
    if not any(arg == "--rootdir" or arg.startswith("--rootdir=") for arg in pytest_args):
        command.append(f"--rootdir={repo}")
    if not any(_is_path_argument(arg, repo) for arg in pytest_args):
        command += [name for name in ("pieces", "tests") if (repo / name).is_dir()]
    return command + list(pytest_args)


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_tests(
    repo: Path,
    pytest_args: Sequence[str],
    *,
    cache_dir: Path | None = None,
    progress: Progress = print,
    python: str = sys.executable,
) -> int:
    """Prepare the environment and run pytest in ``repo``; pytest's exit code.

    Raises :class:`TestEnvError` when the folder is not a pieces repository or the environment
    cannot be built.
    """
    repo = repo.resolve()
    if not (repo / "pieces").is_dir():
        raise TestEnvError(f"{repo} is not a pieces repository (it has no pieces/ folder)")
    env = ensure_test_environment(repo, cache_dir or default_cache_dir(), progress, python=python)
    command = pytest_command(env.python, repo, pytest_args)
    progress(f"Running: pytest {' '.join(command[3:])}")
    sys.stdout.flush()
    return subprocess.run(command, cwd=repo, env=_clean_env(env.path), check=False).returncode
