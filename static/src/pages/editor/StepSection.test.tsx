import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect, useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { useSubWorkflowSpecs } from "../../api/subflows";
import { appUrlsFromPathname } from "../../api/urls";
import { addTask } from "../../lib/graph";
import { stepPieces, stepRef, type SubWorkflowSpec } from "../../lib/steps";
import { locateIssues, type ValidationIssue } from "../../lib/validationPaths";
import { emptyWorkflow, type TaskDoc, type WorkflowDoc } from "../../lib/workflowDoc";
import { stubApi } from "../workflows/testUtils";
import { EditorContext, type EditorData } from "./EditorContext";
import { TaskPanel } from "./TaskPanel";

const latest: { doc: WorkflowDoc | null } = { doc: null };

function Harness({ initial, issues }: { initial: WorkflowDoc; issues: ValidationIssue[] }) {
  const [doc, setDoc] = useState(initial);
  useEffect(() => {
    latest.doc = doc;
  }, [doc]);
  const specs = useSubWorkflowSpecs(doc.tasks.flatMap((t) => (t.workflow?.id ? [t.workflow.id] : [])));
  const describe = stepPieces(specs);
  const data: EditorData = {
    doc,
    edit: (next) => setDoc((d) => (typeof next === "function" ? next(d) : next)),
    readOnly: false,
    catalog: [],
    pieceOf: () => undefined,
    taskPiece: (task: TaskDoc) => describe(task),
    issues: locateIssues(issues, doc),
    warnings: locateIssues([], doc),
    notify: () => undefined,
  };
  const task = doc.tasks[doc.tasks.length - 1]!;
  return (
    <EditorContext.Provider value={data}>
      <TaskPanel key={task.id} task={task} />
    </EditorContext.Provider>
  );
}

function renderStep(doc: WorkflowDoc, issues: ValidationIssue[] = []) {
  latest.doc = doc;
  const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/new");
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={queryClient}>
      <Harness initial={doc} issues={issues} />
    </AppProviders>,
  );
}

/** A document with an upstream piece task and a step added the way the palette adds it. */
function withStep(kind: "approval" | "input" | "workflow"): WorkflowDoc {
  const base: WorkflowDoc = {
    ...emptyWorkflow(),
    id: "parent",
    name: "Parent",
    tasks: [{ id: "fetch", piece: { repository: "r", version: "1", name: "FetchPiece" }, inputs: {}, depends_on: [] }],
  };
  return addTask(base, stepRef(kind), { x: 10.4, y: 20.6 }).doc;
}

const user = () => userEvent.setup({ delay: null });
const stepOf = (id: string) => latest.doc?.tasks.find((t) => t.id === id);

afterEach(() => vi.unstubAllGlobals());

// Rendering Chakra and typing on a loaded machine is slow (27 s seen under load ~9): a limit, not a timed assertion.
// StepSection as the task panel shows it (with the step's Inputs section).
describe("StepSection", { timeout: 90_000 }, () => {
  it("adds an approval from the palette reference and edits its title, message, respondents and timeout", async () => {
    stubApi({});
    const doc = withStep("approval");
    expect(doc.tasks[1]).toEqual({ id: "approval", approval: { kind: "approval", title: "Approve?", body: "" }, inputs: {}, depends_on: [] });
    expect(doc.ui?.nodes?.approval).toEqual({ x: 10, y: 21 });
    renderStep(doc);
    const u = user();
    const title = screen.getAllByRole("textbox", { name: "Title" })[0]!;
    await u.clear(title);
    await u.type(title, "Publish?");
    // `{{` is a userEvent key descriptor: doubled to type a literal brace.
    await u.type(screen.getAllByRole("textbox", { name: "Message (Markdown)" })[0]!, "Total: **{{{{ total }}**");
    await u.type(screen.getAllByRole("textbox", { name: "Who may respond" })[0]!, "alice, bob");
    await u.type(screen.getAllByRole("textbox", { name: "Wait at most (s)" })[0]!, "3600");
    await u.selectOptions(screen.getAllByRole("combobox", { name: "At the timeout" })[0]!, "Reject");
    expect(stepOf("approval")?.approval).toEqual({
      kind: "approval",
      title: "Publish?",
      body: "Total: **{{ total }}**",
      respondents: ["alice", "bob"],
      timeout_s: 3600,
      on_timeout: "Reject",
    });
    // The body's value is an input of the step, filled like a piece input (here: bound to nothing yet).
    expect(screen.getAllByText(/Values shown: \{\{ total \}\}/)[0]).toBeInTheDocument();
    expect(screen.getAllByRole("combobox", { name: "Source of total" }).length).toBeGreaterThan(0);
    // What downstream tasks can bind.
    expect(screen.getAllByTestId("step-outputs")[0]).toHaveTextContent("chosen, chosen_options, approved, responded_by, responded_at");
    // No runner / resources for a step that runs nothing.
    expect(screen.queryByRole("combobox", { name: /Runner/ })).toBeNull();
  });

  it("makes an input step with options and a form field whose name becomes an output", async () => {
    stubApi({});
    renderStep(withStep("input"));
    const u = user();
    const section = screen.getAllByTestId("approval-fields")[0]!;
    await u.type(within(section).getByRole("textbox", { name: "Options" }), "Retry, Skip");
    await u.click(within(section).getByRole("button", { name: "Add field" }));
    const name = within(section).getByRole("textbox", { name: "Name of field field_1" });
    await u.clear(name);
    await u.type(name, "reason{Enter}");
    await u.selectOptions(within(section).getByRole("combobox", { name: "Type of field reason" }), "integer");
    await u.type(within(section).getByRole("textbox", { name: "Default of field reason" }), "3");
    await u.selectOptions(within(section).getByRole("combobox", { name: "At the timeout" }), "Skip");
    expect(stepOf("input")?.approval).toEqual({
      kind: "input",
      title: "Your answer",
      body: "",
      options: ["Retry", "Skip"],
      fields: { reason: { type: "integer", default: 3 } },
      on_timeout: "Skip",
    });
    expect(within(section).getByTestId("step-outputs")).toHaveTextContent("responded_at, reason");
  });

  it("gives a form field what a run parameter has: allowed values, bounds, a description; refuses a default of the wrong type", async () => {
    stubApi({});
    renderStep(withStep("input"));
    const u = user();
    const section = screen.getAllByTestId("approval-fields")[0]!;
    await u.click(within(section).getByRole("button", { name: "Add field" }));
    await u.selectOptions(within(section).getByRole("combobox", { name: "Type of field field_1" }), "integer");
    await u.type(within(section).getByRole("textbox", { name: "Allowed values of field field_1" }), "1, 2, 5");
    await u.type(within(section).getByRole("textbox", { name: "Minimum of field field_1" }), "1");
    await u.type(within(section).getByRole("textbox", { name: "Description of field field_1" }), "How many");
    const byDefault = within(section).getByRole("textbox", { name: "Default of field field_1" });
    await u.type(byDefault, "1.5");
    expect(within(section).getByText("Not a valid integer: write it as JSON, e.g. 3.")).toBeInTheDocument();
    expect(stepOf("input")?.approval?.fields).toEqual({ field_1: { type: "integer", enum: [1, 2, 5], minimum: 1, description: "How many", default: 1 } });
  });

  it("shows the server's message on the field it concerns", () => {
    stubApi({});
    renderStep(withStep("approval"), [
      { path: "tasks[1].approval.on_timeout", pointer: "/tasks/1/approval/on_timeout", message: "`on_timeout` is `Later`, which is not an option; expected one of `Approve`, `Reject`.", code: "unknown_option" },
    ]);
    // The server quotes names as Markdown code: shown as code, not as raw backticks (issue 12 item 7).
    const error = screen.getAllByTestId("step-error")[0]!;
    expect(error).toHaveTextContent("on_timeout is Later, which is not an option");
    expect(error).not.toHaveTextContent("`");
    expect([...error.querySelectorAll("code")].map((c) => c.textContent)).toEqual(["on_timeout", "Later", "Approve", "Reject"]);
  });

  it("picks a saved workflow to run and offers its parameters as inputs", async () => {
    const spec: SubWorkflowSpec = {
      id: "child",
      name: "Child",
      input_schema: { type: "object", properties: { x: { type: "integer" } }, required: ["x"], additionalProperties: false },
      output_schema: { type: "object", properties: { "add.total": { type: "integer" } } },
    };
    stubApi({
      "/airflow/domino/api/v1/workflows": {
        status: 200,
        body: {
          items: [
            { id: "child", name: "Child", revision: { id: 1, number: 1 }, deployed_revision: { id: 1, number: 1 } },
            { id: "parent", name: "Parent", revision: { id: 2, number: 1 }, deployed_revision: { id: 2, number: 1 } },
            { id: "sketch", name: "Sketch", revision: { id: 3, number: 1, draft: true }, deployed_revision: null },
          ],
          total: 3,
        },
      },
      "/airflow/domino/api/v1/workflows/child/as-task": { status: 200, body: spec },
    });
    renderStep(withStep("workflow"));
    const u = user();
    const picker = screen.getAllByRole("combobox", { name: "Workflow to run" })[0]!;
    await waitFor(() => expect(within(picker).getByRole("option", { name: "Child (child)" })).toBeInTheDocument());
    // The workflow being edited cannot run itself.
    expect(within(picker).queryByRole("option", { name: "Parent (parent)" })).toBeNull();
    // A workflow with only drafts has no deployed revision to run: listed, not selectable.
    expect(within(picker).getByRole("option", { name: "Sketch (sketch) — draft only, not deployed" })).toBeDisabled();
    await u.selectOptions(picker, "child");
    expect(stepOf("run_workflow")?.workflow).toEqual({ id: "child" });
    await waitFor(() => expect(screen.getAllByTestId("step-outputs")[0]).toHaveTextContent("Its run parameters are the inputs below (x). Tasks after this one can use its outputs: add.total."));
    expect(screen.getAllByRole("combobox", { name: "Source of x" }).length).toBeGreaterThan(0);
  });
});
