import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { AppProviders } from "../App";
import { ImportReport } from "../pages/editor/ImportReport";
import { createApiClient } from "./client";
import { createQueryClient } from "./queries";
import { appUrlsFromPathname } from "./urls";
import { detectImportFormat, readWorkflowFile } from "./workflowImport";
import { createJsonSender } from "./workflows";

const DOMINO_API_BODY = {
  workflow: { name: "domino_math", schedule: "daily", start_date: "2026-12-01", select_end_date: "never" },
  tasks: {
    AddPiece_1f2e: {
      task_id: "AddPiece_1f2e",
      piece: { id: 1, name: "AddPiece", source_image: "ghcr.io/example-org/domino_style_pieces:0.1.0-group0" },
      piece_input_kwargs: { a: { fromUpstream: false, upstreamTaskId: null, upstreamArgument: null, value: 2 } },
      dependencies: [],
    },
  },
  ui_schema: { nodes: {}, edges: [] },
};
const EDITOR_EXPORT = { workflowPieces: {}, workflowPiecesData: {}, workflowNodes: [], workflowEdges: [] };
const CONVERTED = {
  schema_version: 1,
  id: "domino_math",
  name: "domino_math",
  schedule: "@daily",
  tasks: [{ id: "add", piece: { repository: "domino_style_pieces", version: "0.1.0", name: "AddPiece" }, inputs: { a: 2 } }],
};

function sender(answer: (body: unknown) => { status: number; body: unknown }) {
  const calls: { url: string; body: unknown }[] = [];
  const fetchImpl = vi.fn<typeof fetch>((input, init) => {
    const body: unknown = JSON.parse(init?.body as string);
    calls.push({ url: input as string, body });
    const { status, body: out } = answer(body);
    return Promise.resolve(new Response(JSON.stringify(out), { status, headers: { "Content-Type": "application/json" } }));
  });
  return { send: createJsonSender("/airflow/domino/api/v1", fetchImpl), calls };
}

describe("importing workflow files", () => {
  it("tells our documents from Domino's three shapes", () => {
    expect(detectImportFormat({ schema_version: 1, tasks: [] })).toBe("workflow");
    expect(detectImportFormat(DOMINO_API_BODY)).toBe("domino-api");
    expect(detectImportFormat(EDITOR_EXPORT)).toBe("domino-editor");
    expect(detectImportFormat({ name: "x", schema: { tasks: {} } })).toBe("domino-stored");
    expect(detectImportFormat({ nodes: [] })).toBeNull();
  });

  it("loads our own documents without asking the server", async () => {
    const { send, calls } = sender(() => ({ status: 500, body: {} }));
    const outcome = await readWorkflowFile(send, JSON.stringify(CONVERTED), null);
    expect(outcome).toMatchObject({ kind: "loaded", format: "workflow", doc: { id: "domino_math" } });
    expect(calls).toEqual([]);
  });

  it("has the server convert a Domino file, keeping the edited workflow's id, and returns what was left out", async () => {
    const warning = { path: "tasks.AddPiece_1f2e.workflow_shared_storage.source", message: "Shared storage is not used.", code: "domino_shared_storage" };
    const { send, calls } = sender(() => ({ status: 200, body: { format: "domino-api", document: { ...CONVERTED, id: "kept" }, warnings: [warning], task_ids: { AddPiece_1f2e: "add" } } }));
    const outcome = await readWorkflowFile(send, JSON.stringify(DOMINO_API_BODY), "kept");
    expect(calls).toEqual([{ url: "/airflow/domino/api/v1/workflows/import/convert", body: { document: DOMINO_API_BODY, id: "kept" } }]);
    expect(outcome).toMatchObject({ kind: "loaded", format: "domino-api", doc: { id: "kept", tasks: [{ id: "add" }] }, warnings: [warning], taskIds: { AddPiece_1f2e: "add" } });
  });

  it("reports every node the server could not map, and the report names each one", async () => {
    const errors = [
      { path: "workflowPieces.1_abc", pointer: "/workflowPieces/1_abc", message: "No installed repository has a piece `ChartPiece`.", code: "domino_unknown_piece" },
      { path: "workflowEdges[0].target", pointer: "/workflowEdges/0/target", message: "Edge target '9_x' is not a node of this workflow.", code: "domino_unknown_node" },
    ];
    const { send } = sender(() => ({ status: 422, body: { detail: "2 nodes or fields of the Domino workflow cannot be mapped; nothing was imported.", errors } }));
    const outcome = await readWorkflowFile(send, JSON.stringify(EDITOR_EXPORT), null);
    expect(outcome.kind).toBe("refused");
    if (outcome.kind !== "refused") return;
    expect(outcome.issues.map((i) => i.path)).toEqual(["workflowPieces.1_abc", "workflowEdges[0].target"]);

    const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/new");
    render(
      <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
        <ImportReport report={{ fileName: "gallery.json", kind: "refused", summary: outcome.message, issues: outcome.issues }} onClose={() => undefined} />
      </AppProviders>,
    );
    const dialog = await screen.findByRole("alertdialog", { name: "gallery.json was not imported" });
    expect(within(dialog).getByText(/2 nodes or fields of the Domino workflow cannot be mapped/)).toBeInTheDocument();
    const list = within(dialog).getByRole("list", { name: "Nodes and fields that cannot be mapped" });
    const items = within(list).getAllByRole("listitem");
    // The server's `names` are shown as code, not as raw backticks.
    expect(items.map((item) => item.textContent?.trim())).toEqual([
      "workflowPieces.1_abc No installed repository has a piece ChartPiece.",
      "workflowEdges[0].target Edge target '9_x' is not a node of this workflow.",
    ]);
    expect([...items[0]!.querySelectorAll("code")].map((c) => c.textContent)).toEqual(["workflowPieces.1_abc", "ChartPiece"]);
  });

  it("refuses a file that is neither format before any request", async () => {
    const { send, calls } = sender(() => ({ status: 500, body: {} }));
    await expect(readWorkflowFile(send, JSON.stringify({ nodes: [] }), null)).rejects.toThrow(/neither a workflow document nor a Domino workflow/);
    await expect(readWorkflowFile(send, "{not json", null)).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
