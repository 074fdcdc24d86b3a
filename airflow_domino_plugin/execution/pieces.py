"""Where an installed piece lives on this machine and which interpreter runs it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowException
from sqlalchemy import select

from airflow_domino_plugin import config
from airflow_domino_plugin.dag_factory.store import _engine
from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.repositories import snapshots

log = logging.getLogger(__name__)


@dataclass
class LocatedPiece:
    repository: str
    version: str
    name: str
    piece_dir: Path
    requirements: str
    dependency: dict[str, Any]
    group: str
    image: str
    output_schema: dict[str, Any]


def locate(piece: dict[str, str], say: Callable[[str], None] | None = None) -> LocatedPiece:
    """Read the piece's repository row through the factory's engine (the ORM is blocked in tasks).

    The version's folder is this machine's ``repositories_path``/<name>/<version>; a worker on
    another machine than the installer fetches it from the install's snapshot on first use.
    """
    url = config.get("sql_alchemy_conn")
    if not url:
        raise AirflowException("[domino] sql_alchemy_conn is not set; the task cannot find its piece")
    with _engine(url).connect() as connection:
        row = connection.execute(
            select(
                Repository.path,
                Repository.dependencies_map,
                Piece.dependency,
                Piece.output_schema,
                Repository.id,
                Repository.installed_at,
            )
            .join(Piece, Piece.repository_id == Repository.id)
            .where(
                Repository.name == piece["repository"],
                Repository.version == piece["version"],
                Piece.name == piece["name"],
            )
        ).first()
    if row is None:
        raise AirflowException(
            f"Piece {piece['name']} of {piece['repository']} {piece['version']} is not installed "
            "(was the repository version deleted?)"
        )
    path, dependencies_map, dependency, output_schema, repository_id, installed_at = row
    group, image = "", ""
    for group_name, spec in (dependencies_map or {}).items():
        if piece["name"] in spec.get("pieces", []):
            group, image = group_name, str(spec.get("source_image") or "")
    repo_dir = _local_folder(piece, Path(path), f"{repository_id}:{installed_at}", say or log.info)
    requirements_file = (dependency or {}).get("requirements_file")
    requirements = (repo_dir / "dependencies" / requirements_file).read_text() if requirements_file else ""
    return LocatedPiece(
        repository=piece["repository"],
        version=piece["version"],
        name=piece["name"],
        piece_dir=repo_dir / "pieces" / piece["name"],
        requirements=requirements,
        dependency=dependency or {},
        group=group,
        image=image,
        output_schema=output_schema or {},
    )


def _local_folder(piece: dict[str, str], stored: Path, installation: str, say: Callable[[str], None]) -> Path:
    root = Path(config.get("repositories_path"))
    try:
        return snapshots.ensure_local(root, piece["repository"], piece["version"], installation, say)
    except FileNotFoundError as exc:
        if stored.is_dir():  # installed on this machine before installs stored snapshots
            return stored
        raise AirflowException(str(exc)) from exc


def input_schema_of(piece: dict[str, str]) -> dict[str, Any]:
    """The piece's input JSON schema (``{}`` when it is not installed): read only when a check needs it."""
    url = config.get("sql_alchemy_conn")
    if not url:
        return {}
    with _engine(url).connect() as connection:
        schema = connection.execute(
            select(Piece.input_schema)
            .join(Repository, Piece.repository_id == Repository.id)
            .where(
                Repository.name == piece["repository"],
                Repository.version == piece["version"],
                Piece.name == piece["name"],
            )
        ).scalar()
    return dict(schema or {})
