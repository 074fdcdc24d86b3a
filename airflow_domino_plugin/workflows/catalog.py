"""What validation needs to know about installed pieces, and a simple in-memory catalog.

Validation never touches the database: the caller (the API's service layer, or a test) hands
in any object satisfying :class:`PieceCatalog`, typically built from the stored compiled
metadata of the installed repository versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class PieceSpec:
    """One piece of one installed repository version, with its JSON schemas.

    Schemas are as Pydantic's ``model_json_schema()`` produces them (``properties``,
    ``required``, ``$defs``, ``anyOf``, and extras such as ``from_upstream`` on input fields).
    ``secrets_schema`` is ``None`` (or empty) for pieces without secrets.
    """

    repository: str
    version: str
    name: str
    input_schema: Mapping[str, Any] = field(default_factory=dict)
    output_schema: Mapping[str, Any] = field(default_factory=dict)
    secrets_schema: Mapping[str, Any] | None = None


@runtime_checkable
class PieceCatalog(Protocol):
    """Read access to installed pieces.

    Implementations may also offer ``piece_names(repository, version) -> list[str]``; when
    present, validation uses it to suggest the right name for a misspelt piece.
    """

    def get_piece(self, repository: str, version: str, name: str) -> PieceSpec | None:
        """The piece, or ``None`` when that repository version has no such piece."""
        ...

    def versions_of(self, repository: str) -> list[str]:
        """Installed versions of ``repository`` (empty when it is not installed)."""
        ...


class InMemoryPieceCatalog:
    """A :class:`PieceCatalog` over a list of specs (tests, and services that load all pieces)."""

    def __init__(self, pieces: Iterable[PieceSpec] = ()) -> None:
        self._pieces: dict[tuple[str, str, str], PieceSpec] = {}
        for piece in pieces:
            self.add(piece)

    def add(self, piece: PieceSpec) -> None:
        self._pieces[(piece.repository, piece.version, piece.name)] = piece

    def get_piece(self, repository: str, version: str, name: str) -> PieceSpec | None:
        return self._pieces.get((repository, version, name))

    def versions_of(self, repository: str) -> list[str]:
        return sorted({version for repo, version, _ in self._pieces if repo == repository}, key=version_sort_key)

    def piece_names(self, repository: str, version: str) -> list[str]:
        return sorted(name for repo, ver, name in self._pieces if repo == repository and ver == version)


def version_sort_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order for version tags, so ``1.10.0`` sorts after ``1.9.0`` (and ``v2`` after ``v1``)."""
    return tuple((0, int(chunk)) if chunk.isdigit() else (1, chunk) for chunk in re.findall(r"\d+|[^\d.]+", version))
