"""The `domino` shim lives in a non-package folder, so only package_data ships it in the wheel."""

from __future__ import annotations

import configparser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PACKAGE = REPO_ROOT / "airflow_domino_plugin"


def test_compat_path_files_are_package_data() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(REPO_ROOT / "setup.cfg")
    patterns = [p.strip() for p in cfg["options.package_data"]["airflow_domino_plugin"].splitlines() if p.strip()]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
    missing = [p for p in (PACKAGE / "sdk" / "compat_path").rglob("*.py") if p not in shipped]
    assert missing == []
