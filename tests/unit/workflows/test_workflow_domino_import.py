"""Domino workflows (API create body, stored workflow, editor export) → our workflow document.

The Domino documents are written here in the shapes of Domino's public source (its REST API's
``CreateWorkflowRequest``, its stored ``schema``, and its editor's JSON export); the pieces are the
Domino-style fixture repository's, compiled with the SDK, so the converted documents are checked
by the real validator.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk.repository import compile_repository

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.domino_import import (
    DOMINO_API,
    DOMINO_EDITOR,
    DOMINO_STORED,
    NATIVE,
    InstalledPiece,
    InstalledRepository,
    RepositoryTarget,
    convert_domino,
    detect_format,
)
from airflow_domino_plugin.workflows.validation import validate_workflow

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "domino_style_repo"
REPO, VERSION = "domino_style_pieces", "0.1.0"
IMAGE = "ghcr.io/example-org/domino_style_pieces:0.1.0-group0"
REF = {"repository": REPO, "version": VERSION}
A, B, C = "AddPiece_1f2e3d4c5b6a47988796a5b4c3d2e1f0", "AddPiece_0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5", "CollectPie_77aa"


def _variable(repo: str, name: str) -> str:
    return f"domino__{repo}__{name}"


@pytest.fixture(scope="module")
def compiled() -> dict[str, dict[str, Any]]:
    result = compile_repository(FIXTURE)
    assert result.ok, result.errors
    return result.compiled_metadata


@pytest.fixture(scope="module")
def installed(compiled: dict[str, dict[str, Any]]) -> list[InstalledRepository]:
    pieces = {
        name: InstalledPiece(
            name,
            secrets=tuple((meta.get("secrets_schema") or {}).get("properties", {})),
            container_resources=meta.get("container_resources") or {},
        )
        for name, meta in compiled.items()
    }
    return [InstalledRepository(REPO, VERSION, "https://github.com/example-org/domino_style_pieces", pieces)]


@pytest.fixture(scope="module")
def catalog(compiled: dict[str, dict[str, Any]]) -> InMemoryPieceCatalog:
    return InMemoryPieceCatalog(
        PieceSpec(REPO, VERSION, name, meta["input_schema"], meta["output_schema"], meta.get("secrets_schema"))
        for name, meta in compiled.items()
    )


def _kw(value: Any = None, upstream: str | None = None, output: str | None = None) -> dict[str, Any]:
    """One field of Domino's ``piece_input_kwargs``."""
    return {
        "fromUpstream": upstream is not None,
        "upstreamTaskId": upstream,
        "upstreamArgument": output,
        "value": value,
    }


def _resources(cpu: tuple[int, int] = (100, 500), memory: tuple[int, int] = (128, 512)) -> dict[str, Any]:
    return {
        "requests": {"cpu": cpu[0], "memory": memory[0]},
        "limits": {"cpu": cpu[1], "memory": memory[1]},
        "use_gpu": False,
    }


def _ui_node(node_id: str, name: str, label: str, x: float, y: float) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "CustomNode",
        "position": {"x": x, "y": y},
        "data": {"name": name, "style": {"label": label, "nodeType": "default"}, "orientation": "horizontal"},
    }


def api_body() -> dict[str, Any]:
    """Domino's ``POST /workspaces/{id}/workflows`` body: two chained additions collected into a list."""
    storage = {"source": "None", "mode": "Read/Write", "provider_options": {}}
    return {
        "workflow": {
            "name": "domino_math",
            "schedule": "daily",
            "start_date": "2026-12-01",
            "select_end_date": "never",
            "end_date": "2027-01-01T00:00:00.000Z",
            "generate_report": False,
            "description": "Adds numbers, the Domino way.",
        },
        "tasks": {
            A: {
                "task_id": A,
                "piece": {"name": "AddPiece", "source_image": IMAGE},
                "piece_input_kwargs": {"a": _kw(2), "b": _kw(3)},
                "dependencies": [],
                "container_resources": _resources(),
                "workflow_shared_storage": storage,
            },
            B: {
                "task_id": B,
                "piece": {"name": "AddPiece", "source_image": IMAGE},
                "piece_input_kwargs": {"a": _kw("", A, "total"), "b": _kw(10)},
                "dependencies": [A],
                "container_resources": _resources(cpu=(200, 1000), memory=(256, 1024)),
                "workflow_shared_storage": storage,
            },
            C: {
                "task_id": C,
                "piece": {"name": "CollectPiece", "source_image": IMAGE},
                "piece_input_kwargs": {
                    "values": _kw([_kw(None, A, "total"), _kw(5), _kw(None, B, "total")]),
                    "labels": _kw({"seven": 7}),
                },
                "dependencies": [A, B],
                "container_resources": _resources(cpu=(100, 100), memory=(128, 128)),
                "workflow_shared_storage": storage,
            },
        },
        "ui_schema": {
            "nodes": {
                A: _ui_node("11_1f2e3d4c-5b6a-4798-8796-a5b4c3d2e1f0", "AddPiece", "Add", 10, 20),
                B: _ui_node("11_0a1b2c3d-4e5f-46a7-b8c9-d0e1f2a3b4c5", "AddPiece", "Add ten", 250, 20),
                C: _ui_node("12_77aa", "CollectPiece", "CollectPiece", 500.5, 40),
            },
            "edges": [
                {
                    "id": "e1",
                    "source": "11_1f2e3d4c-5b6a-4798-8796-a5b4c3d2e1f0",
                    "target": "11_0a1b2c3d-4e5f-46a7-b8c9-d0e1f2a3b4c5",
                },
            ],
        },
    }


EXPECTED_TASKS = [
    {"id": "add", "piece": {**REF, "name": "AddPiece"}, "label": "Add", "inputs": {"a": 2, "b": 3}, "depends_on": []},
    {
        "id": "add_2",
        "piece": {**REF, "name": "AddPiece"},
        "label": "Add ten",
        "inputs": {"a": {"$upstream": {"task": "add", "output": "total"}}, "b": 10},
        "depends_on": ["add"],
        "resources": {"cpu": "1000m", "memory": "1024Mi"},
    },
    {
        "id": "collect",
        "piece": {**REF, "name": "CollectPiece"},
        "inputs": {
            "values": [
                {"$upstream": {"task": "add", "output": "total"}},
                5,
                {"$upstream": {"task": "add_2", "output": "total"}},
            ],
            "labels": {"seven": 7},
        },
        "depends_on": ["add", "add_2"],
    },
]


def test_formats_are_told_apart() -> None:
    assert detect_format(api_body()) == DOMINO_API
    assert detect_format({"schema_version": 1, "id": "x", "tasks": []}) == NATIVE
    assert detect_format(editor_export()) == DOMINO_EDITOR
    assert detect_format(stored_workflow()) == DOMINO_STORED
    assert detect_format({"hello": 1}) is None
    assert detect_format([]) is None


def test_api_body_maps_pieces_inputs_upstreams_schedule_resources_and_positions(
    installed: list[InstalledRepository], catalog: InMemoryPieceCatalog
) -> None:
    result = convert_domino(api_body(), installed)
    assert result.errors == []
    doc = result.document
    assert doc is not None
    assert {k: v for k, v in doc.items() if k not in ("tasks", "ui")} == {
        "schema_version": 1,
        "id": "domino_math",
        "name": "domino_math",
        "description": "Adds numbers, the Domino way.",
        "schedule": "@daily",
        "start_date": "2026-12-01T00:00:00+00:00",  # end_date dropped: "never" was chosen
    }
    assert doc["tasks"] == EXPECTED_TASKS
    assert doc["ui"] == {
        "nodes": {"add": {"x": 10, "y": 20}, "add_2": {"x": 250, "y": 20}, "collect": {"x": 500.5, "y": 40}}
    }
    assert result.task_ids == {A: "add", B: "add_2", C: "collect"}
    assert [(w.path, w.code) for w in result.warnings] == [
        (f"tasks.{B}.container_resources", "domino_resources_requests")
    ]
    assert validate_workflow(doc, catalog) == []


def test_id_name_and_schedule_presets(installed: list[InstalledRepository]) -> None:
    for domino, ours in [
        ("none", None),
        ("once", "@once"),
        ("hourly", "@hourly"),
        ("@weekly", "@weekly"),
        ("monthly", "@monthly"),
        ("yearly", "@yearly"),
        ("0 5 * * *", "0 5 * * *"),
    ]:
        body = api_body()
        body["workflow"]["schedule"] = domino
        doc = convert_domino(body, installed, workflow_id="given_id", name="Given name").document
        assert doc is not None
        assert (doc["id"], doc["name"], doc["schedule"]) == ("given_id", "Given name", ours)
    older = api_body()  # Domino before 0.5 called it schedule_interval
    older["workflow"]["schedule_interval"] = older["workflow"].pop("schedule")
    older["workflow"].update(name="Sales Report 2", select_end_date="User defined", end_date="2027-01-01T00:00:00.000Z")
    doc = convert_domino(older, installed).document
    assert doc is not None
    assert (doc["id"], doc["schedule"], doc["end_date"]) == ("sales_report_2", "@daily", "2027-01-01T00:00:00+00:00")


def editor_export() -> dict[str, Any]:
    """The editor's JSON export (as in Domino's workflows gallery): nodes, edges, pieces and their data by node id."""
    add_id, slug_id = "11_1f2e3d4c-5b6a-4798-8796-a5b4c3d2e1f0", "13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
    piece = {
        "id": 11,
        "name": "AddPiece",
        "source_image": IMAGE,
        "repository_id": 219,
        "repository_url": "https://github.com/example-org/domino_style_pieces",
        "style": {"label": "Add", "nodeType": "default"},
        "input_schema": {},
        "output_schema": {},
    }
    data_input = {"fromUpstream": False, "upstreamId": "", "upstreamArgument": "", "upstreamValue": ""}
    return {
        "workflowPieces": {
            add_id: piece,
            slug_id: {
                **piece,
                "id": 13,
                "name": "SlugifyPiece",
                "source_image": IMAGE.replace("group0", "group1"),
                "style": {"label": "Slugify"},
            },
        },
        "workflowPiecesData": {
            add_id: {
                "storage": {"storageAccessMode": "Read/Write"},
                "containerResources": {
                    "cpu": {"min": 100, "max": 500},
                    "memory": {"min": 128, "max": 512},
                    "useGpu": False,
                },
                "inputs": {"a": {**data_input, "value": 40}, "b": {**data_input, "value": 2}},
            },
            slug_id: {
                "storage": {"storageAccessMode": "Read/Write"},
                "containerResources": {
                    "cpu": {"min": 100, "max": 100},
                    "memory": {"min": 128, "max": 128},
                    "useGpu": False,
                },
                "inputs": {
                    "text": {
                        **data_input,
                        "fromUpstream": True,
                        "upstreamId": "AddPiece_1f2e3d4c5b6a47988796a5b4c3d2e1f0",
                        "upstreamArgument": "total",
                        "upstreamValue": "AddPiece (1f2e3d4c) - Total",
                        "value": "",
                    },
                    "separator": {**data_input, "value": "_"},
                },
            },
        },
        "workflowNodes": [
            _ui_node(add_id, "AddPiece", "Add", 369, 188.5),
            _ui_node(slug_id, "SlugifyPiece", "Slugify", 656, 161.5),
        ],
        "workflowEdges": [{"source": add_id, "target": slug_id, "id": f"reactflow__edge-{add_id}-{slug_id}"}],
        "workflowSettingsData": {
            "config": {
                "name": "number_slug",
                "scheduleInterval": "none",
                "startDate": "2026-12-01T10:00:00",
                "endDateType": "never",
            },
            "storage": {"storageSource": "None"},
        },
    }


def test_editor_export_maps_nodes_edges_and_generated_upstream_ids(
    installed: list[InstalledRepository], catalog: InMemoryPieceCatalog
) -> None:
    result = convert_domino(editor_export(), installed)
    assert result.errors == []
    assert result.warnings == []
    doc = result.document
    assert doc is not None
    assert (doc["id"], doc["schedule"], doc["start_date"]) == ("number_slug", None, "2026-12-01T10:00:00+00:00")
    assert doc["tasks"] == [
        {
            "id": "add",
            "piece": {**REF, "name": "AddPiece"},
            "label": "Add",
            "inputs": {"a": 40, "b": 2},
            "depends_on": [],
        },
        {
            "id": "slugify",
            "piece": {**REF, "name": "SlugifyPiece"},
            "label": "Slugify",
            "inputs": {"text": {"$upstream": {"task": "add", "output": "total"}}, "separator": "_"},
            "depends_on": ["add"],
        },
    ]
    assert doc["ui"]["nodes"] == {"add": {"x": 369, "y": 188.5}, "slugify": {"x": 656, "y": 161.5}}
    # The validator's type check still applies: Slugify's `text` is a string, AddPiece's `total` an integer.
    issues = validate_workflow(doc, catalog)
    assert [i.path for i in issues] == ["tasks[1].inputs.text"]
    [translated] = [result.translate(i) for i in issues]
    assert translated.path == 'workflowPiecesData["13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"].inputs.text'
    assert "`tasks[1].inputs.text` in the converted workflow" in translated.message


def stored_workflow() -> dict[str, Any]:
    """Domino's ``GET /workspaces/{id}/workflows/{id}`` answer: inputs already resolved by Domino's backend."""
    return {
        "id": 7,
        "name": "stored_math",
        "schema": {
            "workflow": {"name": "stored_math", "schedule": "weekly", "start_date": "2026-12-01"},
            "tasks": {
                "AddPiece_aaaa": {
                    "task_id": "AddPiece_aaaa",
                    "piece": {
                        "name": "AddPiece",
                        "source_image": IMAGE,
                        "repository_url": "https://github.com/example-org/domino_style_pieces",
                        "repository_version": "0.1.0",
                    },
                    "input_kwargs": {"a": 1, "b": 2},
                    "container_resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"cpu": "500m", "memory": "512Mi"},
                        "use_gpu": False,
                    },
                    "workflow_shared_storage": {"source": "AWS S3", "mode": "Read/Write"},
                },
                "CollectPie_bbbb": {
                    "task_id": "CollectPie_bbbb",
                    "piece": {"name": "CollectPiece", "source_image": IMAGE},
                    "input_kwargs": {
                        "values": [
                            {"type": "fromUpstream", "upstream_task_id": "AddPiece_aaaa", "output_arg": "total"},
                            4,
                        ],
                        "labels": {
                            "x": {"type": "fromUpstream", "upstream_task_id": "AddPiece_aaaa", "output_arg": "total"}
                        },
                    },
                    "upstream": ["AddPiece_aaaa"],
                },
            },
        },
        "ui_schema": {"nodes": {"AddPiece_aaaa": _ui_node("11_aaaa", "AddPiece", "AddPiece", 0, 0)}, "edges": []},
    }


def test_stored_workflow_maps_resolved_inputs_and_warns_about_shared_storage(
    installed: list[InstalledRepository], catalog: InMemoryPieceCatalog
) -> None:
    result = convert_domino(stored_workflow(), installed)
    assert result.errors == []
    doc = result.document
    assert doc is not None
    upstream = {"$upstream": {"task": "add", "output": "total"}}
    assert doc["schedule"] == "@weekly"
    assert doc["tasks"][1]["inputs"] == {"values": [upstream, 4], "labels": {"x": upstream}}
    assert doc["tasks"][1]["depends_on"] == ["add"]
    assert "resources" not in doc["tasks"][0]  # "500m"/"512Mi" equal the piece's own limits
    assert [(w.path, w.code) for w in result.warnings] == [
        ("schema.tasks.AddPiece_aaaa.workflow_shared_storage.source", "domino_shared_storage")
    ]
    assert validate_workflow(doc, catalog) == []


def test_every_unmappable_node_and_field_is_reported_with_its_path(installed: list[InstalledRepository]) -> None:
    other = InstalledRepository("other_pieces", "2.0.0", pieces={"CollectPiece": InstalledPiece("CollectPiece")})
    body = api_body()
    body["workflow"]["schedule"] = "fortnightly"
    body["workflow"]["start_date"] = "the first of december"
    body["tasks"][A]["piece"] = {"id": 3, "name": "NoSuchPiece"}
    body["tasks"][B]["piece_input_kwargs"]["a"] = _kw(None, "GhostPiece_1234", "total")
    body["tasks"][C]["piece"] = {"id": 4, "name": "CollectPiece"}  # no hint, and two repositories have it
    body["tasks"][C]["dependencies"] = [A, "Vanished_9"]
    result = convert_domino(body, [*installed, other])
    assert result.document is None
    assert [(e.path, e.code) for e in result.errors] == [
        ("workflow.schedule", "domino_bad_schedule"),
        ("workflow.start_date", "domino_bad_date"),
        (f"tasks.{A}.piece", "domino_unknown_piece"),
        (f"tasks.{B}.piece_input_kwargs.a.upstreamTaskId", "domino_unknown_upstream"),
        (f"tasks.{C}.piece", "domino_ambiguous_piece"),
        (f"tasks.{C}.dependencies[1]", "domino_unknown_upstream"),
    ]
    messages = {e.code: e.message for e in result.errors}
    assert "`NoSuchPiece`" in messages["domino_unknown_piece"]
    assert "`domino_style_pieces`, `other_pieces`" in messages["domino_ambiguous_piece"]

    editor = editor_export()
    editor["workflowEdges"].append({"source": "x", "target": "99_gone", "id": "e2"})
    editor["workflowPieces"]["13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]["name"] = "Unknown"
    editor["workflowPiecesData"]["13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]["inputs"]["text"]["upstreamArgument"] = ""
    result = convert_domino(editor, installed)
    assert [(e.path, e.code) for e in result.errors] == [
        ("workflowEdges[1].target", "domino_unknown_node"),
        ('workflowPieces["13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]', "domino_unknown_piece"),
        (
            'workflowPiecesData["13_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"].inputs.text.upstreamArgument',
            "domino_malformed",
        ),
    ]
    assert convert_domino({"nodes": []}, installed).errors[0].code == "domino_unknown_format"


def test_repository_mapping_versions_and_lookup_by_name(installed: list[InstalledRepository]) -> None:
    newer = InstalledRepository(REPO, "0.2.0", pieces=dict(installed[0].pieces))
    forked = InstalledRepository("my_fork", "1.0.0", pieces=dict(installed[0].pieces))
    body = api_body()
    # The image names the repository; its version is used when installed.
    assert convert_domino(body, [*installed, newer]).document["tasks"][0]["piece"]["version"] == "0.1.0"  # type: ignore[index]
    # Not installed in that version: the newest installed one, with a warning.
    result = convert_domino(body, [newer])
    assert result.document is not None
    assert {t["piece"]["version"] for t in result.document["tasks"]} == {"0.2.0"}
    assert "domino_other_version" in {w.code for w in result.warnings}
    # An explicit mapping wins (keys: Domino repository id, URL, image or repository name, piece name, "*").
    for key in ("domino_style_pieces", "ghcr.io/example-org/domino_style_pieces", "*"):
        mapped = convert_domino(body, [*installed, forked], repositories={key: RepositoryTarget("my_fork")})
        assert {t["piece"]["repository"] for t in mapped.document["tasks"]} == {"my_fork"}  # type: ignore[index]
    missing = convert_domino(body, installed, repositories={"*": RepositoryTarget(REPO, "9.9.9")})
    assert {e.code for e in missing.errors} == {"domino_unknown_piece_version"}
    # No hint at all (Domino's older `piece: {id, name}`): the one installed repository with that piece.
    for task in body["tasks"].values():
        task["piece"] = {"id": 1, "name": task["piece"]["name"]}
    assert convert_domino(body, installed).document["tasks"] == EXPECTED_TASKS  # type: ignore[index]


def test_secrets_are_bound_to_their_airflow_variables_with_a_warning(installed: list[InstalledRepository]) -> None:
    body = copy.deepcopy(api_body())
    body["tasks"] = {
        "Greet_1": {
            "task_id": "Greet_1",
            "piece": {"name": "SecretGreetingPiece", "source_image": IMAGE},
            "piece_input_kwargs": {"name": _kw("Ada")},
        }
    }
    result = convert_domino(body, installed, secret_variable=_variable)
    assert result.document is not None
    variable = "domino__domino_style_pieces__GREETING_API_TOKEN"
    assert result.document["tasks"][0]["secrets"] == {"GREETING_API_TOKEN": {"variable": variable}}
    assert [w.code for w in result.warnings] == ["domino_secrets"]
    assert variable in result.warnings[0].message


def test_validation_issues_point_into_the_domino_document(
    installed: list[InstalledRepository], catalog: InMemoryPieceCatalog
) -> None:
    body = api_body()
    body["tasks"][B]["piece_input_kwargs"]["c"] = _kw(1)
    body["tasks"][B]["piece_input_kwargs"]["a"] = _kw(None, A, "sum")
    body["tasks"][C]["piece_input_kwargs"]["values"]["value"][1] = _kw("five")
    result = convert_domino(body, installed)
    assert result.document is not None
    translated = sorted(result.translate(i).path for i in validate_workflow(result.document, catalog))
    assert translated == [
        f"tasks.{B}.piece_input_kwargs.a",
        f"tasks.{B}.piece_input_kwargs.c",
        f"tasks.{C}.piece_input_kwargs.values.value[1]",
    ]
