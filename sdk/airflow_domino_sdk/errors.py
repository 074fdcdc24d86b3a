"""Errors raised while loading and running a piece.

Every error names the piece and, for validation problems, each offending field as a path such as
``items[0].name`` — the message must be enough to fix the workflow without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "FieldError",
    "PieceError",
    "PieceExecutionError",
    "PieceInputError",
    "PieceLoadError",
    "PieceOutputError",
    "field_errors_from_validation",
    "format_loc",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: ``path`` is a dotted/indexed path (``a.b[2].c``), ``""`` = whole."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


def format_loc(loc: tuple[int | str, ...] | list[int | str], prefix: str = "") -> str:
    """Turn a pydantic ``loc`` into ``a.b[0].c`` (optionally below ``prefix``)."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_errors_from_validation(exc: Any, prefix: str = "", *, show_values: bool = True) -> list[FieldError]:
    """Convert a ``pydantic.ValidationError`` into :class:`FieldError` items.

    ``show_values=False`` must be used for secrets: pydantic's own message embeds the input value.
    """
    errors: list[FieldError] = []
    for err in exc.errors(include_url=False):
        message = str(err.get("msg", "invalid value"))
        if show_values and err.get("type") != "missing" and "input" in err:
            message += f" (got {_short_repr(err['input'])})"
        errors.append(FieldError(format_loc(tuple(err.get("loc", ())), prefix), message))
    return errors


class PieceError(Exception):
    """Base class: carries the piece name so every message starts with it."""

    kind = "error"

    def __init__(self, piece_name: str, message: str, errors: list[FieldError] | None = None) -> None:
        self.piece_name = piece_name
        self.message = message
        self.errors: list[FieldError] = list(errors or [])
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"Piece {self.piece_name}: {self.message}"
        if self.errors:
            text += "\n" + "\n".join(f"  - {e}" for e in self.errors)
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form written into the runtime's result file on failure."""
        return {
            "type": self.kind,
            "piece": self.piece_name,
            "message": self.message,
            "errors": [e.to_dict() for e in self.errors],
        }


class PieceLoadError(PieceError):
    """The piece folder cannot be imported (missing file/class/model, import error)."""

    kind = "load"


class PieceInputError(PieceError):
    """Inputs or secrets do not validate against the piece's InputModel/SecretsModel."""

    kind = "input"


class PieceOutputError(PieceError):
    """The value returned by ``piece_function`` (or its display result) is invalid."""

    kind = "output"


class PieceExecutionError(PieceError):
    """``piece_function`` raised; the original exception is ``__cause__``."""

    kind = "execution"
