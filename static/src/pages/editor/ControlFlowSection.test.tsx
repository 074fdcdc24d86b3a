import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { editorDoc, pieceDetail, renderInEditor } from "../../test/editorHarness";
import { ControlFlowSection } from "./ControlFlowSection";

const ADD = { repository: "demo", version: "1.0.0", name: "AddPiece" };
const ADD_DETAIL = pieceDetail(
  ADD,
  { type: "object", properties: { a: { type: "integer" }, b: { type: "integer" } } },
  { output_schema: { type: "object", properties: { total: { type: "integer" } } } },
);

const DOC: WorkflowDoc = {
  ...emptyWorkflow(),
  id: "branchy",
  name: "Branchy",
  tasks: [
    { id: "sum", piece: ADD, inputs: {} },
    { id: "big", piece: ADD, inputs: {}, depends_on: ["sum"] },
    { id: "small", piece: ADD, inputs: {}, depends_on: ["sum"] },
  ],
};

describe("ControlFlowSection", { timeout: 60_000 }, () => {
  it("names each branch target checkbox by its task and stores the rule's choice", async () => {
    renderInEditor(
      (doc) => {
        const task = doc.tasks.find((t) => t.id === "sum")!;
        return <ControlFlowSection task={task} />;
      },
      { doc: DOC, pieces: [ADD_DETAIL] },
    );
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByText("Choose which downstream tasks run (branch)"));
    // Each checkbox is named by the task it runs (inside a Field they were all named "If").
    const runs = screen.getByRole("group", { name: "Rule 1 runs" });
    expect(within(runs).getByRole("checkbox", { name: "big" })).toBeChecked();
    expect(within(runs).getByRole("checkbox", { name: "small" })).not.toBeChecked();
    const otherwise = screen.getByRole("group", { name: "Otherwise runs" });
    expect(within(otherwise).getByRole("checkbox", { name: "small" })).toBeChecked();
    await user.click(within(runs).getByText("small"));
    expect(editorDoc.latest?.tasks[0]).toMatchObject({ branch: { when: [{ then: ["big", "small"] }], else: ["small"] } });
  });
});
