"""A layout rule import-linter cannot express (its contracts are in pyproject.toml): no module
imports a private (``_name``) name from a module of another package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("airflow_domino_plugin", "airflow_domino_sdk")


def _package(base: Path, module: str) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    return module if (base.joinpath(*module.split(".")) / "__init__.py").exists() else module.rpartition(".")[0]


def private_imports_across_packages(base: Path, package: str) -> list[str]:
    found = []
    for path in sorted((base / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(base).with_suffix("").parts)
        importer = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                continue
            if not node.module.startswith(PREFIXES):
                continue
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if private and _package(base, node.module) != _package(base, importer):
                found.append(f"{path.relative_to(base)}:{node.lineno} imports {', '.join(private)} from {node.module}")
    return found


def test_no_private_name_is_imported_from_another_package() -> None:
    assert private_imports_across_packages(ROOT, "airflow_domino_plugin") == []
    assert private_imports_across_packages(ROOT / "sdk", "airflow_domino_sdk") == []


def test_the_scan_names_a_private_import_across_packages(tmp_path: Path) -> None:
    for package in ("airflow_domino_plugin", "airflow_domino_plugin/services", "airflow_domino_plugin/execution"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "airflow_domino_plugin/services/runs.py").write_text("def _latest() -> None: ...\n")
    (tmp_path / "airflow_domino_plugin/services/dags.py").write_text(
        "from airflow_domino_plugin.services.runs import _latest\n"  # same package: allowed
    )
    (tmp_path / "airflow_domino_plugin/execution/task.py").write_text(
        "from airflow_domino_plugin.services.runs import _latest\n"
    )
    assert private_imports_across_packages(tmp_path, "airflow_domino_plugin") == [
        "airflow_domino_plugin/execution/task.py:1 imports _latest from airflow_domino_plugin.services.runs"
    ]
