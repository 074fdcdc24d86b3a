"""The `domino` shim lives in a non-package folder, so only package-data ships it in the SDK's wheel.

(test_sdk_distribution.py checks a built wheel; this one fails fast, without building, when a new shim
file is not matched by sdk/pyproject.toml.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

SDK_ROOT = Path(__file__).resolve().parents[3] / "sdk"
PACKAGE = SDK_ROOT / "airflow_domino_sdk"


def test_compat_path_files_and_type_marker_are_package_data() -> None:
    config = tomllib.loads((SDK_ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["airflow_domino_sdk"]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
    shim = list((PACKAGE / "compat_path").rglob("*.py"))
    assert len(shim) >= 8, "the domino shim is missing"
    assert [p for p in shim if p not in shipped] == []
    assert PACKAGE / "py.typed" in shipped
