"""Building test repositories: copies of the fixtures with another version or name, and tagged git repositories.

Shared by the unit tests here and tests/integration/test_repositories.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOMINO_REPO = FIXTURES / "domino_style_repo"
THIRD_PARTY_REPO = FIXTURES / "third_party_style_repo"


def copy_repo(source: Path, target: Path, *, version: str | None = None) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if version is not None:
        set_version(target, version)
    return target


def set_config(repo: Path, key: str, value: str) -> None:
    config = repo / "config.toml"
    lines = [f'{key} = "{value}"' if line.startswith(f"{key} ") else line for line in config.read_text().splitlines()]
    config.write_text("\n".join(lines) + "\n")


def set_version(repo: Path, version: str) -> None:
    set_config(repo, "VERSION", version)


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result.stdout


ADD_MODELS_0_2_0 = '''from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """AddPiece Input Model (0.2.0: a is a float, b is gone, c is new)"""

    a: float = Field(description="First number.")
    c: int = Field(default=1, description="Multiplier.")


class OutputModel(BaseModel):
    """AddPiece Output Model"""

    total: int = Field(description="a * c")
    doubled: int = Field(default=0, description="2 * total")
'''

ADD_PIECE_0_2_0 = """from domino.base_piece import BasePiece

from .models import InputModel, OutputModel


class AddPiece(BasePiece):
    def piece_function(self, input_data: InputModel):
        total = int(input_data.a * input_data.c)
        return OutputModel(total=total, doubled=2 * total)
"""


def make_tagged_git_repo(folder: Path, name: str | None = None) -> Path:
    """domino_style_repo (optionally renamed) as a git repository with tags 0.1.0 and 0.2.0: in 0.2.0 AddPiece's
    ``a`` is a float, ``b`` is gone and ``c`` is new, MultiplyPiece is added and FailPiece removed."""
    repo = copy_repo(DOMINO_REPO, folder)
    if name:
        set_config(repo, "REPOSITORY_NAME", name)
    git("init", "--quiet", "--initial-branch=main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "--quiet", "-m", "0.1.0", cwd=repo)
    git("tag", "0.1.0", cwd=repo)
    set_version(repo, "0.2.0")
    (repo / "pieces" / "AddPiece" / "models.py").write_text(ADD_MODELS_0_2_0)
    (repo / "pieces" / "AddPiece" / "piece.py").write_text(ADD_PIECE_0_2_0)
    multiply = repo / "pieces" / "MultiplyPiece"
    shutil.copytree(repo / "pieces" / "AddPiece", multiply)
    for test_file in multiply.glob("test_*.py"):
        test_file.unlink()
    (multiply / "piece.py").write_text(ADD_PIECE_0_2_0.replace("class AddPiece", "class MultiplyPiece"))
    (multiply / "metadata.json").write_text(
        '{"name": "MultiplyPiece", "description": "Multiplies.", "tags": ["Math"]}\n'
    )
    shutil.rmtree(repo / "pieces" / "FailPiece")
    git("add", "-A", cwd=repo)
    git("commit", "--quiet", "-m", "0.2.0", cwd=repo)
    git("tag", "0.2.0", cwd=repo)
    return repo
