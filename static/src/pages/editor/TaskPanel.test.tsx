import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { ValidationIssue } from "../../lib/validationPaths";
import { emptyWorkflow, type TaskDoc, type WorkflowDoc } from "../../lib/workflowDoc";
import { editorDoc, pieceDetail, renderInEditor } from "../../test/editorHarness";
import { stubApi } from "../workflows/testUtils";
import { TaskPanel } from "./TaskPanel";

const ADD = { repository: "demo", version: "1.0.0", name: "AddPiece" };
const ADD_DETAIL = pieceDetail(
  ADD,
  {
    type: "object",
    properties: { a: { type: "integer", description: "First number" }, b: { type: "integer" } },
    required: ["a"],
  },
  { description: "Adds **two** numbers." },
);

function workflow(tasks: TaskDoc[]): WorkflowDoc {
  return { ...emptyWorkflow(), id: "sums", name: "Sums", tasks };
}

const TWO_TASKS = workflow([
  { id: "first", piece: ADD, inputs: { a: 1 } },
  { id: "second", piece: ADD, inputs: { a: { $upstream: { task: "first", output: "total" } } }, depends_on: ["first"] },
]);

/** The panel of task `id`, re-rendered with the task as the document holds it (as the editor does). */
function renderPanel(doc: WorkflowDoc, id: string, issues: ValidationIssue[] = [], installed = true) {
  renderInEditor(
    (current) => {
      const task = current.tasks.find((t) => t.id === id);
      return task ? <TaskPanel task={task} /> : <p>no task {id}</p>;
    },
    { doc, issues, pieces: installed ? [ADD_DETAIL] : [] },
  );
}

const user = () => userEvent.setup({ delay: null });
const tasks = () => editorDoc.latest?.tasks ?? [];

// Rendering Chakra forms on a loaded machine is slow; this limits the test's run, it asserts nothing about time.
describe("TaskPanel", { timeout: 30_000 }, () => {
  beforeEach(() => {
    stubApi({ "/airflow/domino/api/v1/secrets": { status: 403, body: { detail: "Forbidden" } } });
  });

  it("shows the task's piece, its description and one field per input of the piece", () => {
    renderPanel(TWO_TASKS, "first");
    const panel = screen.getByTestId("task-panel");
    expect(within(panel).getByRole("heading", { level: 2, name: "AddPiece" })).toBeInTheDocument();
    expect(within(panel).getByText("AddPiece · demo 1.0.0")).toBeInTheDocument();
    expect(within(panel).getByText("two", { selector: "strong" })).toBeInTheDocument();
    const inputs = within(panel).getByRole("region", { name: "Inputs" });
    expect(within(inputs).getByLabelText("a", { selector: "input" })).toHaveValue("1");
    expect(within(inputs).getByLabelText("b", { selector: "input" })).toHaveValue("");
  });

  it("stores a typed input and a label in the task", async () => {
    renderPanel(TWO_TASKS, "first");
    await user().type(screen.getByLabelText("b", { selector: "input" }), "7");
    await user().type(screen.getByRole("textbox", { name: "Label" }), "Add them");
    expect(tasks()[0]).toMatchObject({ id: "first", inputs: { a: 1, b: 7 }, label: "Add them" });
    expect(screen.getByRole("heading", { level: 2, name: "Add them" })).toBeInTheDocument();
  });

  it("refuses a task id another task has, and renames dependencies and bindings with a free one", async () => {
    renderPanel(TWO_TASKS, "first");
    const id = screen.getByRole("textbox", { name: "Task id" });
    await user().clear(id);
    await user().type(id, "second");
    expect(screen.getByText(/Another task is already called `second`\. The id is kept as first\./)).toBeInTheDocument();
    await user().clear(id);
    await user().type(id, "start{Enter}");
    expect(tasks().map((t) => t.id)).toEqual(["start", "second"]);
    expect(tasks()[1]).toMatchObject({ depends_on: ["start"], inputs: { a: { $upstream: { task: "start", output: "total" } } } });
  });

  it("removes a dependency and deletes the task", async () => {
    renderPanel(TWO_TASKS, "second");
    await user().click(screen.getByRole("button", { name: "Remove dependency on first" }));
    expect(tasks()[1]?.depends_on ?? []).toEqual([]);
    expect(screen.getByText(/Nothing: connect a task's right handle/)).toBeInTheDocument();
    await user().click(screen.getByRole("button", { name: "Delete task" }));
    expect(tasks().map((t) => t.id)).toEqual(["first"]);
  });

  it("explains a whole-number setting typed wrong, and keeps a right one", async () => {
    renderPanel(TWO_TASKS, "first");
    const retries = screen.getByRole("textbox", { name: "Retries" });
    await user().type(retries, "-1");
    expect(screen.getByText("Enter a whole number of at least 0.")).toBeInTheDocument();
    expect(tasks()[0]?.retries).toBeUndefined();
    await user().clear(retries);
    await user().type(retries, "3");
    expect(screen.queryByText("Enter a whole number of at least 0.")).not.toBeInTheDocument();
    expect(tasks()[0]?.retries).toBe(3);
  });

  it("lists the server's problems that no field shows, and shows a field's own on that field", () => {
    renderPanel(TWO_TASKS, "first", [
      { path: "tasks[0].piece", message: "Piece AddPiece 1.0.0 of repository demo is not installed" },
      { path: "tasks[0].inputs.b", message: "Input b of task first must be an integer" },
    ]);
    const panel = screen.getByTestId("task-panel");
    expect(within(panel).getAllByText("Piece AddPiece 1.0.0 of repository demo is not installed")).toHaveLength(1);
    expect(within(panel).getByTestId("field-error")).toHaveTextContent("Input b of task first must be an integer");
  });

  it("says when the task's piece is not installed", () => {
    renderPanel(TWO_TASKS, "first", [], false);
    expect(screen.getByText(/Piece AddPiece 1\.0\.0 of repository demo is not installed; its inputs cannot be edited here\./)).toBeInTheDocument();
    expect(screen.getByText("Unknown.")).toBeInTheDocument();
  });
});
