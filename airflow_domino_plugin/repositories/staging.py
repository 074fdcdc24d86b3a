"""Building a folder out of the way, then putting it in place: readers see the old folder or the complete new one."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_folder(target: Path, *, prefix: str) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to fill; when the block ends it replaces ``target``, and
    when the block fails (or is interrupted) it is removed and ``target`` is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    try:
        yield staging
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
