import { describe, expect, it } from "vitest";
import type { ParamDef } from "../../api/workflowList";
import { initialValues, paramKind, serverFieldErrors, valuesToParams } from "./paramForm";

const DEFS: Record<string, ParamDef> = {
  region: { type: "string", default: "EU", enum: ["EU", "US"] },
  limit: { type: "integer", default: 5, minimum: 1, maximum: 100 },
  ratio: { type: "number" },
  dry: { type: "boolean", default: false },
  ids: { type: "array", default: [], items: { type: "integer" } },
  label: { type: "string" },
};

describe("paramKind", () => {
  it("prefers enum over the type", () => {
    expect(paramKind(DEFS.region as ParamDef)).toBe("enum");
    expect(paramKind({ type: "object" })).toBe("json");
    expect(paramKind({})).toBe("string");
  });
});

describe("initialValues", () => {
  it("starts from the defaults, or from an earlier run's values", () => {
    expect(initialValues(DEFS)).toEqual({ region: "EU", limit: "5", ratio: "", dry: false, ids: "[]", label: "" });
    expect(initialValues(DEFS, { limit: 9, dry: true, ids: [1, 2] })).toMatchObject({ limit: "9", dry: true, ids: "[\n  1,\n  2\n]" });
  });
});

describe("valuesToParams", () => {
  it("converts each field to its JSON type", () => {
    const { params, errors } = valuesToParams(DEFS, { region: "US", limit: "7", ratio: "0.5", dry: true, ids: "[1,2]", label: "x" });
    expect(errors).toEqual({});
    expect(params).toEqual({ region: "US", limit: 7, ratio: 0.5, dry: true, ids: [1, 2], label: "x" });
  });

  it("reports what it can check before sending", () => {
    const { errors } = valuesToParams(DEFS, { region: "EU", limit: "2.5", ratio: "abc", dry: false, ids: "{", label: "" });
    expect(errors).toEqual({
      limit: "Enter a whole number.",
      ratio: "Enter a number.",
      ids: "This is not valid JSON.",
      label: "A value is required.",
    });
    expect(valuesToParams(DEFS, { ...initialValues(DEFS), limit: "0", ratio: "1", label: "l" }).errors).toEqual({
      limit: "Must be at least 1.",
    });
    expect(valuesToParams({ ids: { type: "array" } }, { ids: '{"a":1}' }).errors.ids).toMatch(/JSON list/);
  });

  it("leaves an emptied optional number out so its default applies", () => {
    const { params, errors } = valuesToParams({ limit: { type: "integer", default: 5 } }, { limit: "" });
    expect(errors).toEqual({});
    expect(params).toEqual({});
  });

  it("keeps non-string enum values", () => {
    expect(valuesToParams({ n: { type: "integer", enum: [1, 2] } }, { n: "2" }).params).toEqual({ n: 2 });
  });
});

describe("serverFieldErrors", () => {
  it("maps params.<name> and conf.<name> paths to fields", () => {
    const result = serverFieldErrors(
      [
        { path: "params.region", message: "Must be one of 'EU', 'US'." },
        { path: "conf.limit", message: "Too big." },
        { path: "params.ids[0]", message: "Not an integer." },
        { path: "params.ghost", message: "Unknown parameter." },
        { path: "", message: "Paused." },
      ],
      ["region", "limit", "ids"],
    );
    expect(result.byField).toEqual({ region: "Must be one of 'EU', 'US'.", limit: "Too big.", ids: "Not an integer." });
    expect(result.other.map((e) => e.path)).toEqual(["params.ghost", ""]);
  });
});
