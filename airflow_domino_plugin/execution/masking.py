"""Secret values of a run masked out of what it stores: outputs (before XCom), result files, logs.

Airflow's secrets masker only covers the task log. A piece that returns a secret as an output or
writes it into a file or display result would otherwise store it in XCom and results storage,
where every viewer of the workflow reads it. Every occurrence is replaced by ``***`` — also the
JSON-escaped form, as in a ``.json`` file — before anything is stored or served.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from airflow_domino_sdk.piece_logging import MASK, secret_values

__all__ = ["MASK", "Masker", "secret_values"]

CHUNK = 1 << 20


class Masker:
    """Replaces each of ``values`` (strings of at least 4 characters) by ``***``."""

    def __init__(self, values: Iterable[str]) -> None:
        variants: set[str] = set()
        for value in values:
            variants.add(value)
            escaped = json.dumps(value)[1:-1]
            if escaped != value:
                variants.add(escaped)
        self.texts = sorted(variants, key=len, reverse=True)
        self.blobs = [text.encode("utf-8") for text in self.texts]
        self.longest = max((len(b) for b in self.blobs), default=0)

    @classmethod
    def of_secrets(cls, secrets: Any) -> Masker:
        """For a ``{name: value}`` mapping as resolved for a task (nested values included)."""
        return cls(secret_values(secrets))

    def __bool__(self) -> bool:
        return bool(self.texts)

    def text(self, text: str) -> str:
        for value in self.texts:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def data(self, data: bytes) -> bytes:
        for value in self.blobs:
            if value in data:
                data = data.replace(value, MASK.encode())
        return data

    def value(self, value: Any) -> Any:
        """A JSON-like value with every string (keys too) masked."""
        if not self:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value

    def chunks(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Mask a byte stream, also where a value spans two chunks."""
        keep = max(self.longest - 1, 0)
        carry = b""
        for chunk in chunks:
            buffer = self.data(carry + chunk)
            if keep and len(buffer) > keep:
                carry = buffer[-keep:]
                buffer = buffer[:-keep]
            elif keep:
                carry, buffer = buffer, b""
            if buffer:
                yield buffer
        if carry:
            yield self.data(carry)

    def contains(self, path: Path) -> bool:
        keep = max(self.longest - 1, 0)
        tail = b""
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                window = tail + chunk
                if any(blob in window for blob in self.blobs):
                    return True
                tail = window[-keep:] if keep else b""
        return False

    def file(self, path: Path) -> bool:
        """Mask ``path`` in place (atomically); True when it held a secret."""
        if not self or not path.is_file() or path.is_symlink() or not self.contains(path):
            return False
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".masking-")
        try:
            with os.fdopen(fd, "wb") as sink, path.open("rb") as source:
                for block in self.chunks(iter(lambda: source.read(CHUNK), b"")):
                    sink.write(block)
            os.chmod(tmp, path.stat().st_mode & 0o7777)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def folder(self, folder: Path) -> list[str]:
        """Mask every regular file below ``folder``; returns the relative paths that held a secret."""
        if not self or not folder.is_dir():
            return []
        masked = []
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            if self.file(path):
                masked.append(path.relative_to(folder).as_posix())
        return masked
