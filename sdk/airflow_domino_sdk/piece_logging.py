"""Piece logging and output capture.

A piece's log lines go to the process's stdout, which every runner copies into the Airflow task
log. Secret values are masked on the way out, so a piece that logs a secret by mistake does not
leak it into the log.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = [
    "LOG_FORMAT",
    "RedactingWriter",
    "capture_output",
    "get_piece_logger",
    "secret_values",
]

LOG_FORMAT = "[%(asctime)s] {%(name)s} %(levelname)s - %(message)s"
MASK = "***"
#: Shorter values are not masked: masking "a" or "no" would garble every line.
MIN_SECRET_LENGTH = 4


class _CurrentStdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stdout`` is *now*, so capture/redaction wrappers see the lines."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, value: TextIO) -> None:  # StreamHandler.__init__ assigns it; ignore.
        pass


def get_piece_logger(piece_name: str) -> logging.Logger:
    """Logger for a piece; not propagated, so root handlers (Airflow's, pytest's) never double it."""
    logger = logging.getLogger(f"domino.piece.{piece_name}")
    if not any(isinstance(h, _CurrentStdoutHandler) for h in logger.handlers):
        handler = _CurrentStdoutHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def secret_values(secrets: Any) -> list[str]:
    """All string leaves of a secrets mapping worth masking, longest first."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif value is not None and not isinstance(value, bool):
            text = str(value)
            if len(text) >= MIN_SECRET_LENGTH:
                found.add(text)

    walk(secrets)
    return sorted(found, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, MASK)
    return text


class RedactingWriter(io.TextIOBase):
    """Line-buffered text stream that masks secrets, forwards to ``target`` and can tee lines."""

    def __init__(self, target: TextIO, secrets: list[str], lines: list[str] | None = None) -> None:
        super().__init__()
        self._target = target
        self._secrets = secrets
        self._lines = lines
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._pending += s
        if "\n" in self._pending:
            complete, self._pending = self._pending.rsplit("\n", 1)
            self._emit(complete + "\n")
        return len(s)

    def _emit(self, text: str) -> None:
        text = redact(text, self._secrets)
        if self._lines is not None:
            self._lines.extend(text.splitlines())
        self._target.write(text)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._emit(pending)
        self._target.flush()

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")

    def isatty(self) -> bool:
        return False


@contextmanager
def capture_output(secrets: list[str], lines: list[str] | None = None) -> Iterator[None]:
    """Route ``sys.stdout``/``sys.stderr`` through :class:`RedactingWriter` for the block."""
    old_out, old_err = sys.stdout, sys.stderr
    out = RedactingWriter(old_out, secrets, lines)
    err = RedactingWriter(old_err, secrets, lines)
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        try:
            out.flush()
            err.flush()
        finally:
            sys.stdout, sys.stderr = old_out, old_err
