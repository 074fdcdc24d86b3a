import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ReactFlowProvider } from "@xyflow/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { mockReactFlowBrowser } from "../../test/reactFlow";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { Editor } from "./Editor";

const API = "/airflow/domino/api/v1";
const MINE: WorkflowDoc = { ...emptyWorkflow(), id: "sums", name: "Sums" };
const REV = (id: number, number: number) => ({ id, number, created_at: "2026-12-03T10:00:00Z", author: "bob", message: "their change", draft: false });
const puts: { base_revision_id: number; message: string }[] = [];

/** A stored workflow at revision 1 that someone else saved as revision 2 meanwhile: the first save is refused with 409. */
function stubServer() {
  puts.length = 0;
  stubApi({
    [`${API}/info`]: { status: 200, body: INFO },
    [`POST ${API}/workflows/validate`]: { status: 200, body: { valid: true, errors: [], warnings: [] } },
    [`${API}/workflows/sums`]: { status: 200, body: { id: "sums", name: "Sums", document: { ...MINE, name: "Theirs" }, revision: REV(7, 2), deployed_revision: REV(7, 2) } },
    [`PUT ${API}/workflows/sums`]: (init) => {
      const body = JSON.parse(init?.body as string) as { base_revision_id: number; message: string; document: WorkflowDoc };
      puts.push(body);
      if (body.base_revision_id !== 7) return { status: 409, body: { detail: "The workflow was saved since revision 1.", current_revision_id: 7, current_revision_number: 2 } };
      return { status: 200, body: { id: "sums", name: body.document.name, document: body.document, revision: REV(8, 3), deployed_revision: REV(8, 3) } };
    },
  });
}

function renderStored() {
  renderPage(
    "/workflows/:id/edit",
    <ReactFlowProvider>
      <Editor initialDoc={MINE} initialSession={{ workflowId: "sums", baseRevision: REV(5, 1), savedDoc: MINE }} catalog={[]} readOnly={false} onCreated={vi.fn()} />
    </ReactFlowProvider>,
    "/workflows/sums/edit",
  );
}

const user = () => userEvent.setup({ delay: null });

describe("useSaveWorkflow: a save refused because someone else saved in between", { timeout: 60_000 }, () => {
  beforeEach(() => {
    mockReactFlowBrowser();
    vi.stubGlobal("innerWidth", 1280);
    stubServer();
  });

  async function saveAndConflict() {
    renderStored();
    await user().click(screen.getByRole("button", { name: "Save…" }));
    const dialog = await screen.findByRole("dialog");
    await user().type(within(dialog).getByRole("textbox", { name: "What changed?" }), "Mine");
    await user().click(within(dialog).getByRole("button", { name: "Save" }));
    const conflict = await screen.findByRole("alertdialog", { name: "Someone else saved this workflow" });
    expect(conflict).toHaveTextContent("You started from revision 1, but revision 2 by bob was saved since (“their change”).");
    expect(puts).toEqual([expect.objectContaining({ base_revision_id: 5, message: "Mine" })]);
    return conflict;
  }

  it("saves mine on top of theirs with their revision as the base, keeping the message", async () => {
    const conflict = await saveAndConflict();
    await user().click(within(conflict).getByRole("button", { name: "Save mine on top of theirs" }));
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]).toMatchObject({ base_revision_id: 7, message: "Mine" });
    expect(await screen.findByText("Saved revision 3.")).toBeInTheDocument();
    expect(screen.getByText("Revision 3")).toBeInTheDocument();
  });

  it("discards mine and loads theirs as the new base", async () => {
    const conflict = await saveAndConflict();
    await user().click(within(conflict).getByRole("button", { name: "Discard mine, load theirs" }));
    expect(await screen.findByText("Loaded revision 2.")).toBeInTheDocument();
    expect(screen.getByText("Revision 2")).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Editor tools" })).toHaveTextContent("Theirs");
    expect(puts).toHaveLength(1);
  });
});
