"""Where an installed piece lives on this machine and which interpreter runs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowException
from sqlalchemy import select

from airflow_domino_plugin import config
from airflow_domino_plugin.dag_factory.store import _engine
from airflow_domino_plugin.db.models import Piece, Repository


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


def locate(piece: dict[str, str]) -> LocatedPiece:
    """Read the piece's repository row through the factory's engine (the ORM is blocked in tasks)."""
    url = config.get("sql_alchemy_conn")
    if not url:
        raise AirflowException("[domino] sql_alchemy_conn is not set; the task cannot find its piece")
    with _engine(url).connect() as connection:
        row = connection.execute(
            select(Repository.path, Repository.dependencies_map, Piece.dependency, Piece.output_schema)
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
    path, dependencies_map, dependency, output_schema = row
    group, image = "", ""
    for group_name, spec in (dependencies_map or {}).items():
        if piece["name"] in spec.get("pieces", []):
            group, image = group_name, str(spec.get("source_image") or "")
    repo_dir = Path(path)
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
