import { describe, expect, it } from "vitest";
import {
  branchEdgeLabels,
  branchValueOptions,
  defaultBranch,
  defaultForEach,
  directDownstreams,
  flowOutputSchema,
  forEachOptions,
  mappedOutputSchema,
  nodeFlowBadges,
  operandText,
  parseOperand,
  renameFlowRefs,
  setForEach,
  setTriggerRule,
  triggerRuleWords,
  withOp,
  type FlowTask,
} from "./flowForm";
import { emptyWorkflow, type WorkflowDoc } from "./workflowDoc";

const piece = (name: string) => ({ repository: "r", version: "1", name });

const addInputs = {
  type: "object",
  properties: { a: { type: "integer" }, b: { type: "integer" }, label: { type: "string" } },
  required: ["a"],
};

const outputs: Record<string, Record<string, unknown>> = {
  numbers: {
    type: "object",
    properties: {
      values: { type: "array", items: { type: "integer" } },
      names: { type: "array", items: { type: "string" } },
      rows: { type: "array", items: { type: "object" } },
      total: { type: "integer" },
    },
  },
  far: { type: "object", properties: { ids: { type: "array", items: { type: "integer" } } } },
  add: { type: "object", properties: { total: { type: "integer" } } },
};
const outputSchemaOf = (id: string) => outputs[id];

function doc(): WorkflowDoc {
  return {
    ...emptyWorkflow(),
    params: { region: { type: "string", default: "eu" } },
    tasks: [
      { id: "far", piece: piece("Far") },
      { id: "numbers", piece: piece("Collect"), depends_on: ["far"] },
      { id: "add", piece: piece("Add"), depends_on: ["numbers"], inputs: { a: 1, b: 10 } },
      { id: "big", piece: piece("Add"), depends_on: ["add"] },
      { id: "small", piece: piece("Add"), inputs: { a: { $upstream: { task: "add", output: "total" } } } },
      { id: "unrelated", piece: piece("Add") },
    ],
  };
}

describe("for-each choices", () => {
  it("offers only ancestors' list outputs whose items fit an input, with the inputs they fit", () => {
    const options = forEachOptions(doc(), "add", addInputs, outputSchemaOf);
    expect(options.map((o) => [o.task, o.output, o.inputs])).toEqual([
      ["far", "ids", ["a", "b"]],
      ["numbers", "values", ["a", "b"]],
      ["numbers", "names", ["label"]],
    ]);
    expect(options[1]!.text).toBe("numbers → values (array of integer)");
    // `rows` (objects) fits no input, `total` is not a list; a task with no ancestors gets nothing.
    expect(forEachOptions(doc(), "far", addInputs, outputSchemaOf)).toEqual([]);
  });

  it("turning it on picks the first list and input, and the input's own value goes", () => {
    const each = defaultForEach(forEachOptions(doc(), "add", addInputs, outputSchemaOf))!;
    expect(each).toEqual({ items: { $upstream: { task: "far", output: "ids" } }, input: "a" });
    const next = setForEach(doc(), "add", { ...each, max_parallel: null });
    const task = next.tasks.find((t) => t.id === "add") as FlowTask;
    expect(task.for_each).toEqual(each); // no max_parallel key: no limit
    expect(task.inputs).toEqual({ b: 10 });
    const off = setForEach(next, "add", null).tasks.find((t) => t.id === "add") as FlowTask;
    expect("for_each" in off).toBe(false);
    expect(defaultForEach([])).toBeNull();
  });

  it("types a for-each task's outputs as lists for the tasks after it", () => {
    expect(mappedOutputSchema(outputs.add!)).toEqual({
      type: "object",
      properties: { total: { type: "array", items: { type: "integer" } } },
      required: ["total"],
    });
    const schemas = { input_schema: addInputs, output_schema: outputs.add!, secrets_schema: {} };
    const mapped = { id: "add", piece: piece("Add"), for_each: { items: { $upstream: { task: "numbers", output: "values" } }, input: "a" } };
    expect((flowOutputSchema(schemas, mapped).properties as Record<string, unknown>).total).toEqual({ type: "array", items: { type: "integer" } });
    expect(flowOutputSchema(schemas, { id: "add", piece: piece("Add") })).toBe(outputs.add);
  });
});

describe("branch choices", () => {
  it("targets are the direct downstream tasks: depending on it or binding its outputs", () => {
    expect(directDownstreams(doc(), "add")).toEqual(["big", "small"]);
    expect(directDownstreams(doc(), "unrelated")).toEqual([]);
  });

  it("values are the task's own outputs, its ancestors' and the run parameters", () => {
    const values = branchValueOptions(doc(), "add", outputSchemaOf);
    expect(values.map((v) => v.text)).toEqual([
      "this task (add) → total (integer)",
      "far → ids (array of integer)",
      "numbers → values (array of integer)",
      "numbers → names (array of string)",
      "numbers → rows (array of object)",
      "numbers → total (integer)",
      "run parameter region (string)",
    ]);
    expect(values[0]!.value).toEqual({ $upstream: { task: "add", output: "total" } });
    expect(values.at(-1)!.value).toEqual({ $param: "region" });
  });

  it("a first rule runs the first downstream task when the first value holds, the others otherwise", () => {
    const branch = defaultBranch(branchValueOptions(doc(), "add", outputSchemaOf), ["big", "small"]);
    expect(branch).toEqual({ when: [{ value: { $upstream: { task: "add", output: "total" } }, op: "truthy", then: ["big"] }], else: ["small"] });
    expect(defaultBranch([], ["big"])).toBeNull();
  });

  it("reads operands as typed: numbers and JSON as such, other text as strings, lists split on commas", () => {
    expect(parseOperand("gt", "3")).toBe(3);
    expect(parseOperand("eq", "true")).toBe(true);
    expect(parseOperand("eq", "eu-west")).toBe("eu-west");
    expect(parseOperand("eq", '"3"')).toBe("3");
    expect(parseOperand("in", "1, 2, eu")).toEqual([1, 2, "eu"]);
    expect(parseOperand("in", "[1, 2]")).toEqual([1, 2]);
    expect(parseOperand("truthy", "x")).toBeUndefined();
    for (const [op, value] of [["gt", 3], ["eq", "eu-west"], ["eq", "3"], ["in", [1, "eu", "a,b"]], ["eq", true]] as const) {
      expect(parseOperand(op, operandText(op, value))).toEqual(value);
    }
  });

  it("changing the comparison keeps the operand when it still fits", () => {
    const rule = { value: { $param: "x" }, op: "gt", operand: 3, then: ["big"] };
    expect(withOp(rule, "truthy")).toEqual({ value: { $param: "x" }, op: "truthy", then: ["big"] });
    expect(withOp(rule, "in").operand).toEqual([3]);
    expect(withOp({ ...rule, op: "in", operand: [1, 2] }, "eq").operand).toBe(1);
    expect(withOp({ value: { $param: "x" }, op: "truthy", then: [] }, "eq").operand).toBe("");
  });

  it("labels a branch task's edges with their rule and names the node's kind", () => {
    const task: FlowTask = {
      id: "add",
      piece: piece("Add"),
      trigger_rule: "none_failed_min_one_success",
      branch: {
        when: [
          { value: { $upstream: { task: "add", output: "total" } }, op: "gt", operand: 3, then: ["big"] },
          { value: { $param: "region" }, op: "in", operand: ["eu", "us"], then: ["big", "small"] },
        ],
        else: ["small"],
      },
    };
    expect([...branchEdgeLabels(task)]).toEqual([
      ["big", "if total > 3 / if region is one of eu, us"],
      ["small", "if region is one of eu, us / else"],
    ]);
    expect(nodeFlowBadges(task).map((b) => b.kind)).toEqual(["branch", "trigger"]);
    expect(nodeFlowBadges({ id: "x", piece: piece("Add") })).toEqual([]);
  });
});

describe("trigger rules and renames", () => {
  it("stores only a non-default trigger rule and says each in words", () => {
    const joined = setTriggerRule(doc(), "big", "none_failed_min_one_success");
    expect((joined.tasks.find((t) => t.id === "big") as FlowTask).trigger_rule).toBe("none_failed_min_one_success");
    expect("trigger_rule" in setTriggerRule(joined, "big", "all_success").tasks.find((t) => t.id === "big")!).toBe(false);
    expect(triggerRuleWords(undefined)).toBe("All upstream tasks succeeded (default)");
    expect(triggerRuleWords("one_success")).toBe("Any upstream task succeeded");
  });

  it("renaming a task updates for-each lists, branch values and targets", () => {
    const task: FlowTask = {
      id: "route",
      piece: piece("Add"),
      for_each: { items: { $upstream: { task: "numbers", output: "values" } }, input: "a" },
      branch: { when: [{ value: { $upstream: { task: "numbers", output: "total" } }, op: "truthy", then: ["numbers", "x"] }], else: ["numbers"] },
    };
    const renamed = renameFlowRefs(task, "numbers", "nums") as FlowTask;
    expect(renamed.for_each!.items.$upstream.task).toBe("nums");
    expect(renamed.branch!.when[0]).toEqual({ value: { $upstream: { task: "nums", output: "total" } }, op: "truthy", then: ["nums", "x"] });
    expect(renamed.branch!.else).toEqual(["nums"]);
  });
});
