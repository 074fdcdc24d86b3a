import { fireEvent, screen, waitFor } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { mockReactFlowBrowser } from "../../test/reactFlow";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { Editor } from "./Editor";

const API = "/airflow/domino/api/v1";
const STORED: WorkflowDoc = { ...emptyWorkflow(), id: "sums", name: "Sums" };
const REV = { id: 5, number: 1, created_at: "2026-12-03T10:00:00Z", author: "ada", message: "", draft: false };
const validated: WorkflowDoc[] = [];

function stubServer(valid: boolean) {
  validated.length = 0;
  stubApi({
    [`${API}/info`]: { status: 200, body: INFO },
    [`POST ${API}/workflows/validate`]: (init) => {
      validated.push(JSON.parse(init?.body as string) as WorkflowDoc);
      return valid
        ? { status: 200, body: { valid: true, errors: [], warnings: [] } }
        : { status: 200, body: { valid: false, errors: [{ path: "schedule", message: "Not a cron expression: `every day`." }], warnings: [] } };
    },
  });
}

function renderStored() {
  renderPage(
    "/workflows/:id/edit",
    <ReactFlowProvider>
      <Editor initialDoc={STORED} initialSession={{ workflowId: "sums", baseRevision: REV, savedDoc: STORED }} catalog={[]} readOnly={false} onCreated={vi.fn()} />
    </ReactFlowProvider>,
    "/workflows/sums/edit",
  );
}

function importFile(name: string, body: unknown) {
  const file = new File([JSON.stringify(body)], name, { type: "application/json" });
  fireEvent.change(screen.getByTestId("import-input"), { target: { files: [file] } });
}

describe("useWorkflowImport: a file imported into a stored workflow", { timeout: 60_000 }, () => {
  beforeEach(() => {
    mockReactFlowBrowser();
    vi.stubGlobal("innerWidth", 1280);
  });

  it("keeps the stored workflow's id, says so, and loads the file's content", async () => {
    stubServer(true);
    renderStored();
    importFile("other.json", { ...emptyWorkflow(), id: "other", name: "From a file" });
    expect(await screen.findByText(/it was imported as/)).toBeInTheDocument();
    expect(await screen.findByText("Imported other.json: the workflow is valid. Save to keep it.")).toBeInTheDocument();
    await waitFor(() => expect(validated).toContainEqual(expect.objectContaining({ id: "sums", name: "From a file" })));
    expect(validated).not.toContainEqual(expect.objectContaining({ id: "other" }));
  });

  it("loads an invalid file and lists its problems instead of refusing it", async () => {
    stubServer(false);
    renderStored();
    importFile("broken.json", { ...STORED, schedule: "every day" });
    expect(await screen.findByText("Imported broken.json with 1 problem(s), listed under Problems.")).toBeInTheDocument();
    expect(validated).toContainEqual(expect.objectContaining({ id: "sums", schedule: "every day" }));
    expect(await screen.findByTestId("problem-count")).toHaveTextContent("1 problem(s)");
  });

  it("names the file and the reason when it is not a workflow", async () => {
    stubServer(true);
    renderStored();
    importFile("notes.json", { hello: "world" });
    expect(await screen.findByText(/Could not import notes\.json: this is neither a workflow document nor a Domino workflow/)).toBeInTheDocument();
    expect(validated).toHaveLength(0);
  });
});
