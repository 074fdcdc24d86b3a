"""A real Airflow stack on loopback: api-server, scheduler, dag-processor and triggerer.

Used by ``make run`` (foreground, Ctrl-C stops it) and by the integration tests (one stack per
test session). Each component runs in its own process group and is stopped by PID, because
``airflow standalone`` has been measured leaving its scheduler behind on SIGTERM.

    python -m tools.localstack run   [--home DIR] [--port N]
    python -m tools.localstack stop  [--home DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
SIMPLE_AUTH = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
FAB_AUTH = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"


def _discovers_provider_db_managers() -> bool:
    """Whether this Airflow finds DB managers in providers' info (ProvidersManager.db_managers)."""
    from airflow.providers_manager import ProvidersManager

    return hasattr(ProvidersManager, "db_managers")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class User:
    username: str
    password: str
    role: str  # simple auth manager role; FAB role names are the capitalised form


@dataclass
class Worker:
    """A Celery worker of a stack run with the CeleryExecutor, as a separate machine would run it."""

    name: str
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's (e.g. its own repositories_path)
    args: list[str] = field(default_factory=list)  # extra `airflow celery worker` arguments

    @property
    def component(self) -> str:
        return f"worker-{self.name}"


@dataclass
class Stack:
    home: Path
    port: int = 8080
    db_url: str = ""
    auth: str = "simple"  # simple | fab
    users: list[User] = field(default_factory=lambda: [User("admin", "admin", "admin")])
    parallelism: int = 4
    extra_env: dict[str, str] = field(default_factory=dict)
    airflow_bin: str = str(Path(sys.executable).parent / "airflow")
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    log_server_ports: tuple[int, int] = (0, 0)
    executor: str = "LocalExecutor"
    workers: list[Worker] = field(default_factory=list)  # Celery workers (CeleryExecutor only)

    def __post_init__(self) -> None:
        self.home = self.home.resolve()
        if not self.db_url:
            self.db_url = f"sqlite:///{self.home / 'airflow.db'}"
        if self.log_server_ports == (0, 0):
            # Airflow's defaults (8793/8794) would clash between two stacks on one machine.
            self.log_server_ports = (free_port(), free_port())

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "stack.pids"

    def _secret(self, name: str, make: callable) -> str:  # type: ignore[valid-type]
        path = self.home / f".{name}"
        if not path.exists():
            path.write_text(make())
            path.chmod(0o600)
        return path.read_text().strip()

    def env(self) -> dict[str, str]:
        """Environment shared by every component and CLI call: they must agree on all of it."""
        self.home.mkdir(parents=True, exist_ok=True)
        from cryptography.fernet import Fernet

        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__")}
        bundles = [
            {
                "name": "dags-folder",
                "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                "kwargs": {},
            }
        ]
        if (REPO / "airflow_domino_plugin" / "dag_factory" / "bundle.py").exists():
            bundles.append(
                {
                    "name": "domino",
                    "classpath": "airflow_domino_plugin.dag_factory.bundle.DominoDagBundle",
                    "kwargs": {},
                }
            )
        env.update(
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(self.home / "dags"),
                "AIRFLOW__CORE__EXECUTOR": self.executor,
                "AIRFLOW__CORE__PARALLELISM": str(self.parallelism),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__FERNET_KEY": self._secret("fernet_key", lambda: Fernet.generate_key().decode()),
                "AIRFLOW__CORE__AUTH_MANAGER": FAB_AUTH if self.auth == "fab" else SIMPLE_AUTH,
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(f"{u.username}:{u.role}" for u in self.users),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.home / "passwords.json"),
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.db_url,
                "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN": self.db_url,
                # Airflow's default pool (5 + 10 overflow) makes the API server's 16th concurrent
                # request wait 30 s for a connection, then answer 500 (measured with tools/load.py).
                "AIRFLOW__DATABASE__SQL_ALCHEMY_MAX_OVERFLOW": "45",
                # The example workflows read examples/data/sales.csv: pieces may read only allowed folders.
                "AIRFLOW__DOMINO__ALLOWED_INPUT_PATHS": str(REPO / "examples" / "data"),
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__API__BASE_URL": self.url,
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__API__SECRET_KEY": self._secret("api_secret", lambda: secrets.token_hex(32)),
                "AIRFLOW__API_AUTH__JWT_SECRET": self._secret("jwt_secret", lambda: secrets.token_hex(32)),
                "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST": json.dumps(bundles),
                "AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR": "True",
                # Airflow skips re-serialising a DAG written less than this long ago (default 30 s),
                # which would hide an edit saved soon after the previous one (even 1 s loses quick
                # edits). Unchanged DAGs are still not rewritten (hash check): 0 costs a lookup.
                "AIRFLOW__CORE__MIN_SERIALIZED_DAG_UPDATE_INTERVAL": "0",
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
                # An approval answered seconds after its step parked resumes through the scheduler's
                # awaiting-input sweep ([domino] hitl_resume_delay); every 15 s (the default) makes
                # that resume wait up to 15 s more. The sweep is one indexed query.
                "AIRFLOW__SCHEDULER__TRIGGER_TIMEOUT_CHECK_INTERVAL": "2",
                "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(self.log_server_ports[0]),
                "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(self.log_server_ports[1]),
                "AIRFLOW__FAB__UPDATE_FAB_PERMS": "True",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if not _discovers_provider_db_managers():
            # Airflow 3.1's `airflow db migrate` runs only the configured managers (3.2+ also the
            # provider info's `db-managers`): as deployments on 3.1 must, name the plugin's.
            env["AIRFLOW__DATABASE__EXTERNAL_DB_MANAGERS"] = "airflow_domino_plugin.db.manager.DominoDBManager"
        env.update(self.extra_env)
        return env

    def airflow(self, *args: str, check: bool = True, quiet: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([self.airflow_bin, *args], env=self.env(), capture_output=quiet, text=True, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(
                f"`airflow {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def prepare(self) -> None:
        """Migrate the database and create the logins."""
        (self.home / "dags").mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        (self.home / "passwords.json").write_text(json.dumps({u.username: u.password for u in self.users}))
        self.airflow("db", "migrate")
        if self.auth == "fab":
            self.create_fab_users()

    def create_fab_users(self) -> None:
        """The logins, as ``airflow users create`` makes them, in one process (each CLI call starts
        Airflow and the FAB app again: ~7 s apiece on a busy 2-core machine)."""
        users = [{"username": u.username, "password": u.password, "role": u.role.capitalize()} for u in self.users]
        python = str(Path(self.airflow_bin).parent / "python")
        result = subprocess.run(
            [python, "-c", _CREATE_FAB_USERS], input=json.dumps(users), env=self.env(), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"creating the FAB users failed ({result.returncode}):\n{result.stderr[-3000:]}")

    @property
    def components(self) -> list[str]:
        return [*COMPONENTS, *(w.component for w in self.workers)]

    def start(self) -> None:
        for component in self.components:
            self.start_component(component)

    def start_component(self, component: str) -> None:
        """Start one component (``api-server``, …, ``worker-<name>``) in its own process group."""
        env = self.env()
        command = [self.airflow_bin, component]
        for worker in self.workers:
            if worker.component == component:
                env.update(worker.env)
                command = [self.airflow_bin, "celery", "worker", "--celery-hostname", f"{worker.name}@%h", *worker.args]
        log_dir = self.home / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = (log_dir / f"{component}.log").open("ab")
        self.processes[component] = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() kills the workers too
        )
        self.pid_file.write_text(json.dumps({name: p.pid for name, p in self.processes.items()}))

    def kill(self, component: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send ``sig`` to one component's process group (SIGKILL: as if its machine died) and reap it."""
        process = self.processes.pop(component)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.pid_file.write_text(json.dumps({name: p.pid for name, p in self.processes.items()}))

    def restart(self, component: str, timeout: float = 180.0, wait: bool = True) -> None:
        """Kill one component, start it again and (``wait``) wait until the stack is healthy."""
        if component in self.processes:
            self.kill(component)
        self.start_component(component)
        if wait:
            self.wait_healthy(timeout)

    def wait_healthy(self, timeout: float = 180.0) -> float:
        """Block until the API answers and every component reports healthy; return seconds taken."""
        started = time.monotonic()
        last = "no answer yet"
        while time.monotonic() - started < timeout:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/monitor/health", timeout=5) as response:
                    health = json.load(response)
                with urllib.request.urlopen(f"{self.url}/domino/api/v1/health", timeout=5) as response:
                    domino = json.load(response)
                states = {
                    "metadatabase": health.get("metadatabase", {}).get("status"),
                    "scheduler": health.get("scheduler", {}).get("status"),
                    "triggerer": health.get("triggerer", {}).get("status"),
                    "dag_processor": health.get("dag_processor", {}).get("status"),
                    "domino": "healthy" if domino.get("status") == "ok" else domino.get("status"),
                }
                if all(state == "healthy" for state in states.values()):
                    return time.monotonic() - started
                last = json.dumps(states)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                last = str(exc)
            time.sleep(1)
        raise TimeoutError(f"stack not healthy after {timeout:.0f}s: {last}\n{self.all_logs()}")

    def stop(self, timeout: float = 20.0) -> None:
        pids = {name: p.pid for name, p in self.processes.items()}
        if not pids and self.pid_file.exists():
            pids = json.loads(self.pid_file.read_text())
        stop_process_groups(pids, timeout)
        self.processes.clear()
        self.pid_file.unlink(missing_ok=True)

    def log_tail(self, component: str, lines: int = 60) -> str:
        path = self.home / "logs" / f"{component}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def all_logs(self, lines: int = 60) -> str:
        return "\n".join(f"===== {c} (last {lines} lines) =====\n{self.log_tail(c, lines)}" for c in self.components)

    def token(self, username: str, password: str) -> str:
        request = urllib.request.Request(
            f"{self.url}/auth/token",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.load(response)["access_token"])


# What `airflow users create` does (airflow/providers/fab/auth_manager/cli_commands/user_command.py),
# for every user read from stdin; an existing user is kept.
_CREATE_FAB_USERS = """
import json, sys
from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder
from airflow.utils.providers_configuration_loader import providers_configuration_loaded

@providers_configuration_loaded
def create(users):
    with get_application_builder() as appbuilder:
        for user in users:
            role = appbuilder.sm.find_role(user["role"])
            if role is None:
                raise SystemExit(f"{user['role']} is not a FAB role: {appbuilder.sm.get_all_roles()}")
            if appbuilder.sm.find_user(user["username"]):
                continue
            name = user["username"]
            if not appbuilder.sm.add_user(name, name, "Domino", f"{name}@example.com", role, user["password"]):
                raise SystemExit(f"could not create the user {name}")

create(json.load(sys.stdin))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_process_groups(pids: dict[str, int], timeout: float = 20.0) -> None:
    """SIGTERM each component's process group, then SIGKILL what is left after ``timeout``."""
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in pids.values():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if not any(_group_alive(pid) for pid in pids.values()):
            return
        time.sleep(0.2)
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie group leader still answers; check whether any member is not a zombie.
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so ``finally`` blocks stop the stack (it runs in other process groups)."""
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
        signal.SIG_DFL,
        None,
    ):
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))


@contextlib.contextmanager
def running(stack: Stack, timeout: float = 180.0, stop_timeout: float = 20.0) -> Iterator[Stack]:
    """The stack started and healthy; stopped afterwards (SIGKILL for what is left after ``stop_timeout``)."""
    _exit_on_sigterm()
    stack.prepare()
    stack.start()
    try:
        stack.wait_healthy(timeout)
        yield stack
    finally:
        stack.stop(stop_timeout)


def _run(args: argparse.Namespace) -> int:
    users = [
        User(
            os.environ.get("DOMINO_ADMIN_USER", "admin"),
            os.environ.get("DOMINO_ADMIN_PASSWORD", "admin"),
            "admin",
        )
    ]
    if args.runner == "docker":
        return _run_with_docker(args, users)
    with contextlib.suppress(ImportError):
        from tools.docker_engine import answers

        if answers(timeout=1):
            print("A Docker engine answers: `make run RUNNER=docker` runs the pieces in containers.", flush=True)
    return _run_stack(args, Stack(home=Path(args.home), port=args.port, users=users))


def _run_with_docker(args: argparse.Namespace, users: list[User]) -> int:
    """`make run RUNNER=docker`: an engine for the stack's lifetime, the example images, default_runner=docker."""
    from tools import docker_engine

    with docker_engine.ensure_engine() as client:
        print("Building the example repository's piece images (once; later runs reuse them)…", flush=True)
        docker_engine.ensure_repository_images(client, REPO / "examples" / "pieces")
        extra = {"AIRFLOW__DOMINO__DEFAULT_RUNNER": "docker", "DOCKER_HOST": os.environ["DOCKER_HOST"]}
        return _run_stack(args, Stack(home=Path(args.home), port=args.port, users=users, extra_env=extra))


def _run_stack(args: argparse.Namespace, stack: Stack) -> int:
    users = stack.users
    if stack.pid_file.exists():
        stale = json.loads(stack.pid_file.read_text())
        if any(_group_alive(pid) for pid in stale.values()):
            print(f"A stack from {stack.home} is already running (pids {stale}); `make stop` stops it.")
            return 1
    print(f"Preparing AIRFLOW_HOME={stack.home} (database migrations)…", flush=True)
    started = time.monotonic()
    stack.prepare()
    if args.setup:
        for command in args.setup:
            subprocess.run(command, shell=True, env=stack.env(), check=True)
    print("Starting api-server, scheduler, dag-processor and triggerer…", flush=True)
    stack.start()
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        stack.wait_healthy(args.timeout)
        for command in args.after_start or []:
            subprocess.run(command, shell=True, env={**stack.env(), "DOMINO_URL": stack.url}, check=False)
        print(
            f"\nDomino on Airflow is ready after {time.monotonic() - started:.0f}s:\n"
            f"  Airflow UI    {stack.url}/   (the 'Domino' entry in the navigation)\n"
            f"  Domino GUI    {stack.url}/domino/ui/\n"
            f"  REST API docs {stack.url}/domino/api/v1/docs\n"
            f"  Login         {users[0].username} / {users[0].password}\n"
            f"  Logs          {stack.home / 'logs'}\n"
            "Press Ctrl-C (or run `make stop` in another shell) to stop every process.",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        if not stack.pid_file.exists():  # `make stop` from another shell
            print("Stopped from another shell.", flush=True)
            return 0
        dead = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"{', '.join(dead)} exited; stopping the stack.\n{stack.all_logs(20)}")
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stack.stop()
        print("Stopped every process of the stack.", flush=True)


def _stop_cmd(args: argparse.Namespace) -> int:
    pid_file = Path(args.home).resolve() / "stack.pids"
    if not pid_file.exists():
        print("No running stack recorded.")
        return 0
    pids = json.loads(pid_file.read_text())
    pid_file.unlink(missing_ok=True)  # first, so the `make run` shell knows this stop was asked for
    stop_process_groups(pids)
    print(f"Stopped {', '.join(pids)}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.localstack", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="prepare and start the stack in the foreground")
    run.add_argument("--home", default=str(REPO / ".airflow"))
    run.add_argument("--port", type=int, default=int(os.environ.get("DOMINO_PORT", "8080")))
    run.add_argument("--timeout", type=float, default=180.0)
    run.add_argument("--setup", action="append", help="shell command run after migrations, before start")
    run.add_argument("--after-start", action="append", help="shell command run once the stack is healthy")
    run.add_argument(
        "--runner",
        choices=["subprocess", "docker"],
        default="subprocess",
        help="default runner of the stack; docker needs an engine (found, or dockerd started as root)",
    )
    stop = sub.add_parser("stop", help="stop a stack started by `run` from another shell")
    stop.add_argument("--home", default=str(REPO / ".airflow"))
    args = parser.parse_args(argv)
    return _run(args) if args.command == "run" else _stop_cmd(args)


if __name__ == "__main__":
    sys.exit(main())
