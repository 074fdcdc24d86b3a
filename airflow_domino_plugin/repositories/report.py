"""What changes for workflows when moving from one version of a repository to another."""

from __future__ import annotations

from typing import Any


def _fields(schema: dict[str, Any]) -> dict[str, str]:
    """Field name -> a short type description, resolving ``$ref`` and ``Optional`` one level deep."""
    defs = schema.get("$defs", {})
    out: dict[str, str] = {}
    for name, prop in (schema.get("properties") or {}).items():
        out[name] = _type_of(prop, defs)
    return out


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
        if "enum" in target:
            return f"enum{sorted(map(str, target['enum']))}"
        return f"object({','.join(sorted((target.get('properties') or {}).keys()))})"
    if "anyOf" in prop:
        return "|".join(sorted(_type_of(p, defs) for p in prop["anyOf"]))
    kind = str(prop.get("type", "any"))
    if kind == "array":
        return f"array[{_type_of(prop.get('items') or {}, defs)}]"
    if "enum" in prop:
        return f"enum{sorted(map(str, prop['enum']))}"
    return kind


def _compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before, after = _fields(old), _fields(new)
    required_before, required_after = set(old.get("required") or []), set(new.get("required") or [])
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "retyped": [
            {"name": n, "from": before[n], "to": after[n]}
            for n in sorted(set(before) & set(after))
            if before[n] != after[n]
        ],
        "newly_required": sorted((required_after - required_before) & set(after)),
    }


def upgrade_report(old_pieces: dict[str, dict[str, Any]], new_pieces: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``*_pieces`` map piece name -> {"input_schema", "output_schema", "secrets_schema"}."""
    changed: list[dict[str, Any]] = []
    for name in sorted(set(old_pieces) & set(new_pieces)):
        entry: dict[str, Any] = {
            "piece": name,
            "inputs": _compare(old_pieces[name].get("input_schema") or {}, new_pieces[name].get("input_schema") or {}),
            "outputs": _compare(
                old_pieces[name].get("output_schema") or {}, new_pieces[name].get("output_schema") or {}
            ),
            "secrets": _compare(
                old_pieces[name].get("secrets_schema") or {}, new_pieces[name].get("secrets_schema") or {}
            ),
        }
        if any(any(part.values()) for part in (entry["inputs"], entry["outputs"], entry["secrets"])):
            changed.append(entry)
    breaking = any(
        c["inputs"]["removed"] or c["inputs"]["retyped"] or c["inputs"]["newly_required"]
        or c["outputs"]["removed"] or c["outputs"]["retyped"]
        for c in changed
    )  # fmt: skip
    removed = sorted(set(old_pieces) - set(new_pieces))
    return {
        "pieces_added": sorted(set(new_pieces) - set(old_pieces)),
        "pieces_removed": removed,
        "pieces_changed": changed,
        "breaking": breaking or bool(removed),
    }
