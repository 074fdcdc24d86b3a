"""The GUI's generated API types match what the API serves (the GUI checks its client against them)."""

from __future__ import annotations

from tools import openapi_types


def test_generated_openapi_document_and_types_are_current() -> None:
    document = openapi_types.spec()
    assert openapi_types.SPEC_FILE.read_text() == openapi_types.json.dumps(document, indent=2, sort_keys=True) + "\n", (
        "static/src/api/openapi.json is stale: run `python -m tools.openapi_types`"
    )
    assert openapi_types.TYPES_FILE.read_text() == openapi_types.types(document), (
        "static/src/api/openapi.gen.ts is stale: run `python -m tools.openapi_types`"
    )


def test_generated_types_cover_every_response_model() -> None:
    generated = openapi_types.TYPES_FILE.read_text()
    for name in ("WorkflowOut", "RunDetailOut", "InstallJobOut", "PieceOut", "SecretOut"):
        assert f"export type {name} = " in generated
