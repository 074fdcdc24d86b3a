"""Fixtures for installing repositories without an Airflow stack: a SQLite file DB, a root folder, git repos."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository, metadata
from tests.unit.repositories.helpers import (  # noqa: F401  (re-exported for the tests)
    DOMINO_REPO,
    THIRD_PARTY_REPO,
    copy_repo,
    git,
    make_tagged_git_repo,
    set_version,
)


class Steps(list):
    """The install's progress callback: records ``(percent, message)``."""

    def __call__(self, percent: int, message: str) -> None:
        self.append((percent, message))

    @property
    def messages(self) -> list[str]:
        return [message for _percent, message in self]


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'domino.db'}")
    metadata.create_all(engine)
    with Session(engine) as db:
        yield db
    engine.dispose()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "repositories"


@pytest.fixture
def progress() -> Steps:
    return Steps()


def counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(sa.select(sa.func.count()).select_from(Repository)) or 0,
        session.scalar(sa.select(sa.func.count()).select_from(Piece)) or 0,
    )


def assert_nothing_left(session: Session, root: Path, name: str | None = None, version: str | None = None) -> None:
    """No rows, no installed folder, no staging folder."""
    session.rollback()
    assert counts(session) == (0, 0)
    if name and version:
        assert not (root / name / version).exists()
    if root.exists():
        assert not list(root.glob(".staging-*")), list(root.iterdir())
        leftovers = [p.name for p in root.iterdir() if not p.name.startswith("_")]
        assert leftovers == [], leftovers
