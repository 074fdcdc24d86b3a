import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PieceSummary } from "../../api/pieces";
import { pieceDetail } from "../../test/editorHarness";
import { mockReactFlowBrowser } from "../../test/reactFlow";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { EditorPage } from "./EditorPage";

const API = "/airflow/domino/api/v1";
const ADD = { repository: "demo", version: "1.0.0", name: "AddPiece" };
const CATALOG: PieceSummary[] = [{ id: 1, name: ADD.name, description: "", repository_id: 1, repository: ADD.repository, version: ADD.version, tags: [], style: {} }];
const DOC = { schema_version: 1, id: "sums", name: "Sums", schedule: null, tasks: [{ id: "add", piece: ADD, inputs: { a: 1 } }], ui: { nodes: { add: { x: 0, y: 0 } } } };
const REVISION = { id: 1, number: 1, created_at: "2026-12-03T10:00:00Z", author: "admin", message: "", draft: false };

/** Whether an element matching `selector` was ever put in the document, even if removed again. */
function everAdded(selector: string): { seen: () => boolean; stop: () => void } {
  let seen = false;
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const added of record.addedNodes) if (added instanceof HTMLElement && (added.matches(selector) || added.querySelector(selector))) seen = true;
  });
  observer.observe(document.body, { childList: true, subtree: true });
  return { seen: () => seen, stop: () => observer.disconnect() };
}

describe("EditorPage", () => {
  beforeEach(() => mockReactFlowBrowser());
  let missing: ReturnType<typeof everAdded>;
  afterEach(() => missing.stop());

  it("opens a stored workflow once its pieces' details are in: no node is shown as 'piece not installed' first", async () => {
    const answer = stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/pieces`]: { status: 200, body: { items: CATALOG, total: 1, limit: 1000, offset: 0 } },
      [`${API}/pieces/1`]: {
        status: 200,
        body: pieceDetail(ADD, { type: "object", properties: { a: { type: "integer" } } }, { output_schema: { type: "object", properties: { total: { type: "integer" } } } }),
      },
      [`${API}/workflows/sums`]: { status: 200, body: { id: "sums", name: "Sums", document: DOC, revision: REVISION, deployed_revision: REVISION } },
      [`POST ${API}/workflows/validate`]: { status: 200, body: { valid: true, errors: [], warnings: [] } },
    });
    // The piece's details come last, well after the workflow.
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
      (input instanceof Request ? input.url : input.toString()).endsWith("/pieces/1") ? new Promise<Response>((resolve) => setTimeout(() => resolve(answer(input, init)), 200)) : answer(input, init),
    );
    missing = everAdded(".dn-missing");
    renderPage("/workflows/:workflowId/edit", <EditorPage />, "/workflows/sums/edit");
    expect(await screen.findByTestId("task-outputs-add", undefined, { timeout: 10_000 })).toHaveTextContent("total");
    expect(missing.seen()).toBe(false);
  });
});
