"""Installed piece repositories: install jobs with progress, versions, deletion, upgrade reports."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from airflow_domino_plugin import config
from airflow_domino_plugin.db.models import InstallJob, Piece, Repository, Workflow, WorkflowRevision
from airflow_domino_plugin.db.types import utcnow
from airflow_domino_plugin.repositories import snapshots
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.installer import Installed, install
from airflow_domino_plugin.repositories.report import upgrade_report as compare_versions
from airflow_domino_plugin.repositories.sources import make_source
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound
from airflow_domino_plugin.services.paging import Page, paginate

log = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]


def repositories_root() -> Path:
    return Path(config.get("repositories_path"))


def list_repositories(session: Session, *, limit: int = 50, offset: int = 0) -> Page[Repository]:
    statement = select(Repository).order_by(Repository.name, Repository.installed_at.desc())
    return paginate(session, statement, limit=limit, offset=offset)


def piece_counts(session: Session, repository_ids: list[int]) -> dict[int, int]:
    """Pieces per repository in one query, so a list page does not load every piece."""
    if not repository_ids:
        return {}
    rows = session.execute(
        select(Piece.repository_id, func.count())
        .where(Piece.repository_id.in_(repository_ids))
        .group_by(Piece.repository_id)
    )
    return {repository_id: count for repository_id, count in rows.tuples()}


def get_repository(session: Session, repository_id: int) -> Repository:
    repository = session.get(Repository, repository_id)
    if repository is None:
        raise NotFound(f"Repository {repository_id} is not installed.")
    return repository


# ------------------------------------------------------------------------------------------ install


def _validate_source(source_type: str, url: str) -> None:
    issues = []
    if source_type not in ("local", "git", "github"):
        issues.append(Issue("source_type", "Expected one of 'local', 'git', 'github'.", "enum", "/source_type"))
    if not url.strip():
        issues.append(
            Issue("source_url", "Expected a folder path, a git URL or 'owner/name'.", "required", "/source_url")
        )
    if issues:
        raise InvalidInput("The install request is invalid.", issues)


def start_install(
    session: Session, session_factory: SessionFactory, *, source_type: str, url: str, ref: str, user: str
) -> InstallJob:
    """Queue an install and run it in a background thread; poll :func:`get_job` for progress."""
    _validate_source(source_type, url)
    job = InstallJob(id=str(uuid.uuid4()), source_type=source_type, source_url=url, source_ref=ref, created_by=user)
    owner = _this_process()
    job.log = [{"at": utcnow().isoformat(), "progress": 0, "owner": owner,
                "message": f"Queued on {owner['host']} (API server process {owner['pid']})"}]  # fmt: skip
    session.add(job)
    session.commit()
    threading.Thread(
        target=run_job, args=(session_factory, job.id), name=f"domino-install-{job.id}", daemon=True
    ).start()
    return job


def run_job(session_factory: SessionFactory, job_id: str) -> Installed | None:
    """Run a queued install job to the end, recording each step on the job row."""

    def update(**values: Any) -> None:
        with session_factory() as s:
            job = s.get(InstallJob, job_id)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)
            s.commit()

    def progress(percent: int, message: str) -> None:
        with session_factory() as s:
            job = s.get(InstallJob, job_id)
            assert job is not None
            job.progress = percent
            job.step = message[:250]
            job.log = [*job.log, {"at": utcnow().isoformat(), "progress": percent, "message": message}]
            s.commit()

    with session_factory() as s:
        job = s.get(InstallJob, job_id)
        assert job is not None
        source_type, url, ref, user = job.source_type, job.source_url, job.source_ref, job.created_by
    finished: list[str] = []

    def install_progress(percent: int, message: str) -> None:
        # The installer's closing line ("Installed …", 100 %) is said once the snapshot is stored too.
        if percent >= 100:
            finished.append(message)
        else:
            progress(percent, message)

    update(state="running")
    try:
        with session_factory() as install_session:
            source = make_source(source_type, url)
            installed = install(
                install_session, source, ref, root=repositories_root(), installed_by=user, progress=install_progress
            )
    except InstallError as exc:
        update(state="failed", error=exc.message, finished_at=utcnow(),
               log=_with(session_factory, job_id, {"problems": exc.problems}))  # fmt: skip
        return None
    except Exception as exc:
        log.exception("Install job %s failed", job_id)
        update(state="failed", error=f"Unexpected error: {type(exc).__name__}: {exc}", finished_at=utcnow())
        return None
    try:
        progress(99, f"Storing the snapshot of {installed.name} {installed.version} for workers on other machines")
        snapshots.publish(repositories_root() / installed.name / installed.version, installed.name, installed.version)
    except Exception as exc:
        log.exception("Install job %s could not store its snapshot", job_id)
        _discard(session_factory, installed.repository_id)
        update(state="failed", error=f"Could not store the repository's snapshot in results storage: {exc}",
               finished_at=utcnow())  # fmt: skip
        return None
    progress(100, finished[-1] if finished else f"Installed {installed.name} {installed.version}")
    update(state="succeeded", repository_id=installed.repository_id, finished_at=utcnow(), progress=100)
    return installed


def _discard(session_factory: SessionFactory, repository_id: int) -> None:
    """Undo a finished install whose snapshot could not be stored: workers elsewhere could not run it."""
    with session_factory() as s:
        repository = s.get(Repository, repository_id)
        if repository is None:
            return
        name, version = repository.name, repository.version
        s.delete(repository)
        s.commit()
    snapshots.remove(name, version)
    folder = repositories_root() / name / version
    shutil.rmtree(folder, ignore_errors=True)
    if folder.parent.is_dir() and not any(folder.parent.iterdir()):
        folder.parent.rmdir()


def _with(session_factory: SessionFactory, job_id: str, entry: dict[str, Any]) -> list[Any]:
    with session_factory() as s:
        job = s.get(InstallJob, job_id)
        return [*(job.log if job else []), {"at": utcnow().isoformat(), **entry}]


# ------------------------------------------------------------------------ interrupted install jobs

INTERRUPTED = "interrupted: the API server stopped during the install"
UNFINISHED = ("queued", "running")
# A job owned by another machine's API server counts as interrupted after this long without a
# log entry (every install step has a 30-minute limit, so a live job writes well within it).
STALE_AFTER = timedelta(hours=2)


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks since boot: with the PID, a unique process identity."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": _start_ticks(os.getpid())}


def _owner_alive(job: InstallJob) -> bool:
    """Whether the API-server thread that runs ``job`` can still be running."""
    entries = [e for e in job.log or [] if isinstance(e, dict)]
    owner = next((e["owner"] for e in entries if isinstance(e.get("owner"), dict)), None)
    if owner is None:
        return False  # queued by a version that recorded no owner: nothing will ever finish it
    if owner.get("host") != socket.gethostname():
        last = max((str(e.get("at", "")) for e in entries), default="")
        return bool(last) and last > (utcnow() - STALE_AFTER).isoformat()
    pid = int(owner.get("pid") or 0)
    if pid == os.getpid() and owner.get("started") == _start_ticks(pid):
        return any(t.name == f"domino-install-{job.id}" and t.is_alive() for t in threading.enumerate())
    return pid > 0 and _start_ticks(pid) != "" and _start_ticks(pid) == owner.get("started")


def recover_interrupted_jobs(session: Session) -> list[str]:
    """Mark queued/running jobs whose API-server process is gone as failed, and clean up after them.

    Called before the jobs are read, so a restarted API server reports what the stopped one left
    unfinished. An install commits its rows only at its end, so an interrupted one wrote none;
    what it left on disk (a staging checkout, a version folder no row points at) is removed once
    no install is in progress.
    """
    unfinished = session.scalars(select(InstallJob).where(InstallJob.state.in_(UNFINISHED))).all()
    orphans = [job for job in unfinished if not _owner_alive(job)]
    if not orphans:
        return []
    interrupted: list[str] = []
    for job in orphans:
        # Only if it is still unfinished: the install may have finished and its thread ended since
        # the read above (seen under load: a succeeded install overwritten as interrupted).
        marked: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(InstallJob)
            .where(InstallJob.id == job.id, InstallJob.state.in_(UNFINISHED))
            .values(
                state="failed",
                error=INTERRUPTED,
                finished_at=utcnow(),
                log=[*job.log, {"at": utcnow().isoformat(), "progress": job.progress, "message": INTERRUPTED}],
            )
            .execution_options(synchronize_session=False)
        )
        if marked.rowcount:
            interrupted.append(job.id)
    session.commit()
    session.expire_all()
    if interrupted:
        log.warning("Install job(s) %s were interrupted by an API server stop", ", ".join(interrupted))
        if len(interrupted) == len(unfinished):
            _remove_leftovers(session)
    return interrupted


def _remove_leftovers(session: Session) -> None:
    root = repositories_root()
    if not root.is_dir():
        return
    installed = {(name, version) for name, version in session.execute(select(Repository.name, Repository.version))}
    for entry in root.iterdir():
        if entry.name.startswith(".staging-") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir() and not entry.name.startswith(("_", ".")):
            for version in entry.iterdir():
                if version.is_dir() and (entry.name, version.name) not in installed:
                    log.warning("Removing %s: left by an interrupted install, no repository row points at it", version)
                    shutil.rmtree(version, ignore_errors=True)
            if not any(entry.iterdir()):
                entry.rmdir()


def get_job(session: Session, job_id: str) -> InstallJob:
    recover_interrupted_jobs(session)
    job = session.get(InstallJob, job_id)
    if job is None:
        raise NotFound(f"Install job {job_id} does not exist.")
    return job


def list_jobs(session: Session, *, limit: int = 20, offset: int = 0) -> Page[InstallJob]:
    recover_interrupted_jobs(session)
    return paginate(session, select(InstallJob).order_by(InstallJob.created_at.desc()), limit=limit, offset=offset)


def available_versions(source_type: str, url: str) -> list[str]:
    _validate_source(source_type, url)
    try:
        return make_source(source_type, url).versions()
    except InstallError as exc:
        raise InvalidInput(exc.message, [Issue("source_url", exc.message, "unreachable", "/source_url")]) from exc


# ------------------------------------------------------------------------------------- use, delete


def workflows_using(session: Session, repository: Repository) -> list[str]:
    """Workflows whose current revision runs a piece of this repository version."""
    rows = session.execute(
        select(Workflow.id, WorkflowRevision.document).join(
            WorkflowRevision, WorkflowRevision.id == Workflow.current_revision_id
        )
    )
    users = []
    for workflow_id, document in rows.tuples():
        for task in (document or {}).get("tasks") or []:
            piece = task.get("piece") or {}
            if piece.get("repository") == repository.name and piece.get("version") == repository.version:
                users.append(workflow_id)
                break
    return users


def delete_repository(session: Session, repository_id: int) -> None:
    repository = get_repository(session, repository_id)
    users = workflows_using(session, repository)
    if users:
        raise Conflict(
            f"{repository.name} {repository.version} is used by {len(users)} workflow(s): {', '.join(users[:10])}. "
            "Change them to another version or delete them first.",
            workflows=users,
        )
    path = Path(repository.path) if repository.path else None
    name, version = repository.name, repository.version
    session.delete(repository)
    session.commit()
    snapshots.remove(name, version)
    root = repositories_root().resolve()
    if path is not None and path.exists() and root in path.resolve().parents:
        shutil.rmtree(path, ignore_errors=True)


def upgrade_report(session: Session, repository_id: int, to_version: str) -> dict[str, Any]:
    old = get_repository(session, repository_id)
    new = session.scalar(select(Repository).where(Repository.name == old.name, Repository.version == to_version))
    if new is None:
        installed = session.scalars(select(Repository.version).where(Repository.name == old.name)).all()
        raise NotFound(f"{old.name} {to_version} is not installed; installed versions: {', '.join(installed)}.")

    def schemas(repository: Repository) -> dict[str, dict[str, Any]]:
        return {
            p.name: {
                "input_schema": p.input_schema,
                "output_schema": p.output_schema,
                "secrets_schema": p.secrets_schema,
            }
            for p in repository.pieces
        }

    report = compare_versions(schemas(old), schemas(new))
    return {"repository": old.name, "from_version": old.version, "to_version": new.version, **report,
            "workflows_using_from_version": workflows_using(session, old)}  # fmt: skip


# ------------------------------------------------------------------------------------------ pieces


def list_pieces(
    session: Session, *, search: str = "", repository_id: int | None = None, limit: int = 50, offset: int = 0
) -> Page[Piece]:
    statement = select(Piece).join(Repository).order_by(Repository.name, Repository.version, Piece.name)
    if repository_id is not None:
        statement = statement.where(Piece.repository_id == repository_id)
    if search:
        from sqlalchemy import String, cast

        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(Piece.name.ilike(pattern), Piece.description.ilike(pattern), cast(Piece.tags, String).ilike(pattern))
        )
    return paginate(session, statement, limit=limit, offset=offset)


def get_piece(session: Session, piece_id: int) -> Piece:
    piece = session.get(Piece, piece_id)
    if piece is None:
        raise NotFound(f"Piece {piece_id} does not exist.")
    return piece
