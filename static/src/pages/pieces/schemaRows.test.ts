import { describe, expect, it } from "vitest";
import { describeType, schemaRows } from "./schemaRows";

const INPUT = {
  title: "InputModel",
  type: "object",
  properties: {
    a: { type: "integer", description: "First number.", from_upstream: "allowed" },
    b: { type: "integer", default: 0, description: "Second number." },
    items: { type: "array", items: { type: "string" }, default: ["first"] },
    method: { $ref: "#/$defs/Method", default: "GET" },
    note: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
  },
  required: ["a"],
  $defs: { Method: { enum: ["GET", "POST"], type: "string", title: "Method" } },
};

describe("schemaRows", () => {
  it("lists fields with types, defaults and required flags", () => {
    const rows = schemaRows(INPUT);
    expect(rows.map((r) => [r.name, r.type, r.required, r.default])).toEqual([
      ["a", "integer", true, null],
      ["b", "integer", false, "0"],
      ["items", "list of string", false, '["first"]'],
      ["method", 'enum: "GET", "POST"', false, '"GET"'],
      ["note", "string | null", false, "null"],
    ]);
    expect(rows[0]?.fromUpstream).toBe("allowed");
    expect(rows[0]?.description).toBe("First number.");
  });

  it("copes with empty or missing schemas", () => {
    expect(schemaRows({})).toEqual([]);
    expect(schemaRows(null)).toEqual([]);
  });
});

describe("describeType", () => {
  it("names referenced objects", () => {
    expect(describeType({ $ref: "#/$defs/Header" }, { $defs: { Header: { type: "object", properties: {} } } })).toBe("object (Header)");
    expect(describeType({ type: "string", format: "date-time" })).toBe("string (date-time)");
    expect(describeType({})).toBe("any");
  });
});
