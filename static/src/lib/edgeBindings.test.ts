import { describe, expect, it } from "vitest";
import { applyEdgeBindings, defaultChoices, edgeBindingSuggestions } from "./edgeBindings";
import { emptyWorkflow, type WorkflowDoc } from "./workflowDoc";

const inputSchema = {
  type: "object",
  properties: {
    count: { type: "integer" },
    rows: { type: "array", items: { type: "object" }, from_upstream: "always" },
    title: { type: "string" },
    literal_only: { type: "integer", from_upstream: "never" },
    optional: { type: "integer" },
    flag: { type: "boolean" },
  },
  required: ["count", "rows", "title", "literal_only", "flag"],
};

const outputs: Record<string, Record<string, unknown>> = {
  up: {
    type: "object",
    properties: {
      total: { type: "integer" },
      count: { type: "integer" },
      rows: { type: "array", items: { type: "object" } },
      maybe_title: { anyOf: [{ type: "string" }, { type: "null" }] },
      name: { type: "string" },
    },
  },
  other: { type: "object", properties: { title: { type: "string" } } },
};

function docWith(inputs: Record<string, unknown>): WorkflowDoc {
  return {
    ...emptyWorkflow(),
    tasks: [
      { id: "up", piece: { repository: "r", version: "1", name: "A" } },
      { id: "other", piece: { repository: "r", version: "1", name: "C" } },
      { id: "down", piece: { repository: "r", version: "1", name: "B" }, depends_on: ["other", "up"], inputs },
    ],
  };
}

const outputSchemaOf = (id: string) => outputs[id];

describe("edgeBindingSuggestions", () => {
  it("pairs each unset required input with compatible outputs of the new upstream, same name first", () => {
    const suggestions = edgeBindingSuggestions(docWith({}), "up", "down", inputSchema, outputSchemaOf);
    expect(suggestions.map((s) => s.input)).toEqual(["count", "rows", "title"]);
    const count = suggestions[0]!;
    expect(count.options.map((o) => o.output)).toEqual(["count", "total"]);
    expect(count.inputType).toBe("integer");
    expect(suggestions[1]!.options.map((o) => o.output)).toEqual(["rows"]);
  });

  it("puts an exact fit before a nullable one and keeps the warning", () => {
    const title = edgeBindingSuggestions(docWith({}), "up", "down", inputSchema, outputSchemaOf).find((s) => s.input === "title")!;
    expect(title.options.map((o) => o.output)).toEqual(["name", "maybe_title"]);
    expect(title.options[0]!.warning).toBeNull();
    expect(title.options[1]!.warning).not.toBeNull();
  });

  it("offers only the new upstream's outputs, not other ancestors'", () => {
    const title = edgeBindingSuggestions(docWith({}), "other", "down", inputSchema, outputSchemaOf);
    expect(title).toEqual([{ input: "title", inputType: "string", options: [{ output: "title", type: "string", warning: null }] }]);
  });

  it("leaves out inputs that have a value or a binding, optional ones, never-bound ones and ones nothing fits", () => {
    const doc = docWith({ count: 3, rows: { $upstream: { task: "other", output: "x" } }, title: "" });
    const suggestions = edgeBindingSuggestions(doc, "up", "down", inputSchema, outputSchemaOf);
    // title is an empty string (nothing typed): still offered; flag (boolean) has no fitting output.
    expect(suggestions.map((s) => s.input)).toEqual(["title"]);
  });

  it("is empty while the upstream piece is not loaded or the task is unknown", () => {
    expect(edgeBindingSuggestions(docWith({}), "up", "down", inputSchema, () => undefined)).toEqual([]);
    expect(edgeBindingSuggestions(docWith({}), "up", "nope", inputSchema, outputSchemaOf)).toEqual([]);
    expect(edgeBindingSuggestions(docWith({}), "up", "down", undefined, outputSchemaOf)).toEqual([]);
  });

  it("does not offer the input a for-each fills", () => {
    const doc = docWith({});
    const down = { ...doc.tasks[2]!, for_each: { items: { $upstream: { task: "up", output: "rows" } }, input: "count" } };
    const suggestions = edgeBindingSuggestions({ ...doc, tasks: [doc.tasks[0]!, doc.tasks[1]!, down] }, "up", "down", inputSchema, outputSchemaOf);
    expect(suggestions.map((s) => s.input)).not.toContain("count");
  });
});

describe("applyEdgeBindings", () => {
  it("binds the chosen outputs and keeps other inputs", () => {
    const doc = docWith({ optional: 4 });
    const suggestions = edgeBindingSuggestions(doc, "up", "down", inputSchema, outputSchemaOf);
    const next = applyEdgeBindings(doc, "up", "down", { ...defaultChoices(suggestions), count: "total" });
    expect(next.tasks[2]!.inputs).toEqual({
      optional: 4,
      count: { $upstream: { task: "up", output: "total" } },
      rows: { $upstream: { task: "up", output: "rows" } },
      title: { $upstream: { task: "up", output: "name" } },
    });
    expect(doc.tasks[2]!.inputs).toEqual({ optional: 4 });
  });

  it("returns the same document when nothing is chosen", () => {
    const doc = docWith({});
    expect(applyEdgeBindings(doc, "up", "down", {})).toBe(doc);
  });
});
