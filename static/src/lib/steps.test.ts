import { describe, expect, it } from "vitest";
import { addTask } from "./graph";
import { approvalChoices, approvalSchemas, placeholders, setApproval, setSubWorkflow, stepPiece, stepRef, taskKind, taskRef } from "./steps";
import { coerceDocument, emptyWorkflow, taskLabel, type WorkflowDoc } from "./workflowDoc";

const doc = (tasks: WorkflowDoc["tasks"]): WorkflowDoc => ({ ...emptyWorkflow(), id: "wf", name: "Wf", tasks });

describe("steps", () => {
  it("reads the body's {{ name }} values once each, in order", () => {
    expect(placeholders("Total {{ total }}, {{region}} and {{ total }}; not {{ 1x }}")).toEqual(["total", "region"]);
  });

  it("describes an approval like a piece: body values as inputs, the response and form fields as outputs", () => {
    const schemas = approvalSchemas({ title: "Ok?", body: "**{{ total }}**", fields: { extra: { type: "integer", title: "Extra" } } });
    expect(schemas.input_schema.required).toEqual(["total"]);
    expect(Object.keys(schemas.input_schema.properties as object)).toEqual(["total"]);
    expect(Object.keys(schemas.output_schema.properties as object)).toEqual(["chosen", "chosen_options", "approved", "responded_by", "responded_at", "extra"]);
    expect((schemas.output_schema.properties as Record<string, unknown>).extra).toEqual({ type: "integer", title: "Extra" });
  });

  it("offers Approve/Reject for an approval and the options (or OK) for an input step", () => {
    expect(approvalChoices({ title: "t" })).toEqual(["Approve", "Reject"]);
    expect(approvalChoices({ kind: "input", title: "t", options: ["A", "B"] })).toEqual(["A", "B"]);
    expect(approvalChoices({ kind: "input", title: "t" })).toEqual(["OK"]);
  });

  it("adds steps from the palette's references with their own ids", () => {
    let d = doc([]);
    d = addTask(d, stepRef("approval"), { x: 0, y: 0 }).doc;
    d = addTask(d, stepRef("approval"), { x: 0, y: 0 }).doc;
    d = addTask(d, stepRef("workflow"), { x: 0, y: 0 }).doc;
    expect(d.tasks.map((t) => [t.id, taskKind(t)])).toEqual([
      ["approval", "approval"],
      ["approval_2", "approval"],
      ["run_workflow", "workflow"],
    ]);
    expect(d.tasks.every((t) => !("piece" in t))).toBe(true);
  });

  it("opens documents with approval and sub-workflow tasks and names their nodes", () => {
    const loaded = coerceDocument({
      schema_version: 1,
      id: "wf",
      tasks: [
        { id: "ask", approval: { kind: "input", title: "Which one?" } },
        { id: "child", workflow: { id: "clean_orders" } },
      ],
    });
    expect(loaded.tasks.map(taskLabel)).toEqual(["Which one?", "Run clean_orders"]);
    expect(loaded.tasks.map((t) => taskRef(t).name)).toEqual(["Input", "Sub-workflow clean_orders"]);
    expect(() => coerceDocument({ tasks: [{ id: "x" }] })).toThrow('tasks[0] is not a task: it needs an "id" and a "piece"');
  });

  it("keeps the stored approval minimal: an approval drops options, empty settings are left out", () => {
    let d = doc([{ id: "ask", approval: { kind: "input", title: "t", options: ["A"], multiple: true } }]);
    d = setApproval(d, "ask", { kind: "approval", respondents: [], timeout_s: null, on_timeout: null });
    expect(d.tasks[0]!.approval).toEqual({ kind: "approval", title: "t" });
  });

  it("points a sub-workflow at another workflow, dropping inputs that are not its parameters", () => {
    let d = doc([{ id: "run", workflow: { id: "a" }, inputs: { x: 1, y: 2 } }]);
    d = setSubWorkflow(d, "run", { id: "b" }, ["y"]);
    expect(d.tasks[0]).toMatchObject({ workflow: { id: "b" }, inputs: { y: 2 } });
    const spec = { id: "b", name: "B", input_schema: { type: "object", properties: { y: { type: "integer" } } }, output_schema: { type: "object", properties: { "t.out": { type: "string" } } } };
    expect(stepPiece(d.tasks[0]!, (id) => (id === "b" ? spec : undefined))?.output_schema).toEqual(spec.output_schema);
    expect(stepPiece(d.tasks[0]!, () => undefined)?.input_schema).toEqual({ type: "object", properties: {} });
  });
});
