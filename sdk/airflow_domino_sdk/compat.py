"""The ``domino`` import path for pieces written for the original Domino.

``compat_path/`` is deliberately *not* a package: ``import domino`` only works once that folder is
on ``sys.path``. The piece runtime and the testing helpers put it there; the Airflow environment
never does, so no top-level ``domino`` package leaks into Airflow.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["COMPAT_PATH", "domino_compat", "enable_domino_compat"]

COMPAT_PATH = str(Path(__file__).resolve().parent / "compat_path")


def enable_domino_compat() -> None:
    """Make ``import domino`` resolve to the SDK shim for the rest of this process."""
    if COMPAT_PATH not in sys.path:
        sys.path.insert(0, COMPAT_PATH)


def _is_domino_module(name: str) -> bool:
    return name == "domino" or name.startswith("domino.")


@contextmanager
def domino_compat() -> Iterator[None]:
    """Enable ``import domino`` only inside the block (for long-lived processes such as the API server).

    On exit the path entry and any ``domino`` modules imported in the block are removed again;
    objects already imported from them (e.g. ``OutputModifierModel``) live in the SDK and stay valid.
    """
    added = COMPAT_PATH not in sys.path
    before = {name for name in sys.modules if _is_domino_module(name)}
    if added:
        sys.path.insert(0, COMPAT_PATH)
    try:
        yield
    finally:
        if added:
            with suppress(ValueError):
                sys.path.remove(COMPAT_PATH)
            for name in [n for n in sys.modules if _is_domino_module(n) and n not in before]:
                del sys.modules[name]
