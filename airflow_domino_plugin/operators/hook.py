"""``PieceHook``: the piece operators' one way to the plugin's tables and to results storage.

Tasks cannot use Airflow's ORM session, so the hook reads through
:func:`~airflow_domino_plugin.db.engine.read_engine`; one query returns every column any runner
needs, so the look-up is written once for the subprocess, docker and kubernetes operators.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.sdk import BaseHook
from airflow.sdk.exceptions import AirflowException
from sqlalchemy import select

from airflow_domino_plugin import config, storage
from airflow_domino_plugin.db.engine import read_engine
from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.execution.pieces import LocatedPiece, local_folder, piece_group


@dataclass(frozen=True)
class PieceRow:
    """A piece's row joined with its repository version's row."""

    repository_id: int
    installed_at: datetime
    path: str
    dependencies_map: dict[str, Any]
    dependency: dict[str, Any]
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    container_resources: dict[str, Any]


class PieceHook(BaseHook):
    """Piece look-up (``[domino] sql_alchemy_conn``) and results storage (``[domino] storage_url``)."""

    hook_name = "Domino pieces"

    def __init__(self, url: str | None = None) -> None:
        super().__init__()
        self.url = config.get("sql_alchemy_conn") if url is None else url

    # --------------------------------------------------------------------- piece look-up

    def find(self, piece: Mapping[str, str]) -> PieceRow | None:
        """The piece's row, or None when that repository version does not have it."""
        if not self.url:
            raise AirflowException("[domino] sql_alchemy_conn is not set; the task cannot find its piece")
        statement = (
            select(
                Repository.id,
                Repository.installed_at,
                Repository.path,
                Repository.dependencies_map,
                Piece.dependency,
                Piece.input_schema,
                Piece.output_schema,
                Piece.container_resources,
            )
            .join(Piece, Piece.repository_id == Repository.id)
            .where(
                Repository.name == piece["repository"],
                Repository.version == piece["version"],
                Piece.name == piece["name"],
            )
        )
        with read_engine(self.url).connect() as connection:
            row = connection.execute(statement).first()
        if row is None:
            return None
        repository_id, installed_at, path, *json_columns = row
        return PieceRow(repository_id, installed_at, path, *(dict(value or {}) for value in json_columns))

    def get(self, piece: Mapping[str, str]) -> PieceRow:
        """The piece's row; a task error when it is not installed."""
        row = self.find(piece)
        if row is None:
            raise AirflowException(
                f"Piece {piece['name']} of {piece['repository']} {piece['version']} is not installed "
                "(was the repository version deleted?)"
            )
        return row

    def locate(self, piece: Mapping[str, str], say: Callable[[str], None] | None = None) -> LocatedPiece:
        """The piece's folder on this machine (fetched from the install's snapshot on first use) and
        its requirements: what the subprocess and docker runners need."""
        row = self.get(piece)
        group, image = piece_group(row.dependencies_map, piece["name"])
        repo_dir = local_folder(piece, Path(row.path), f"{row.repository_id}:{row.installed_at}", say or self.log.info)
        requirements_file = row.dependency.get("requirements_file")
        requirements = (repo_dir / "dependencies" / requirements_file).read_text() if requirements_file else ""
        return LocatedPiece(
            repository=piece["repository"],
            version=piece["version"],
            name=piece["name"],
            piece_dir=repo_dir / "pieces" / piece["name"],
            requirements=requirements,
            dependency=row.dependency,
            group=group,
            image=image,
            output_schema=row.output_schema,
            container_resources=row.container_resources,
        )

    def image_and_resources(self, piece: Mapping[str, str]) -> tuple[str, str, dict[str, Any]]:
        """(group, image, container_resources) from the row alone: a KubernetesExecutor worker pod has
        no checkout of the repository (nor needs one)."""
        row = self.get(piece)
        group, image = piece_group(row.dependencies_map, piece["name"])
        return group, image, row.container_resources

    def input_schema(self, piece: Mapping[str, str]) -> dict[str, Any]:
        """The piece's input JSON schema (``{}`` when unknown): read only when a check needs it."""
        if not self.url:
            return {}
        row = self.find(piece)
        return row.input_schema if row is not None else {}

    # --------------------------------------------------------------------- results storage

    def results_uri(self, run_context: Mapping[str, Any]) -> str:
        """``<storage_url>/<dag>/<run>/<task>[/<map index>]``: one folder per task (per for-each instance)."""
        uri = storage.task_results_uri(run_context["dag_id"], run_context["run_id"], run_context["task_id"])
        map_index = run_context.get("map_index")
        return f"{uri}/{map_index}" if isinstance(map_index, int) and map_index >= 0 else uri

    def run_folder(self, dag_id: str, run_id: str) -> Path | None:
        return storage.run_folder(dag_id, run_id)

    def allowed_input_paths(self, dag_id: str, run_id: str) -> list[str]:
        return storage.allowed_input_paths(dag_id, run_id)

    def local_path(self, uri: str) -> Path | None:
        return storage.local_path(uri)

    def upload_results(self, local: Path, uri: str) -> list[str]:
        """Copy a scratch results folder to remote storage; returns the relative names uploaded."""
        uploaded = storage.upload_folder(local, uri)
        self.log.info("Uploaded %d result file(s) to %s", len(uploaded), uri)
        return uploaded

    def push_result_refs(self, ti: Any, results_uri: str, display: Mapping[str, Any] | None) -> None:
        """XCom gets where the files are (``results_uri``) and the display result's URI, never file contents."""
        ti.xcom_push(key="results_uri", value=results_uri)
        if not display:
            return
        relative = display.get("relative_path") or Path(display.get("file_path", "")).name
        ti.xcom_push(
            key="display_result",
            value={
                "file_type": display.get("file_type"),
                "uri": f"{results_uri}/{relative}",
                "relative_path": relative,
            },
        )
