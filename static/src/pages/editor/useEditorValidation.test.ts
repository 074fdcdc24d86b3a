import { describe, expect, it } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { sameExceptUi } from "./useEditorValidation";

const base: WorkflowDoc = { ...emptyWorkflow(), id: "wf", name: "wf", ui: { nodes: { a: { x: 0, y: 0 } } } };

describe("sameExceptUi (what the live validation is keyed on)", () => {
  it("treats moving nodes or the viewport as no change, so they do not validate again", () => {
    expect(sameExceptUi(base, { ...base, ui: { nodes: { a: { x: 120, y: 40 } }, viewport: { x: 1, y: 2, zoom: 1.5 } } })).toBe(true);
  });

  it("sees any other change: a new tasks list, a renamed workflow, a part added", () => {
    expect(sameExceptUi(base, { ...base, tasks: [...base.tasks] })).toBe(false);
    expect(sameExceptUi(base, { ...base, name: "other" })).toBe(false);
    expect(sameExceptUi(base, { ...base, schedule: "@daily" })).toBe(false);
  });
});
