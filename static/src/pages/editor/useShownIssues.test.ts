import { describe, expect, it } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { changedParts } from "./useShownIssues";

const PIECE = { repository: "demo", version: "1.0.0", name: "AddPiece" };
const base: WorkflowDoc = { ...emptyWorkflow(), id: "sums", name: "", tasks: [{ id: "add", piece: PIECE, inputs: { a: 1 } }] };

describe("changedParts (what an edit touched, so its problems may show)", () => {
  it("names the workflow fields and the task inputs an edit changed", () => {
    const next = { ...base, name: "Sums", tasks: [{ ...base.tasks[0]!, inputs: { a: 1, b: 2 }, retries: 3 }] };
    expect(changedParts(base, next).sort()).toEqual(["task:add:inputs.b", "task:add:retries", "wf:name"]);
  });

  it("touches nothing of a task just added, nor for a move on the canvas", () => {
    const added = { ...base, tasks: [...base.tasks, { id: "add_2", piece: PIECE, inputs: {} }] };
    expect(changedParts(base, added)).toEqual([]);
    expect(changedParts(base, { ...base, ui: { nodes: { add: { x: 10, y: 0 } } } })).toEqual([]);
  });
});
