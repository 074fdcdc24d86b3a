import { describe, expect, it } from "vitest";
import {
  ancestors,
  declaredMode,
  findBindings,
  fromUpstreamMode,
  getAt,
  isBinding,
  paramCandidates,
  paramSchema,
  removeItemAt,
  setAt,
  upstreamCandidates,
} from "./bindings";
import { subschemaAt } from "./typeCompat";
import { emptyWorkflow, type WorkflowDoc } from "./workflowDoc";

const inputSchema = {
  type: "object",
  properties: {
    a: { type: "integer", from_upstream: "allowed" },
    ratio: { type: "number" },
    name: { type: "string", from_upstream: "always" },
    headers: { type: "array", items: { $ref: "#/$defs/Header" } },
  },
  required: ["a"],
  $defs: { Header: { type: "object", properties: { name: { type: "string" }, value: { type: "string" } } } },
};

const outputs: Record<string, Record<string, unknown>> = {
  first: { type: "object", properties: { total: { type: "integer" }, label: { type: "string" }, maybe: { anyOf: [{ type: "integer" }, { type: "null" }] } } },
};

const doc: WorkflowDoc = {
  ...emptyWorkflow(),
  params: {
    count: { type: "integer", default: 1 },
    ratio: { type: "number", default: 0.5 },
    who: { type: "string", default: "x", enum: ["x", "y"] },
  },
  tasks: [
    { id: "first", piece: { repository: "r", version: "1", name: "A" }, depends_on: [] },
    { id: "second", piece: { repository: "r", version: "1", name: "B" }, depends_on: ["first"] },
    { id: "third", piece: { repository: "r", version: "1", name: "B" }, depends_on: ["second"] },
    { id: "other", piece: { repository: "r", version: "1", name: "A" }, depends_on: [] },
  ],
};

describe("value helpers", () => {
  it("recognises bindings", () => {
    expect(isBinding({ $param: "x" })).toBe(true);
    expect(isBinding({ $upstream: { task: "a", output: "b" } })).toBe(true);
    expect(isBinding({ param: "x" })).toBe(false);
    expect(isBinding(null)).toBe(false);
  });

  it("gets, sets and removes at any depth without mutating", () => {
    const value = { headers: [{ name: "a", value: "b" }] };
    const next = setAt(value, ["headers", 0, "value"], { $param: "who" });
    expect(getAt(next, ["headers", 0, "value"])).toEqual({ $param: "who" });
    expect(value.headers[0]!.value).toBe("b");
    expect(setAt({}, ["list", 2], 5)).toEqual({ list: [null, null, 5] });
    expect(setAt({ a: 1, b: 2 }, ["a"], undefined)).toEqual({ b: 2 });
    expect(setAt({ a: { $param: "x" } }, ["a", "k"], 1)).toEqual({ a: { k: 1 } });
    expect(removeItemAt({ l: [1, 2, 3] }, ["l"], 1)).toEqual({ l: [1, 3] });
  });

  it("finds bindings with their location", () => {
    expect(findBindings({ a: 1, h: [{ v: { $param: "p" } }] })).toEqual([{ loc: ["h", 0, "v"], binding: { $param: "p" } }]);
  });
});

describe("ancestors", () => {
  it("follows depends_on transitively and ignores cycles", () => {
    expect([...ancestors(doc.tasks, "third")].sort()).toEqual(["first", "second"]);
    expect(ancestors(doc.tasks, "other").size).toBe(0);
    const cyclic = [
      { id: "x", piece: { repository: "", version: "", name: "" }, depends_on: ["y"] },
      { id: "y", piece: { repository: "", version: "", name: "" }, depends_on: ["x"] },
    ];
    expect([...ancestors(cyclic, "x")]).toEqual(["y"]);
  });
});

describe("candidates", () => {
  it("mirrors param_json_schema", () => {
    expect(paramSchema({ type: "array", items: { type: "integer" }, minimum: null })).toEqual({ type: "array", items: { type: "integer" } });
    expect(paramSchema({ type: "string", enum: ["a"] })).toEqual({ type: "string", enum: ["a"] });
  });

  it("offers only type-compatible run parameters", () => {
    const target = subschemaAt(inputSchema, ["a"], inputSchema);
    const result = paramCandidates(doc, target, inputSchema);
    expect(result.map((c) => [c.value, c.reason === null])).toEqual([
      ["count", true],
      ["ratio", false],
      ["who", false],
    ]);
    expect(result[1]!.reason).toBe("number does not fit integer");
    const ratio = subschemaAt(inputSchema, ["ratio"], inputSchema);
    expect(paramCandidates(doc, ratio, inputSchema).filter((c) => c.reason === null).map((c) => c.value)).toEqual(["count", "ratio"]);
  });

  it("offers outputs of ancestors only, marking incompatible ones", () => {
    const target = subschemaAt(inputSchema, ["headers", 0, "value"], inputSchema);
    const result = upstreamCandidates(doc, "third", target, inputSchema, (id) => (id === "first" || id === "other" ? outputs.first : undefined));
    expect(result.map((c) => [`${c.value.task}.${c.value.output}`, c.reason === null, c.type])).toEqual([
      ["first.total", false, "integer"],
      ["first.label", true, "string"],
      ["first.maybe", false, "integer or null"],
    ]);
    expect(upstreamCandidates(doc, "other", target, inputSchema, () => outputs.first)).toEqual([]);
  });

  it("offers an optional output to an integer input, with a warning", () => {
    const target = subschemaAt(inputSchema, ["a"], inputSchema);
    const result = upstreamCandidates(doc, "third", target, inputSchema, (id) => (id === "first" ? outputs.first : undefined));
    expect(result.map((c) => [c.value.output, c.reason === null, c.warning ?? null])).toEqual([
      ["total", true, null],
      ["label", false, null],
      ["maybe", true, "the value may be null, and integer does not accept null"],
    ]);
  });

  it("reads from_upstream", () => {
    expect(declaredMode({})).toBeNull();
    expect(declaredMode({ from_upstream: "never" })).toBe("never");
    expect(fromUpstreamMode(inputSchema.properties.name)).toBe("always");
    expect(fromUpstreamMode({})).toBe("allowed");
    expect(fromUpstreamMode(null)).toBe("allowed");
  });
});
