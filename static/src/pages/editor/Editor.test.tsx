import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ReactFlowProvider } from "@xyflow/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PieceSummary } from "../../api/pieces";
import type { ValidationIssue } from "../../lib/validationPaths";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { pieceDetail } from "../../test/editorHarness";
import { mockReactFlowBrowser } from "../../test/reactFlow";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { Editor } from "./Editor";

const API = "/airflow/domino/api/v1";
const ADD = { repository: "demo", version: "1.0.0", name: "AddPiece" };
const ADD_DETAIL = pieceDetail(ADD, { type: "object", properties: { a: { type: "integer" }, b: { type: "integer" } }, required: ["a"] });
const CATALOG: PieceSummary[] = [{ id: 1, name: ADD.name, description: "", repository_id: 1, repository: ADD.repository, version: ADD.version, tags: [], style: {} }];

/** What the server's validator says, in words, for the few rules these tests need. */
function validate(doc: WorkflowDoc): ValidationIssue[] {
  const errors: ValidationIssue[] = [];
  if (!doc.name) errors.push({ path: "name", message: "The workflow needs a name" });
  doc.tasks.forEach((t, i) => {
    if (t.inputs?.a === undefined) errors.push({ path: `tasks[${i}].inputs.a`, message: `Input a of task ${t.id} needs a value` });
  });
  return errors;
}

const sent: { method: string; body: unknown }[] = [];

function stubServer() {
  sent.length = 0;
  return stubApi({
    [`${API}/info`]: { status: 200, body: INFO },
    [`${API}/pieces/1`]: { status: 200, body: ADD_DETAIL },
    [`${API}/secrets`]: { status: 403, body: { detail: "Forbidden" } },
    [`POST ${API}/workflows/validate`]: (init) => {
      const errors = validate(JSON.parse(init?.body as string) as WorkflowDoc);
      return { status: 200, body: { valid: errors.length === 0, errors, warnings: [] } };
    },
    [`POST ${API}/workflows`]: (init) => {
      const body = JSON.parse(init?.body as string) as { document: WorkflowDoc; draft: boolean };
      sent.push({ method: "POST", body });
      const revision = { id: 1, number: 1, created_at: "2026-12-03T10:00:00Z", author: "admin", message: "", draft: body.draft };
      return { status: 201, body: { id: body.document.id, name: body.document.name, document: body.document, revision, deployed_revision: body.draft ? null : revision } };
    },
  });
}

function renderEditor(doc: WorkflowDoc = { ...emptyWorkflow(), id: "sums", name: "Sums" }, workflowId: string | null = null) {
  const onCreated = vi.fn();
  renderPage(
    "/workflows/new",
    <ReactFlowProvider>
      <Editor initialDoc={doc} initialSession={{ workflowId, baseRevision: null, savedDoc: doc }} catalog={CATALOG} readOnly={false} onCreated={onCreated} />
    </ReactFlowProvider>,
    "/workflows/new",
  );
  return onCreated;
}

const user = () => userEvent.setup({ delay: null });
const canvas = () => screen.getByTestId("editor-canvas");
const tab = (name: RegExp | string) => screen.getByRole("tab", { name });
// The live validation waits 600 ms after the last change; a slow machine needs longer than findBy's default 1 s.
const WAIT = { timeout: 10_000 };

// Rendering the whole editor (Chakra, React Flow) on a loaded machine is slow: a limit on the test's run, not an assertion.
describe("Editor", { timeout: 60_000 }, () => {
  beforeEach(() => {
    mockReactFlowBrowser();
    vi.stubGlobal("innerWidth", 1280); // the palette and the details panel start open from this width
    stubServer();
  });

  it("adds a task from the palette, shows it on the canvas and opens its form", async () => {
    renderEditor();
    await user().click(screen.getByRole("button", { name: "Add AddPiece to the workflow" }));
    expect(await within(canvas()).findByTestId("task-node-add")).toHaveTextContent("add · AddPiece");
    expect(tab("Task")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("task-panel")).toHaveTextContent("AddPiece · demo 1.0.0");
    expect(screen.getByText("Unsaved changes", { exact: true })).toBeInTheDocument();
  });

  it("selects a task clicked on the canvas and deletes it with the Delete key; Undo brings it back", async () => {
    const doc: WorkflowDoc = {
      ...emptyWorkflow(),
      id: "sums",
      name: "Sums",
      tasks: [
        { id: "first", piece: ADD, inputs: { a: 1 } },
        { id: "second", piece: ADD, inputs: { a: 2 } },
      ],
      ui: { nodes: { first: { x: 0, y: 0 }, second: { x: 300, y: 0 } } },
    };
    renderEditor(doc);
    // A click, not a pointer press: React Flow's drag handling needs a window on the event that jsdom does not give.
    fireEvent.click(await within(canvas()).findByText("second · AddPiece"));
    expect(await screen.findByRole("textbox", { name: "Task id" })).toHaveValue("second");
    expect(within(canvas()).getByTestId("task-node-second")).toHaveAttribute("data-selected", "true");
    fireEvent.keyDown(window, { key: "Delete" });
    await waitFor(() => expect(within(canvas()).queryByTestId("task-node-second")).not.toBeInTheDocument());
    expect(screen.getByText("Select a task on the canvas to edit it.")).toBeInTheDocument();
    await user().click(screen.getByRole("button", { name: "Undo (Ctrl+Z)" }));
    expect(await within(canvas()).findByTestId("task-node-second")).toBeInTheDocument();
  });

  it("keeps a new task's form quiet until it is touched; a Problems entry shows the problem on its field and focuses it", async () => {
    renderEditor();
    await user().click(screen.getByRole("button", { name: "Add AddPiece to the workflow" }));
    const count = await screen.findByTestId("problem-count", {}, WAIT);
    expect(count).toHaveTextContent("1 problem(s)");
    // Nothing typed yet: the header counts the problem, the form and the node are not red.
    expect(screen.queryByTestId("field-error")).not.toBeInTheDocument();
    expect(within(canvas()).queryByTestId("node-error-badge")).not.toBeInTheDocument();
    await user().click(count);
    const list = screen.getByTestId("problems-list");
    expect(within(list).getByText("Task add")).toBeInTheDocument();
    await user().click(within(list).getByRole("button", { name: "Input a of task add needs a value" }));
    expect(tab("Task")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("field-error")).toHaveTextContent("Input a of task add needs a value");
    expect(within(canvas()).getByTestId("node-error-badge")).toHaveTextContent("1");
    await waitFor(() => expect(screen.getByLabelText("a", { selector: "input" })).toHaveFocus());
    // Typing the value clears the problem.
    await user().type(screen.getByLabelText("a", { selector: "input" }), "5");
    expect(await screen.findByText("Valid", {}, WAIT)).toBeInTheDocument();
  });

  it("opens a stored workflow on its canvas with the task tab, its settings one click away", async () => {
    const doc: WorkflowDoc = { ...emptyWorkflow(), id: "sums", name: "Sums", tasks: [{ id: "first", piece: ADD, inputs: { a: 1 } }], ui: { nodes: { first: { x: 0, y: 0 } } } };
    renderEditor(doc, "sums");
    expect(await within(canvas()).findByTestId("task-node-first")).toBeInTheDocument();
    expect(tab("Task")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByText("Select a task on the canvas to edit it.")).toBeInTheDocument();
    expect(screen.queryByTestId("settings-panel")).not.toBeInTheDocument();
    await user().click(tab("Settings"));
    expect(within(await screen.findByTestId("settings-panel")).getByRole("textbox", { name: /^Name/ })).toHaveValue("Sums");
  });

  it("suggests the workflow id from the name, and shows the settings' problems once typed in or on saving", async () => {
    renderEditor({ ...emptyWorkflow() });
    await screen.findByTestId("problem-count", {}, WAIT);
    const settings = screen.getByTestId("settings-panel");
    expect(within(settings).queryByTestId("field-error")).not.toBeInTheDocument();
    const name = within(settings).getByRole("textbox", { name: /^Name/ });
    await user().type(name, "Daily sales");
    expect(within(settings).getByRole("textbox", { name: /^Workflow id/ })).toHaveValue("daily_sales");
    expect(within(settings).getByText(/Suggested from the name; edit it to choose another\./)).toBeInTheDocument();
    await user().clear(name);
    expect(await within(settings).findByText("The workflow needs a name", {}, WAIT)).toBeInTheDocument();
  });

  it("shows every problem on its field once a save is tried", async () => {
    renderEditor({ ...emptyWorkflow(), id: "sums" });
    await screen.findByTestId("problem-count", {}, WAIT);
    expect(within(screen.getByTestId("settings-panel")).queryByText("The workflow needs a name")).not.toBeInTheDocument();
    await user().click(screen.getByRole("button", { name: "Create…" }));
    expect(within(screen.getByTestId("settings-panel")).getByText("The workflow needs a name")).toBeInTheDocument();
  });

  it("says before the first save that a past start date starts a run right away", async () => {
    renderEditor({ ...emptyWorkflow(), id: "sums", name: "Sums", schedule: "@daily", start_date: "2026-01-01T00:00:00Z" });
    expect(screen.getByTestId("schedule-start-notice")).toHaveTextContent("The start date is in the past: once saved, Airflow starts one run right away");
    expect(await screen.findByText("Valid", {}, WAIT)).toBeInTheDocument();
    await user().click(screen.getByRole("button", { name: "Create…" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByTestId("save-start-notice")).toHaveTextContent("Earlier times are skipped, as catch-up is off.");
  });

  it("offers to save as a draft while there are problems, and creates the workflow once they are fixed", async () => {
    const onCreated = renderEditor();
    await user().click(screen.getByRole("button", { name: "Add AddPiece to the workflow" }));
    await screen.findByTestId("problem-count", {}, WAIT);
    await user().click(screen.getByRole("button", { name: "Create…" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByTestId("draft-explanation")).toHaveTextContent("The workflow has 1 problem, so it is saved as a draft");
    await user().click(within(dialog).getByRole("button", { name: "Save as draft" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith("sums"));
    expect(sent[0]?.body).toMatchObject({ draft: true, document: { id: "sums", tasks: [{ id: "add" }] } });
    expect(await screen.findByText(/Saved draft revision 1: not deployed until a valid revision is saved\./)).toBeInTheDocument();
  });

  it("creates a valid workflow with a normal save", async () => {
    const onCreated = renderEditor();
    expect(await screen.findByText("Valid", {}, WAIT)).toBeInTheDocument();
    await user().click(screen.getByRole("button", { name: "Create…" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).queryByTestId("draft-explanation")).not.toBeInTheDocument();
    await user().type(within(dialog).getByRole("textbox", { name: "What changed?" }), "First version");
    await user().click(within(dialog).getByRole("button", { name: "Create" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith("sums"));
    expect(sent[0]?.body).toMatchObject({ draft: false, message: "First version" });
  });
});
