"""Installing a repository compiles its pieces' models.py in each dependency group's own environment,
with an allow-listed environment and a time limit: a hostile models.py sees no secret of the installer."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece
from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.sources import LocalSource
from tests.unit.repositories.conftest import Steps, assert_nothing_left, copy_repo

PROBE_REPO = Path(__file__).resolve().parents[2] / "fixtures" / "sandbox_probe_repo"

#: Planted in the installing process, as Airflow's own processes hold them.
CANARIES = {
    "AIRFLOW__CORE__FERNET_KEY": "canary-fernet-7Qx2",
    "AIRFLOW__API_AUTH__JWT_SECRET": "canary-jwt-Lk93",
    "AWS_SECRET_ACCESS_KEY": "canary-aws-Zp41",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "sqlite:////nonexistent/canary-db-Wm07.db",
    "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN": "sqlite:////nonexistent/canary-domino-Hr55.db",
    "GOOGLE_APPLICATION_CREDENTIALS": "/secrets/canary-gcp-Ys18.json",
    "KUBERNETES_SERVICE_HOST": "canary-k8s-Vb26",
}
#: What a child may see: the allow-list's fixed names and what the sandbox sets itself.
ALLOWED = {"PATH", "LANG", "LANGUAGE", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"}
SET_BY_SANDBOX = {"HOME", "TMPDIR", "PYTHONPATH", "PYTHONNOUSERSITE", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}


def shared_repositories_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repositories folder per session for the sandbox tests: their virtualenvs are built once."""
    return tmp_path_factory.getbasetemp() / "sandbox-repositories"


@pytest.fixture(scope="module")
def venv_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_repositories_root(tmp_path_factory)


@pytest.fixture
def secret_holder() -> Iterator[int]:
    """Another process of this user with the secrets in its environment, as Airflow's processes have them."""
    holder = subprocess.Popen(["sleep", "300"], env={"PATH": os.environ["PATH"], **CANARIES})
    try:
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def assert_sees_no_secret(seen: dict[str, object]) -> None:
    text = json.dumps(seen)
    leaked = [name for name, value in CANARIES.items() if value in text]
    assert leaked == [], f"the piece code saw {leaked}"
    environ = seen["environ"]
    assert isinstance(environ, dict)
    unexpected = {k for k in environ if k not in ALLOWED | SET_BY_SANDBOX and not k.startswith("LC_")}
    assert unexpected == set(), unexpected
    assert seen["airflow_importable"] is False
    assert environ["HOME"] != os.environ.get("HOME")
    assert seen["other_processes"] == {}  # its own PID namespace: no other /proc/<pid>/environ
    assert seen["visible_pids"] <= 2


def test_hostile_models_see_no_secret_and_compile_in_their_groups_environment(
    session: Session, venv_root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch, secret_holder: int
) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    installed = installer.install(
        session, LocalSource(str(PROBE_REPO)), "", root=venv_root, installed_by="t", progress=progress
    )
    assert sorted(installed.pieces) == ["HogPiece", "SnoopPiece", "SnoopSlugifyPiece"]
    pieces = {p.name: p for p in session.query(Piece).all()}
    base = pieces["SnoopPiece"].input_schema["x-seen"]
    slug = pieces["SnoopSlugifyPiece"].input_schema["x-seen"]
    for seen in (base, slug):
        assert_sees_no_secret(seen)
        assert Path(seen["executable"]).is_relative_to(venv_root / "_venvs")  # not Airflow's interpreter
        assert not Path(seen["environ"]["HOME"]).exists()  # a fresh folder, removed afterwards
        assert seen["environ"]["PYTHONPATH"].count(os.pathsep) == 0  # the SDK only
    # python-slugify is importable only in its group's virtualenv, where that group's models ran
    assert base["prefix"] != slug["prefix"]
    assert Path(slug["slugify_file"]).is_relative_to(slug["prefix"])


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{pid}: {cmdline}")
    return found


def test_a_models_py_that_hangs_is_stopped_at_the_compile_time_limit(
    session: Session, root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = copy_repo(PROBE_REPO, tmp_path / "repo")
    pid_file = tmp_path / "sleeper.pid"
    slow = repo / "pieces" / "SlowPiece"
    slow.mkdir()
    (slow / "models.py").write_text(
        "import os, time\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "time.sleep(120)\n"
        "from pydantic import BaseModel\n"
        "class InputModel(BaseModel):\n    pass\n"
        "class OutputModel(BaseModel):\n    pass\n"
    )
    (slow / "piece.py").write_text(
        "from domino.base_piece import BasePiece\n\n\nclass SlowPiece(BasePiece):\n"
        "    def piece_function(self, input_data):\n        return {}\n"
    )
    monkeypatch.setenv("AIRFLOW__DOMINO__COMPILE_TIMEOUT_S", "3")
    started = time.monotonic()
    with pytest.raises(InstallError) as caught:
        installer.install(
            session, LocalSource(str(repo)), "", root=root, installed_by="t", progress=progress, build_runtimes=False
        )
    elapsed = time.monotonic() - started
    assert caught.value.problems == [
        {
            "file": "pieces/SlowPiece/models.py",
            "field": None,
            "message": "compiling SlowPiece did not finish within the time limit ([domino] compile_timeout_s = 3) "
            "and was stopped",
        }
    ]
    assert elapsed < 30, elapsed
    assert pid_file.is_file()  # the models.py did start
    assert _processes_mentioning(str(root)) == []  # the sleeping compile was killed, not left behind
    assert_nothing_left(session, root, "sandbox_probe_pieces", "0.1.0")


def test_an_allowlist_naming_a_secret_variable_is_refused(
    session: Session, root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__PIECE_ENV_ALLOWLIST", "HTTPS_PROXY, AWS_SECRET_ACCESS_KEY")
    with pytest.raises(InstallError, match=r"\[domino\] piece_env_allowlist: refusing to pass AWS_SECRET_ACCESS_KEY"):
        installer.install(
            session, LocalSource(str(PROBE_REPO)), "", root=root, installed_by="t", progress=progress,
            build_runtimes=False,
        )  # fmt: skip
    assert_nothing_left(session, root, "sandbox_probe_pieces", "0.1.0")


def test_an_allowlisted_variable_reaches_the_compile(
    session: Session, venv_root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__PIECE_ENV_ALLOWLIST", "HTTPS_PROXY")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CANARIES["AWS_SECRET_ACCESS_KEY"])
    installer.install(session, LocalSource(str(PROBE_REPO)), "", root=venv_root, installed_by="t", progress=progress)
    snoop = session.query(Piece).filter_by(name="SnoopPiece").one()
    environ = snoop.input_schema["x-seen"]["environ"]
    assert environ["HTTPS_PROXY"] == "http://proxy.example:3128"
    assert "AWS_SECRET_ACCESS_KEY" not in environ
