"""Where an installed piece lives on this machine and which image runs it.

The database look-up is :class:`airflow_domino_plugin.operators.hook.PieceHook`; this module holds
what the runners take (:class:`LocatedPiece`) and the parts of the look-up that need no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin import config
from airflow_domino_plugin.repositories import snapshots


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
    container_resources: dict[str, Any] = field(default_factory=dict)  # millicores, MiB, use_gpu


def piece_group(dependencies_map: Mapping[str, Any], piece_name: str) -> tuple[str, str]:
    """(dependency group, its ``source_image``) of a piece; ``("", "")`` when no group lists it."""
    group, image = "", ""
    for group_name, spec in dependencies_map.items():
        if piece_name in spec.get("pieces", []):
            group, image = group_name, str(spec.get("source_image") or "")
    return group, image


def local_folder(piece: Mapping[str, str], stored: Path, installation: str, say: Callable[[str], None]) -> Path:
    """The repository version's folder below this machine's ``repositories_path``; a worker on
    another machine than the installer fetches it from the install's snapshot on first use."""
    root = Path(config.get("repositories_path"))
    try:
        return snapshots.ensure_local(root, piece["repository"], piece["version"], installation, say)
    except FileNotFoundError as exc:
        if stored.is_dir():  # installed on this machine before installs stored snapshots
            return stored
        raise AirflowException(str(exc)) from exc
