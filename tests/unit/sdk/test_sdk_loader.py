"""Loading pieces from folders, module isolation, and keeping `domino` out of the Airflow env."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from airflow_domino_sdk.errors import PieceLoadError
from airflow_domino_sdk.loader import load_piece, piece_package_name
from airflow_domino_sdk.testing import run_piece

REPO_ROOT = Path(__file__).resolve().parents[3]


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for child interpreters: the plugin importable, nothing else changed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


SDK_DIR = REPO_ROOT / "airflow_domino_plugin" / "sdk"

MODELS = """
from pydantic import BaseModel

class InputModel(BaseModel):
    x: int

class OutputModel(BaseModel):
    y: int
"""


def piece_src(name: str, factor: int) -> str:
    return f"""
from domino.base_piece import BasePiece
from .models import InputModel, OutputModel
from .helpers import FACTOR

class {name}(BasePiece):
    def piece_function(self, input_data):
        return OutputModel(y=input_data.x * FACTOR)
"""


def test_load_fixture_piece(domino_repo: Path) -> None:
    loaded = load_piece(domino_repo / "pieces" / "SecretGreetingPiece")
    assert loaded.name == "SecretGreetingPiece"
    assert loaded.secrets_model is not None
    assert loaded.metadata["description"].startswith("Greets")
    assert loaded.module_name == piece_package_name(domino_repo / "pieces" / "SecretGreetingPiece")
    assert loaded.piece_class.__module__ == f"{loaded.module_name}.piece"


def test_same_piece_name_in_two_folders_does_not_clash(tmp_path: Path, make_piece: Callable[..., Path]) -> None:
    first = make_piece("MulPiece", MODELS, piece_src("MulPiece", 2), root=tmp_path / "v1")
    second = make_piece("MulPiece", MODELS, piece_src("MulPiece", 3), root=tmp_path / "v2")
    (first / "helpers.py").write_text("FACTOR = 2\n")
    (second / "helpers.py").write_text("FACTOR = 3\n")
    assert run_piece(first, {"x": 5}).outputs == {"y": 10}
    assert run_piece(second, {"x": 5}).outputs == {"y": 15}
    assert "helpers" not in sys.modules
    assert "models" not in sys.modules
    assert load_piece(first).module_name != load_piece(second).module_name


def test_reload_reflects_disk(make_piece: Callable[..., Path]) -> None:
    folder = make_piece("MulPiece", MODELS, piece_src("MulPiece", 2))
    (folder / "helpers.py").write_text("FACTOR = 2\n")
    assert run_piece(folder, {"x": 1}).outputs == {"y": 2}
    (folder / "helpers.py").write_text("FACTOR = 7\n")
    assert run_piece(folder, {"x": 1}).outputs == {"y": 7}


def test_missing_class_is_reported(make_piece: Callable[..., Path]) -> None:
    folder = make_piece(
        "OddPiece", MODELS, "from domino.base_piece import BasePiece\n\nclass Other(BasePiece):\n    pass\n"
    )
    with pytest.raises(PieceLoadError, match="no BasePiece subclass named OddPiece"):
        load_piece(folder)


def test_import_error_points_at_piece_line(make_piece: Callable[..., Path]) -> None:
    folder = make_piece("BrokenPiece", MODELS, "import not_a_real_module_xyz\n")
    with pytest.raises(PieceLoadError, match=r"piece\.py line 1\): ModuleNotFoundError"):
        load_piece(folder)


def test_loading_does_not_leave_domino_importable(domino_repo: Path) -> None:
    load_piece(domino_repo / "pieces" / "DynamicOutputsPiece")
    code = "import airflow_domino_sdk\ntry:\n    import domino\nexcept ImportError:\n    print('ok')\n"
    # In this process run_piece may already have enabled the compat path; check a fresh interpreter.
    out = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_import_domino_fails_after_sdk_import_and_compile() -> None:
    code = (
        "import sys\n"
        "import airflow_domino_sdk\n"
        "from airflow_domino_sdk.repository import compile_repository\n"
        f"assert compile_repository({str(REPO_ROOT / 'tests/fixtures/domino_style_repo')!r}).ok\n"
        "assert 'airflow' not in sys.modules, 'the SDK must not import Airflow'\n"
        "try:\n    import domino\nexcept ImportError:\n    print('ok')\nelse:\n    print('domino importable')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_sdk_has_no_third_party_module_level_imports() -> None:
    allowed = set(sys.stdlib_module_names) | {"pydantic", "airflow_domino_plugin", "domino", "__future__"}
    offenders = []
    for path in SDK_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:  # module level only; imports inside functions are lazy on purpose
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(REPO_ROOT)}: {n}" for n in names if n.split(".")[0] not in allowed]
    assert offenders == []
