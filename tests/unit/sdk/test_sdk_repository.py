"""compile_repository on the Domino-style fixture and on deliberately broken copies."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from airflow_domino_sdk.repository import (
    COMPILED_METADATA_FILE,
    DEPENDENCIES_MAP_FILE,
    CompileResult,
    compile_repository,
    write_compiled_files,
)


def problems(result: CompileResult) -> set[tuple[str, str | None]]:
    return {(e.file, e.field) for e in result.errors}


def test_compile_fixture_writes_both_files(domino_repo: Path) -> None:
    result = compile_repository(domino_repo, source_url="https://github.com/example-org/domino_style_pieces")
    assert result.ok, result.errors
    assert result.warnings == []
    written = write_compiled_files(result)
    assert [p.relative_to(domino_repo).as_posix() for p in written] == [COMPILED_METADATA_FILE, DEPENDENCIES_MAP_FILE]

    compiled = json.loads((domino_repo / COMPILED_METADATA_FILE).read_text())
    assert sorted(compiled) == [
        "AddPiece",
        "BarsPiece",
        "CollectPiece",
        "DynamicOutputsPiece",
        "FailPiece",
        "MarkdownReportPiece",
        "ReadFilePiece",
        "SecretGreetingPiece",
        "SleepPiece",
        "SlugifyPiece",
        "WriteFilePiece",
    ]
    add = compiled["AddPiece"]
    assert add["input_schema"]["properties"]["a"]["from_upstream"] == "allowed"
    assert add["output_schema"]["required"] == ["total"]
    assert add["secrets_schema"] is None
    assert add["container_resources"] == {
        "requests": {"cpu": 100, "memory": 128},
        "limits": {"cpu": 500, "memory": 512},
        "use_gpu": False,
    }
    assert add["source_url"] == "https://github.com/example-org/domino_style_pieces/tree/main/pieces/AddPiece"
    assert compiled["SecretGreetingPiece"]["secrets_schema"]["required"] == ["GREETING_API_TOKEN"]
    assert compiled["MarkdownReportPiece"]["style"]["node_type"] == "sink"
    assert "OutputModifierModel" in json.dumps(compiled["DynamicOutputsPiece"]["input_schema"])

    deps = json.loads((domino_repo / DEPENDENCIES_MAP_FILE).read_text())
    assert deps == {
        "group0": {
            "dependency": {"dockerfile": None, "requirements_file": None},
            "pieces": [
                "AddPiece",
                "BarsPiece",
                "CollectPiece",
                "DynamicOutputsPiece",
                "FailPiece",
                "MarkdownReportPiece",
                "ReadFilePiece",
                "SecretGreetingPiece",
                "SleepPiece",
                "WriteFilePiece",
            ],
            "secrets": ["GREETING_API_TOKEN"],
            "source_image": "example-org/domino_style_pieces:0.1.0-group0",
        },
        "group1": {
            "dependency": {"dockerfile": None, "requirements_file": "requirements_slugify.txt"},
            "pieces": ["SlugifyPiece"],
            "secrets": [],
            "source_image": "example-org/domino_style_pieces:0.1.0-group1",
        },
    }


def test_every_error_is_reported_with_file_and_field(domino_repo: Path) -> None:
    pieces = domino_repo / "pieces"
    (pieces / "AddPiece" / "models.py").unlink()  # missing models
    meta = pieces / "SlugifyPiece" / "metadata.json"
    data = json.loads(meta.read_text())
    data["name"] = "SlugPiece"  # name mismatch
    meta.write_text(json.dumps(data))
    (domino_repo / "dependencies" / "requirements_slugify.txt").unlink()  # missing dependency file
    bad = pieces / "MarkdownReportPiece" / "metadata.json"
    bad.write_text(
        json.dumps(
            {
                "name": "MarkdownReportPiece",
                "tags": "not-a-list",
                "style": {"node_type": "middle"},
                "container_resources": {"requests": {"cpu": "lots", "memory": 64}},
            }
        )
    )
    piece_py = pieces / "SecretGreetingPiece" / "piece.py"
    piece_py.write_text(piece_py.read_text().replace("class SecretGreetingPiece", "class GreetingPiece"))
    models = pieces / "DynamicOutputsPiece" / "models.py"
    models.write_text(models.read_text().replace("class OutputModel", "class OutputThing"))
    (pieces / "helper").mkdir()
    (pieces / "helper" / "piece.py").write_text("")
    config = domino_repo / "config.toml"
    config.write_text(config.read_text().replace('VERSION = "0.1.0"\n', ""))

    result = compile_repository(domino_repo)
    assert not result.ok
    assert problems(result) == {
        ("config.toml", "repository.VERSION"),
        ("pieces/AddPiece/models.py", None),
        ("pieces/SlugifyPiece/metadata.json", "name"),
        ("pieces/SlugifyPiece/metadata.json", "dependency.requirements_file"),
        ("pieces/MarkdownReportPiece/metadata.json", "tags"),
        ("pieces/MarkdownReportPiece/metadata.json", "style.node_type"),
        ("pieces/MarkdownReportPiece/metadata.json", "container_resources.requests.cpu"),
        ("pieces/SecretGreetingPiece/piece.py", "class"),
        ("pieces/DynamicOutputsPiece/models.py", "OutputModel"),
        ("pieces/helper", "name"),
    }
    messages = {str(e) for e in result.errors}
    assert (
        "pieces/SlugifyPiece/metadata.json: dependency.requirements_file: "
        "file dependencies/requirements_slugify.txt does not exist" in messages
    )
    assert "pieces/SlugifyPiece/metadata.json: name: 'SlugPiece' must equal the folder name 'SlugifyPiece'" in messages


def test_models_import_error_and_bad_hints(domino_repo: Path) -> None:
    add = domino_repo / "pieces" / "AddPiece" / "models.py"
    add.write_text(add.read_text().replace('"from_upstream": "allowed"', '"from_upstream": "sometimes"'))
    slug = domino_repo / "pieces" / "SlugifyPiece" / "models.py"
    slug.write_text("import nonexistent_module_abc\n" + slug.read_text())
    (domino_repo / "pieces" / "MarkdownReportPiece" / "metadata.json").write_text("{not json")
    result = compile_repository(domino_repo)
    found = {str(e) for e in result.errors}
    assert any(
        m.startswith("pieces/SlugifyPiece/models.py: cannot import models.py (models.py line 1): ModuleNotFoundError")
        for m in found
    )
    assert (
        "pieces/AddPiece/models.py: InputModel.a.from_upstream: "
        "'sometimes' is not one of ('allowed', 'always', 'never')" in found
    )
    assert ("pieces/MarkdownReportPiece/metadata.json", "line 1") in problems(result)


def test_missing_config_and_pieces(tmp_path: Path) -> None:
    result = compile_repository(tmp_path)
    assert problems(result) == {("config.toml", None), ("pieces", None)}


def test_compile_does_not_write_on_error(domino_repo: Path) -> None:
    (domino_repo / "pieces" / "AddPiece" / "piece.py").write_text("def broken(:\n")
    result = compile_repository(domino_repo)
    assert ("pieces/AddPiece/piece.py", "line 1") in problems(result)
    assert not (domino_repo / ".domino").exists()


def test_legacy_config_layout_is_accepted_with_warnings(domino_repo: Path) -> None:
    (domino_repo / "config.toml").write_text(
        '[repository]\nREPOSITORY_NAME = "legacy"\nVERSION = "1.2.3"\n\n[dockerhub]\nREGISTRY_NAME = "Org"\n'
    )
    result = compile_repository(domino_repo)
    assert result.ok
    assert {(w.file, w.field) for w in result.warnings} == {
        ("config.toml", "dockerhub.REGISTRY_NAME"),
        ("config.toml", "repository.REPOSITORY_LABEL"),
    }
    assert result.dependencies_map["group0"]["source_image"] == "org/legacy:1.2.3-group0"


def test_compile_in_another_interpreter(domino_repo: Path) -> None:
    shutil.rmtree(domino_repo / "pieces" / "SlugifyPiece")
    result = compile_repository(domino_repo, python=sys.executable)
    assert result.ok, result.errors
    assert sorted(result.compiled_metadata) == sorted(
        p.name for p in (domino_repo / "pieces").iterdir() if p.name.endswith("Piece")
    )
