import { describe, expect, it, vi } from "vitest";
import { buildUrl, createApiClient } from "./client";
import { EARLY_LIFETIME_MS, editorRouteId, fetchWithEarly, startEditorRequests, takeEarlyResponse } from "./early";

const API = "/airflow/domino/api/v1";

const urlOf = (input: RequestInfo | URL) => (typeof input === "string" ? input : input instanceof URL ? input.href : input.url);

function fakeFetch() {
  return vi.fn((input: RequestInfo | URL) => Promise.resolve(new Response(JSON.stringify({ url: urlOf(input) }), { status: 200 })));
}

/** Takes the early responses a test left, so that the next test starts with none. */
function drop(...urls: string[]) {
  for (const url of urls) void takeEarlyResponse(url)?.catch(() => undefined);
}

describe("early editor requests", () => {
  it("knows the editor's routes and nothing else", () => {
    expect(editorRouteId("/airflow/domino/ui/workflows/sums/edit")).toBe("sums");
    expect(editorRouteId("/domino/ui/workflows/a%20b/edit/")).toBe("a b");
    expect(editorRouteId("/domino/ui/workflows/new")).toBe("");
    expect(editorRouteId("/domino/ui/workflows")).toBeNull();
    expect(editorRouteId("/domino/ui/workflows/sums/runs")).toBeNull();
    expect(editorRouteId("/domino/ui/workflows/%E0%A4%A/edit")).toBeNull();
  });

  it("sends what the editor's queries ask for, and each response answers the client's first request for its URL only", async () => {
    const early = fakeFetch();
    expect(startEditorRequests("/airflow/domino/ui/workflows/a%20b/edit", early)).toBe(true);
    const sent = early.mock.calls.map(([input]) => urlOf(input));
    expect(sent).toEqual([`${API}/info`, buildUrl(API, "/pieces", { limit: 1000, offset: 0 }), `${API}/workflows/a%20b`]);

    const network = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ url: "network" }), { status: 200 })));
    vi.stubGlobal("fetch", network);
    const api = createApiClient(API, fetchWithEarly);
    await expect(api.get("/workflows/a%20b")).resolves.toEqual({ url: `${API}/workflows/a%20b` });
    await expect(api.get("/workflows/a%20b")).resolves.toEqual({ url: "network" });
    await expect(api.get("/pieces", { limit: 1000, offset: 0 })).resolves.toEqual({ url: `${API}/pieces?limit=1000&offset=0` });
    expect(network).toHaveBeenCalledTimes(1);
    expect(takeEarlyResponse(`${API}/info`)).toBeDefined();
    expect(takeEarlyResponse(`${API}/info`)).toBeUndefined();
  });

  it("sends nothing elsewhere, and no workflow request for a new one", () => {
    const early = fakeFetch();
    expect(startEditorRequests("/domino/ui/workflows", early)).toBe(false);
    expect(early).not.toHaveBeenCalled();
    expect(startEditorRequests("/domino/ui/workflows/new", early)).toBe(true);
    expect(early.mock.calls.map(([input]) => urlOf(input))).toEqual(["/domino/api/v1/info", "/domino/api/v1/pieces?limit=1000&offset=0"]);
    drop("/domino/api/v1/info", "/domino/api/v1/pieces?limit=1000&offset=0");
  });

  it("drops an early response not taken in time, so a late request gets fresh data", () => {
    let clock = 1_000;
    startEditorRequests("/domino/ui/workflows/late/edit", fakeFetch(), () => clock);
    clock += EARLY_LIFETIME_MS + 1;
    expect(takeEarlyResponse("/domino/api/v1/workflows/late", () => clock)).toBeUndefined();
    expect(takeEarlyResponse("/domino/api/v1/info", () => 1_000 + EARLY_LIFETIME_MS)).toBeDefined();
    drop("/domino/api/v1/pieces?limit=1000&offset=0");
  });

  it("a failed early request fails the request that takes it, as the network would", async () => {
    const early = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    startEditorRequests("/domino/ui/workflows/x/edit", early);
    const api = createApiClient("/domino/api/v1", fetchWithEarly);
    await expect(api.get("/workflows/x")).rejects.toMatchObject({ status: 0 });
    drop("/domino/api/v1/info", "/domino/api/v1/pieces?limit=1000&offset=0");
  });
});
