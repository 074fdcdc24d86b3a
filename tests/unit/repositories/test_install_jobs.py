"""Install jobs left unfinished by a stopped API server, and the ones that finish while being checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import InstallJob
from airflow_domino_plugin.services import repositories
from airflow_domino_plugin.services.repositories import INTERRUPTED, recover_interrupted_jobs


def _job(session: Session, job_id: str) -> InstallJob:
    owner = {"host": "gone-host", "pid": 1, "started": "1"}
    queued = {"at": "2026-01-01T00:00:00", "progress": 0, "owner": owner, "message": "Queued"}
    job = InstallJob(id=job_id, source_type="git", source_url="file:///x", state="running", progress=30, log=[queued])
    session.add(job)
    session.commit()
    return job


@pytest.fixture(autouse=True)
def _no_leftover_cleanup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(repositories, "repositories_root", lambda: tmp_path / "repositories")


def test_a_job_whose_server_is_gone_is_marked_interrupted(session: Session) -> None:
    _job(session, "a")
    assert recover_interrupted_jobs(session) == ["a"]
    job = session.get(InstallJob, "a")
    assert job is not None
    assert (job.state, job.error, job.log[-1]["message"]) == ("failed", INTERRUPTED, INTERRUPTED)
    assert job.finished_at is not None


def test_a_job_that_finishes_while_its_owner_is_checked_keeps_its_success(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The install's thread commits "succeeded" and ends between the read of the job and the check."""
    _job(session, "b")
    engine = session.get_bind()

    def owner_gone_after_finishing(job: InstallJob) -> bool:
        with Session(engine) as other:
            finished = other.get(InstallJob, job.id)
            assert finished is not None
            finished.state, finished.progress = "succeeded", 100
            other.commit()
        return False

    monkeypatch.setattr(repositories, "_owner_alive", owner_gone_after_finishing)
    assert recover_interrupted_jobs(session) == []
    job = session.get(InstallJob, "b")
    assert job is not None
    assert (job.state, job.error, job.progress) == ("succeeded", "", 100)
