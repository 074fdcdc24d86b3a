"""Can a value of JSON schema A always be used where JSON schema B is expected?

The editor lets a user connect an upstream output (or a run parameter) to an input only when
this module says yes, and saving re-checks with the same rules, so the GUI mirrors them
exactly. Schemas are the ones Pydantic's ``model_json_schema()`` produces (``$ref``/``$defs``,
``anyOf`` for ``Optional``/unions, ``allOf`` wrappers, ``enum``/``const``, ``prefixItems`` for
tuples), each resolved against its own root document.

Rules (source = the value offered, target = the input that receives it):

1. **Unknown is trusted.** An unconstrained schema (``{}``, ``Any``) on either side is
   compatible; the piece runtime validates the actual value.
2. **Unions.** A source union is compatible only if *every* branch is (``int | None`` into
   ``int`` is refused: it may be null). A target union accepts a source that fits *any* branch
   (``int`` into ``int | None`` is fine).
3. **Scalars.** Same JSON type is compatible; ``integer`` → ``number`` is compatible (widening);
   everything else is not: ``number`` → ``integer`` (may have a fraction), ``boolean`` →
   ``integer``, anything → ``string`` (no implicit string conversion), ``null`` only → ``null``.
4. **Enums and constants.** If both sides list allowed values, the source's must be a subset of
   the target's. A target enum fed by a plain value of the same type is compatible (the value is
   checked at run time). Other value constraints (``minimum``, ``maxLength``, ``pattern``,
   ``format``...) are run-time checks and are ignored here.
5. **Arrays** compare item schemas with these same rules. Tuples (``prefixItems``) compare
   position by position; a tuple fits a list whose item type accepts every position; a list
   of unknown length never fits a tuple.
6. **Objects.** When the source declares ``properties`` (a Pydantic model), every property the
   target *requires* must be declared by the source (declared fields are always serialised, so
   source ``required`` does not matter; ``Optional`` fields are caught by rule 2); properties
   present on both sides are compared recursively; source properties the target does not know
   are refused only when the target sets ``additionalProperties: false``, and are compared to
   the target's ``additionalProperties`` schema when it has one. A source *dictionary*
   (``dict[str, X]``: ``additionalProperties`` schema, no properties) fits a target dictionary
   whose value type accepts ``X``, and never fits a target with required properties. A source
   free-form object (``dict``) fits any object target (rule 1).
7. Recursive schemas are compared coinductively (a pair already being compared is assumed
   compatible), so self-referencing models terminate.
8. **Nullable sources.** A source that fits the target except that *the whole value* may be null
   (``int | None`` into ``int``) is not an incompatibility for the validator: it saves with a
   warning (:func:`nullable_warning`) and a null at run time fails the receiving task. Null
   deeper inside (``list[int | None]`` into ``list[int]``) stays an incompatibility.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

JsonSchema = Mapping[str, Any]


def resolve_ref(schema: Any, root: JsonSchema) -> JsonSchema:
    """Follow local ``$ref`` chains (``#/$defs/X``); unknown or remote refs become ``{}``."""
    seen: set[str] = set()
    current: Any = schema
    while isinstance(current, Mapping) and isinstance(current.get("$ref"), str):
        ref = current["$ref"]
        if ref in seen or not ref.startswith("#"):
            return {}
        seen.add(ref)
        target: Any = root
        for raw in ref[1:].split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(target, Mapping) and part in target:
                target = target[part]
            else:
                return {}
        siblings = {k: v for k, v in current.items() if k != "$ref"}
        current = {**target, **siblings} if isinstance(target, Mapping) else {}
    if current is True or current is None:
        return {}
    if current is False:
        return {"not": {}}
    return current if isinstance(current, Mapping) else {}


def normalise_schema(schema: Any, root: JsonSchema) -> JsonSchema:
    """Resolve ``$ref`` and fold ``allOf`` wrappers (Pydantic emits ``allOf: [{$ref}]``)."""
    current = resolve_ref(schema, root)
    for _ in range(10):
        all_of = current.get("allOf")
        if not isinstance(all_of, list):
            break
        merged: dict[str, Any] = {k: v for k, v in current.items() if k != "allOf"}
        for part in all_of:
            part_schema = resolve_ref(part, root)
            for key, value in part_schema.items():
                if key == "required" and "required" in merged:
                    merged["required"] = [*merged["required"], *value]
                elif key == "properties" and "properties" in merged:
                    merged["properties"] = {**merged["properties"], **value}
                else:
                    merged.setdefault(key, value)
        current = merged
    return current


def branches(schema: Any, root: JsonSchema) -> list[JsonSchema] | None:
    """The alternatives of a union schema (``anyOf``/``oneOf``/type list), flattened; else None."""
    node = normalise_schema(schema, root)
    for key in ("anyOf", "oneOf"):
        alternatives = node.get(key)
        if isinstance(alternatives, list) and alternatives:
            rest = {k: v for k, v in node.items() if k not in (key, "discriminator")}
            out: list[JsonSchema] = []
            for alternative in alternatives:
                merged = {**rest, **normalise_schema(alternative, root)}
                out.extend(branches(merged, root) or [merged])
            return out
    kinds = node.get("type")
    if isinstance(kinds, list):
        return [{**node, "type": kind} for kind in kinds]
    return None


def json_type_of(value: Any) -> str:
    """The JSON type name of a Python value decoded from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _allowed_values(node: JsonSchema) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    enum = node.get("enum")
    return list(enum) if isinstance(enum, list) else None


def base_type(schema: Any, root: JsonSchema) -> str | None:
    """The single JSON type of a non-union schema, ``None`` when unconstrained or a union."""
    node = normalise_schema(schema, root)
    kind = node.get("type")
    if isinstance(kind, str):
        return kind
    values = _allowed_values(node)
    if values:
        # A whole number written as 1.0 in an enum or const counts as an integer.
        kinds = {"integer" if isinstance(v, float) and v.is_integer() else json_type_of(v) for v in values}
        if kinds <= {"integer", "number"} and len(kinds) == 2:
            return "number"
        return kinds.pop() if len(kinds) == 1 else None
    if any(k in node for k in ("properties", "additionalProperties", "required", "patternProperties")):
        return "object"
    if any(k in node for k in ("items", "prefixItems")):
        return "array"
    return None


def is_unconstrained(schema: Any, root: JsonSchema) -> bool:
    """True for schemas that accept any value (``{}``, ``true``, only annotations)."""
    node = normalise_schema(schema, root)
    return branches(node, root) is None and base_type(node, root) is None and "not" not in node


def describe_type(schema: Any, root: JsonSchema | None = None, *, depth: int = 2) -> str:
    """A short English name of a schema's type: ``array of integer``, ``string or null``..."""
    root = root if root is not None else schema
    node = normalise_schema(schema, root)
    alternatives = branches(node, root)
    if alternatives is not None:
        names: list[str] = []
        for alternative in alternatives:
            name = describe_type(alternative, root, depth=depth)
            if name not in names:
                names.append(name)
        if "null" in names and len(names) > 1:
            names = [n for n in names if n != "null"] + ["null"]
        return " or ".join(names)
    values = _allowed_values(node)
    if values is not None:
        shown = ", ".join(repr(v) for v in values[:6]) + (", ..." if len(values) > 6 else "")
        return f"one of {shown}" if len(values) != 1 else f"the constant {shown}"
    kind = base_type(node, root)
    if kind is None:
        return "any value"
    if kind == "array":
        if depth <= 0:
            return "array"
        prefix = node.get("prefixItems")
        if isinstance(prefix, list):
            return "array [" + ", ".join(describe_type(p, root, depth=depth - 1) for p in prefix) + "]"
        items = node.get("items")
        if items is None or is_unconstrained(items, root):
            return "array"
        return f"array of {_grouped(describe_type(items, root, depth=depth - 1))}"
    if kind == "object":
        props = node.get("properties")
        if isinstance(props, Mapping) and props:
            title = node.get("title")
            if isinstance(title, str) and title:
                return f"object {title}"
            return "object {" + ", ".join(list(props)[:6]) + (", ..." if len(props) > 6 else "") + "}"
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and not is_unconstrained(extra, root) and depth > 0:
            return f"object of {_grouped(describe_type(extra, root, depth=depth - 1))}"
        return "object"
    return kind


def _grouped(text: str) -> str:
    return f"({text})" if " or " in text else text


def incompatibility(
    source: Any,
    target: Any,
    *,
    source_root: JsonSchema | None = None,
    target_root: JsonSchema | None = None,
) -> str | None:
    """Why a ``source`` value may not fit ``target``, or ``None`` when it always does.

    Each schema is resolved against its own root (default: itself), since an upstream output
    and an input come from different pieces with different ``$defs``.
    """
    checker = _Checker(
        source_root if source_root is not None else source,
        target_root if target_root is not None else target,
    )
    return checker.check(source, target)


def is_compatible(
    source: Any,
    target: Any,
    *,
    source_root: JsonSchema | None = None,
    target_root: JsonSchema | None = None,
) -> bool:
    """``True`` when every value of ``source`` is acceptable to ``target`` (see module rules)."""
    return incompatibility(source, target, source_root=source_root, target_root=target_root) is None


def accepts_null(schema: Any, root: JsonSchema | None = None) -> bool:
    """True when ``null`` is a valid value of ``schema`` (unconstrained schemas accept it)."""
    return incompatibility({"type": "null"}, schema, target_root=root if root is not None else schema) is None


def nullable_warning(
    source: Any,
    target: Any,
    *,
    source_root: JsonSchema | None = None,
    target_root: JsonSchema | None = None,
) -> str | None:
    """The warning for a ``source`` that fits ``target`` only when it is not null (rule 8), else None.

    ``None`` also when ``source`` is incompatible for another reason, or compatible outright.
    """
    s_root = source_root if source_root is not None else source
    t_root = target_root if target_root is not None else target
    alternatives = branches(source, s_root)
    if alternatives is None or accepts_null(target, t_root):
        return None
    non_null = [b for b in alternatives if base_type(b, s_root) != "null"]
    if len(non_null) == len(alternatives) or not non_null:
        return None
    rest: JsonSchema = non_null[0] if len(non_null) == 1 else {"anyOf": non_null}
    if incompatibility(rest, target, source_root=s_root, target_root=t_root) is not None:
        return None
    return f"the value may be null, and {describe_type(target, t_root)} does not accept null"


def subschema_at(schema: Any, loc: Sequence[str | int], root: JsonSchema | None = None) -> JsonSchema | None:
    """The schema that applies at ``loc`` inside a value of ``schema``; ``None`` if no such place.

    Used to find what type a binding nested inside a literal must produce; unions are kept as
    ``anyOf`` of the branches where the location exists.
    """
    root = root if root is not None else schema
    node = normalise_schema(schema, root)
    if not loc:
        return node
    alternatives = branches(node, root)
    if alternatives is not None:
        found = [s for s in (subschema_at(b, loc, root) for b in alternatives) if s is not None]
        if not found:
            return None
        return found[0] if len(found) == 1 else {"anyOf": found}
    head, rest = loc[0], loc[1:]
    kind = base_type(node, root)
    if kind is None:
        return {}
    if isinstance(head, int):
        if kind != "array":
            return None
        prefix = node.get("prefixItems")
        if isinstance(prefix, list):
            if head < len(prefix):
                return subschema_at(prefix[head], rest, root)
            child = node.get("items", False)
        else:
            child = node.get("items", {})
        return None if child is False else subschema_at(child, rest, root)
    if kind != "object":
        return None
    props = node.get("properties") or {}
    if head in props:
        return subschema_at(props[head], rest, root)
    extra = node.get("additionalProperties", {})
    if extra is False:
        return None
    return subschema_at(extra, rest, root)


class _Checker:
    def __init__(self, source_root: JsonSchema, target_root: JsonSchema) -> None:
        self.source_root = source_root
        self.target_root = target_root
        self.in_progress: set[tuple[str, str]] = set()

    def check(self, source: Any, target: Any) -> str | None:
        key = (_ref_of(source), _ref_of(target))
        if key[0] and key[1]:
            if key in self.in_progress:
                return None
            self.in_progress.add(key)
        try:
            return self._check(normalise_schema(source, self.source_root), normalise_schema(target, self.target_root))
        finally:
            self.in_progress.discard(key)

    def _describe_s(self, schema: Any) -> str:
        return describe_type(schema, self.source_root)

    def _describe_t(self, schema: Any) -> str:
        return describe_type(schema, self.target_root)

    def _check(self, source: JsonSchema, target: JsonSchema) -> str | None:
        if is_unconstrained(target, self.target_root) or is_unconstrained(source, self.source_root):
            return None
        source_branches = branches(source, self.source_root)
        if source_branches is not None:
            for branch in source_branches:
                reason = self.check(branch, target)
                if reason is not None:
                    if base_type(branch, self.source_root) == "null":
                        return f"the value may be null, but {self._describe_t(target)} does not accept null"
                    return reason
            return None
        target_branches = branches(target, self.target_root)
        if target_branches is not None:
            reasons = [self.check(source, branch) for branch in target_branches]
            if any(reason is None for reason in reasons):
                return None
            kind = base_type(source, self.source_root)
            same_kind = [
                reason
                for branch, reason in zip(target_branches, reasons, strict=True)
                if base_type(branch, self.target_root) == kind
            ]
            if len(same_kind) == 1 and same_kind[0] is not None:
                return same_kind[0]
            return f"{self._describe_s(source)} does not fit {self._describe_t(target)}"
        return self._check_single(source, target)

    def _check_single(self, source: JsonSchema, target: JsonSchema) -> str | None:
        source_kind = base_type(source, self.source_root)
        target_kind = base_type(target, self.target_root)
        if source_kind is None or target_kind is None:
            return None
        mismatch = f"{self._describe_s(source)} does not fit {self._describe_t(target)}"
        if source_kind != target_kind and not (source_kind == "integer" and target_kind == "number"):
            return mismatch
        target_values = _allowed_values(target)
        source_values = _allowed_values(source)
        if target_values is not None and source_values is not None:
            extra = [v for v in source_values if v not in target_values]
            if extra:
                return f"value(s) {', '.join(repr(v) for v in extra)} are not among the allowed {target_values!r}"
        if source_kind == "array":
            return self._check_array(source, target)
        if source_kind == "object":
            return self._check_object(source, target)
        return None

    def _check_array(self, source: JsonSchema, target: JsonSchema) -> str | None:
        source_prefix = source.get("prefixItems")
        target_prefix = target.get("prefixItems")
        if isinstance(target_prefix, list):
            if not isinstance(source_prefix, list):
                return f"a list of any length does not fit the fixed-length {self._describe_t(target)}"
            if len(source_prefix) != len(target_prefix):
                return f"a list of {len(source_prefix)} item(s) does not fit one of {len(target_prefix)}"
            for index, (s_item, t_item) in enumerate(zip(source_prefix, target_prefix, strict=True)):
                reason = self.check(s_item, t_item)
                if reason:
                    return f"item {index}: {reason}"
            return None
        target_items = target.get("items", {})
        if isinstance(source_prefix, list):
            for index, s_item in enumerate(source_prefix):
                reason = self.check(s_item, target_items)
                if reason:
                    return f"item {index}: {reason}"
            return None
        reason = self.check(source.get("items", {}), target_items)
        return f"items: {reason}" if reason else None

    def _check_object(self, source: JsonSchema, target: JsonSchema) -> str | None:
        source_props: Mapping[str, Any] = source.get("properties") or {}
        target_props: Mapping[str, Any] = target.get("properties") or {}
        target_required = [name for name in target.get("required") or [] if isinstance(name, str)]
        target_extra = target.get("additionalProperties", True)
        source_extra = source.get("additionalProperties", True)
        if not source_props:
            if not isinstance(source_extra, Mapping) or is_unconstrained(source_extra, self.source_root):
                return None  # free-form dict: shape unknown, checked at run time
            if target_required:
                return f"a dictionary may lack required property `{target_required[0]}`"
            if isinstance(target_extra, Mapping):
                reason = self.check(source_extra, target_extra)
                if reason:
                    return f"values: {reason}"
            for name, prop in target_props.items():
                reason = self.check(source_extra, prop)
                if reason:
                    return f"property `{name}`: {reason}"
            return None
        for name in target_required:
            if name not in source_props:
                return f"required property `{name}` is missing"
        for name, prop in source_props.items():
            if name in target_props:
                reason = self.check(prop, target_props[name])
            elif target_extra is False:
                reason = "is not accepted by the input (no extra properties allowed)"
            elif isinstance(target_extra, Mapping):
                reason = self.check(prop, target_extra)
            else:
                reason = None
            if reason:
                return f"property `{name}`: {reason}"
        return None


def _ref_of(schema: Any) -> str:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"])
    return ""
