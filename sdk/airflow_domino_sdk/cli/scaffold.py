"""Templates for ``domino-pieces create``: a new repository / piece that compiles and tests green."""

from __future__ import annotations

import json
import re
from pathlib import Path

from airflow_domino_sdk.repository import REPOSITORY_NAME_RE

__all__ = ["ScaffoldError", "create_piece", "create_repository", "normalize_piece_name"]


class ScaffoldError(Exception):
    """A name or target folder that cannot be used."""


CONFIG_TEMPLATE = """\
[repository]
REPOSITORY_NAME = {name}
REPOSITORY_LABEL = {label}
VERSION = "0.1.0"
REGISTRY_NAME = {registry}
DESCRIPTION = {description}
"""

CONFTEST = '''\
"""Loads the SDK's pytest plugin: fixtures, and `from domino.testing import piece_dry_run` for
tests written for the original Domino."""

pytest_plugins = ["airflow_domino_sdk.pytest_plugin"]
'''

GITIGNORE = """\
__pycache__/
*.pyc
.pytest_cache/
dry_run_results/
build/
"""

README = """\
# {label}

{description}

Pieces repository for airflow-domino-plugin (Domino layout).

```
domino-pieces create piece MyNewPiece   # add a piece
pytest                                  # run the pieces' tests
domino-pieces compile                   # validate, write .domino/
domino-pieces run ExamplePiece --input input.json
domino-pieces release                   # tag the version in config.toml
```
"""

MODELS = '''\
from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """{name} inputs."""

    message: str = Field(
        default="Hello",
        description="Text to process.",
        json_schema_extra={{"from_upstream": "allowed", "widget": "textarea"}},
    )
    repeat: int = Field(default=1, ge=1, description="How many times to repeat the text.")


class OutputModel(BaseModel):
    """{name} outputs."""

    message: str = Field(description="The processed text.")
'''

PIECE = '''\
from pathlib import Path

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel


class {name}(BasePiece):
    """{description}"""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        text = " ".join([input_data.message] * input_data.repeat)
        self.logger.info("Processed %d characters", len(text))

        # Files for later tasks go to results_path; display_result is shown in the GUI.
        report = Path(self.results_path) / "result.md"
        report.write_text(f"# {name}\\n\\n{{text}}\\n")
        self.display_result = {{"file_type": "md", "file_path": str(report)}}

        return OutputModel(message=text)
'''

TEST = """\
from pathlib import Path

from airflow_domino_sdk.testing import run_piece

PIECE_DIR = Path(__file__).parent


def test_{snake}(tmp_path):
    result = run_piece(PIECE_DIR, {{"message": "hi", "repeat": 2}}, results_path=tmp_path)
    assert result.outputs == {{"message": "hi hi"}}
    assert result.display_result["file_type"] == "md"
"""


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def normalize_piece_name(name: str) -> str:
    """``Add`` → ``AddPiece``; the result must be a Python identifier."""
    name = name.strip()
    if not name.endswith("Piece"):
        name += "Piece"
    if not name.isidentifier() or name == "Piece" or not name[0].isupper():
        raise ScaffoldError(f"invalid piece name {name!r}: use CamelCase letters and digits, e.g. AddPiece")
    return name


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def create_piece(repo_dir: str | Path, name: str, description: str | None = None) -> Path:
    """Create ``pieces/<Name>Piece/`` with piece.py, models.py, metadata.json and a test."""
    piece_name = normalize_piece_name(name)
    repo = Path(repo_dir)
    if not (repo / "config.toml").is_file():
        raise ScaffoldError(f"{repo} is not a pieces repository (no config.toml)")
    folder = repo / "pieces" / piece_name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    description = description or f"{piece_name}: describe what it does."
    folder.mkdir(parents=True)
    (folder / "models.py").write_text(MODELS.format(name=piece_name))
    (folder / "piece.py").write_text(PIECE.format(name=piece_name, description=description))
    metadata = {
        "name": piece_name,
        "description": description,
        "container_resources": {"requests": {"cpu": 100, "memory": 128}, "limits": {"cpu": 500, "memory": 512}},
        "tags": [],
        "style": {"node_label": piece_name.removesuffix("Piece"), "icon_class_name": "fa-solid fa-circle"},
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=4) + "\n")
    (folder / f"test_{_snake(piece_name)}.py").write_text(TEST.format(snake=_snake(piece_name)))
    return folder


def create_repository(
    name: str,
    parent_dir: str | Path = ".",
    *,
    registry: str = "enter-your-registry-name",
    label: str | None = None,
    description: str | None = None,
    example_piece: str = "ExamplePiece",
) -> Path:
    """Create ``<parent_dir>/<name>/`` in the Domino layout, with one example piece."""
    if not REPOSITORY_NAME_RE.fullmatch(name):
        raise ScaffoldError(f"invalid repository name {name!r}: use letters, digits, '_', '-', '.'")
    repo = Path(parent_dir) / name
    if repo.exists() and any(repo.iterdir()):
        raise ScaffoldError(f"{repo} already exists and is not empty")
    label = label or name.replace("_", " ").replace("-", " ").title()
    description = description or f"Pieces of {label}."
    (repo / "dependencies").mkdir(parents=True, exist_ok=True)
    (repo / "pieces").mkdir()
    (repo / "dependencies" / ".gitkeep").write_text("")
    (repo / "config.toml").write_text(
        CONFIG_TEMPLATE.format(
            name=_toml_str(name),
            label=_toml_str(label),
            registry=_toml_str(registry),
            description=_toml_str(description),
        )
    )
    (repo / "conftest.py").write_text(CONFTEST)
    (repo / ".gitignore").write_text(GITIGNORE)
    (repo / "README.md").write_text(README.format(label=label, description=description))
    create_piece(repo, example_piece, "An example piece: repeats a message and shows it as markdown.")
    return repo
