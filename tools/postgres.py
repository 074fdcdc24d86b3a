"""A throwaway PostgreSQL database for tests.

Uses the server on 127.0.0.1:5432 when one answers (CI and this machine have one, trust auth);
otherwise initialises and starts a private server from Debian's ``postgresql`` package in a
temporary folder (installing the package if needed) and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from tools.debian import ensure_package
from tools.localstack import free_port


def _connect(port: int, dbname: str = "postgres") -> object:
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, connect_timeout=3)


def _answers(port: int) -> bool:
    try:
        _connect(port).close()  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def _pg_bin() -> Path:
    def initdb() -> list[str]:
        return sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))

    ensure_package("postgresql", lambda: bool(initdb()))
    found = initdb()
    return Path(found[-1]).parent


@contextlib.contextmanager
def _private_server() -> Iterator[int]:
    """initdb + pg_ctl start in a temp folder, as the ``postgres`` user when we are root."""
    bindir = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="domino-pg-"))
    data = folder / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield port
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_database(prefer_port: int = 5432, force_private: bool = False) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a fresh database that is dropped afterwards."""
    with contextlib.ExitStack() as stack:
        port = prefer_port if not force_private and _answers(prefer_port) else stack.enter_context(_private_server())
        name = f"domino_test_{uuid.uuid4().hex[:12]}"
        admin = _connect(port)
        admin.autocommit = True  # type: ignore[attr-defined]
        with admin.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{name}"
        finally:
            with admin.cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()  # type: ignore[attr-defined]
