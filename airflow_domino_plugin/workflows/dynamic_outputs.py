"""Outputs a task declares in its inputs (Domino's ``OutputModifierModel`` / ``output_args``).

Some pieces let the user choose their outputs: an input holds a list of ``{name, type,
description}`` items and the output model allows extra fields (``properties: {}``,
``additionalProperties: true``), so the piece returns one value per declared item. The outputs
of such a task are its piece's declared ``properties`` plus the items of that input, each typed
by its ``type``; the validator and the editor bind to them like to any other output, and the
piece runtime checks they were produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from airflow_domino_plugin.workflows.bindings import is_binding_like
from airflow_domino_plugin.workflows.issues import Loc
from airflow_domino_plugin.workflows.type_compat import JsonSchema, normalise_schema

#: ``OutputModifierItemType`` value -> the JSON schema of the output it declares.
DECLARED_TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "array": {"type": "array"},
}
DEFAULT_DECLARED_TYPE = "string"


def allows_extra_outputs(output_schema: Mapping[str, Any]) -> bool:
    """True when the output model keeps fields it does not declare (``extra="allow"``)."""
    extra = output_schema.get("additionalProperties")
    return extra is True or isinstance(extra, Mapping)


def is_output_modifier(item_schema: Any, root: Mapping[str, Any]) -> bool:
    """Does a list item schema describe one declared output (``OutputModifierModel`` or a subclass)?

    Recognised by shape, not by name alone: an object with a string ``name`` and a ``type``
    whose allowed values are ``OutputModifierItemType`` values.
    """
    node = normalise_schema(item_schema, root)
    props = node.get("properties")
    if not isinstance(props, Mapping) or "name" not in props or "type" not in props:
        return False
    name = normalise_schema(props["name"], root)
    kind = normalise_schema(props["type"], root)
    values = kind.get("enum")
    if not isinstance(values, list) or not values:
        return False
    return name.get("type") == "string" and set(values) <= set(DECLARED_TYPE_SCHEMAS)


def declaring_inputs(input_schema: Mapping[str, Any], output_schema: Mapping[str, Any]) -> list[str]:
    """Names of the top-level inputs whose items declare outputs; empty for ordinary pieces."""
    if not allows_extra_outputs(output_schema):
        return []
    found: list[str] = []
    for name, prop in (input_schema.get("properties") or {}).items():
        node = normalise_schema(prop, input_schema)
        if node.get("type") == "array" and is_output_modifier(node.get("items", {}), input_schema):
            found.append(name)
    return found


@dataclass(frozen=True)
class DeclaredOutput:
    """One output declared by a task: its name, ``OutputModifierItemType`` and where it is declared."""

    name: str
    type: str
    description: str
    loc: Loc  # of the item's `name`, relative to the task's inputs (default items: the input itself)

    @property
    def schema(self) -> dict[str, Any]:
        schema = dict(DECLARED_TYPE_SCHEMAS.get(self.type, {}))
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass(frozen=True)
class TaskOutputs:
    """What a task produces: the schema to resolve outputs against, and the declared ones."""

    schema: Mapping[str, Any]  # the piece's output schema with the declared outputs added to properties
    declared: tuple[DeclaredOutput, ...] = ()
    open_ended: bool = False  # a declaring input is not a literal list: any name may be produced

    @property
    def properties(self) -> Mapping[str, Any]:
        return self.schema.get("properties") or {}


def declared_outputs(
    input_schema: Mapping[str, Any], output_schema: Mapping[str, Any], inputs: Mapping[str, Any]
) -> tuple[list[DeclaredOutput], bool]:
    """The outputs a task's ``inputs`` declare (the input's default when it is not given).

    Returns ``(declared, open_ended)``; ``open_ended`` is True when a declaring input is bound
    (``$param``), so its names are only known at run time.
    """
    declared: list[DeclaredOutput] = []
    open_ended = False
    props = input_schema.get("properties") or {}
    for field in declaring_inputs(input_schema, output_schema):
        given = field in inputs
        items = inputs[field] if given else normalise_schema(props[field], input_schema).get("default")
        if is_binding_like(items):
            open_ended = True
            continue
        if not isinstance(items, list):
            continue
        for position, item in enumerate(items):
            if not isinstance(item, Mapping) or is_binding_like(item):
                open_ended = True
                continue
            name, kind = item.get("name"), item.get("type", DEFAULT_DECLARED_TYPE)
            if not isinstance(name, str) or not name or is_binding_like(name):
                continue
            description = item.get("description")
            declared.append(
                DeclaredOutput(
                    name=name,
                    type=kind if isinstance(kind, str) else "",
                    description=description if isinstance(description, str) else "",
                    loc=(field, position, "name") if given else (field,),
                )
            )
    return declared, open_ended


def task_outputs(input_schema: Mapping[str, Any], output_schema: JsonSchema, inputs: Mapping[str, Any]) -> TaskOutputs:
    """The outputs of a task of this piece with these inputs (static ones win over declared ones)."""
    declared, open_ended = declared_outputs(input_schema, output_schema, inputs)
    if not declared and not open_ended:
        return TaskOutputs(schema=output_schema)
    props: dict[str, Any] = {d.name: d.schema for d in declared}
    props.update(output_schema.get("properties") or {})
    return TaskOutputs(schema={**output_schema, "properties": props}, declared=tuple(declared), open_ended=open_ended)
