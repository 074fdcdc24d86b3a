import { describe, expect, it } from "vitest";
import fixture from "./fixtures/typeCompat.json";
import { acceptsNull, describeType, incompatibility, isCompatible, nullableWarning, pyRepr, subschemaAt, type JsonSchema } from "./typeCompat";

interface Pair {
  name: string;
  source: JsonSchema;
  target: JsonSchema;
  reason: string | null;
}

describe("incompatibility mirrors type_compat.py", () => {
  it.each((fixture.pairs as Pair[]).map((p) => [p.name, p] as const))("%s", (_name, pair) => {
    expect(incompatibility(pair.source, pair.target)).toBe(pair.reason);
    expect(isCompatible(pair.source, pair.target)).toBe(pair.reason === null);
  });

  it("resolves each side against its own root", () => {
    const sourceRoot = { $defs: { Row: { type: "object", properties: { id: { type: "string" } } } } };
    const targetRoot = { $defs: { Row: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] } } };
    const source = { type: "array", items: { $ref: "#/$defs/Row" } };
    const target = { type: "array", items: { $ref: "#/$defs/Row" } };
    expect(incompatibility(source, target, { sourceRoot, targetRoot })).toBe("items: property `id`: string does not fit integer");
  });

  it("handles type lists and unresolvable refs", () => {
    expect(isCompatible({ type: "integer" }, { type: ["number", "null"] })).toBe(true);
    expect(isCompatible({ type: ["integer", "null"] }, { type: "integer" })).toBe(false);
    expect(isCompatible({ $ref: "#/$defs/Missing" }, { type: "integer" })).toBe(true);
  });

  it("terminates on recursive schemas", () => {
    const tree = {
      $defs: { Tree: { type: "object", properties: { value: { type: "integer" }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } } } },
      $ref: "#/$defs/Tree",
    };
    expect(incompatibility(tree, tree)).toBeNull();
  });
});

interface NullableCase {
  name: string;
  source: JsonSchema;
  target: JsonSchema;
  warning: string | null;
}

describe("nullableWarning mirrors type_compat.nullable_warning", () => {
  it.each((fixture.nullable as NullableCase[]).map((c) => [c.name, c] as const))("%s", (_name, item) => {
    expect(nullableWarning(item.source, item.target)).toBe(item.warning);
  });

  it("knows which schemas accept null", () => {
    expect(acceptsNull({ anyOf: [{ type: "integer" }, { type: "null" }] })).toBe(true);
    expect(acceptsNull({})).toBe(true);
    expect(acceptsNull({ type: "integer" })).toBe(false);
  });
});

describe("describeType", () => {
  it.each(fixture.describe.map((d) => [d.name, d] as const))("%s", (_name, item) => {
    expect(describeType(item.schema)).toBe(item.text);
  });
});

describe("subschemaAt", () => {
  const { root, cases } = fixture.subschema;
  it.each(cases.map((c) => [JSON.stringify(c.loc), c] as const))("%s", (_name, item) => {
    expect(subschemaAt(root, item.loc)).toEqual(item.result);
  });
});

describe("pyRepr", () => {
  it("formats like Python", () => {
    expect(pyRepr(["a", 1, true, null])).toBe("['a', 1, True, None]");
    expect(pyRepr("it's")).toBe(`"it's"`);
  });
});
