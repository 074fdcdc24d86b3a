import { describe, expect, it, vi } from "vitest";
import { ApiError, buildUrl, createApiClient, errorFromResponse, isSessionExpired } from "./client";

function jsonResponse(status: number, body: unknown, statusText = ""): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { "Content-Type": "application/json" },
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the call to fail");
}

describe("buildUrl", () => {
  it("joins root, path and defined query parameters", () => {
    expect(buildUrl("/x/domino/api/v1", "/workflows", { limit: 50, offset: 0, search: "", tag: undefined })).toBe(
      "/x/domino/api/v1/workflows?limit=50&offset=0&search=",
    );
    expect(buildUrl("/domino/api/v1", "info")).toBe("/domino/api/v1/info");
  });
});

describe("createApiClient", () => {
  it("sends the Airflow session cookie and parses JSON", async () => {
    const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(200, { version: "0.1.0" }));
    const api = createApiClient("/domino/api/v1", fetchMock);

    await expect(api.get("/info")).resolves.toEqual({ version: "0.1.0" });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/domino/api/v1/info");
    expect(init?.credentials).toBe("same-origin");
    expect(init?.method).toBe("GET");
  });

  it("reports 401 as an expired session", async () => {
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(401, { detail: "Token Expired" })));
    const error = await failure(api.get("/info"));
    expect(error.status).toBe(401);
    expect(error.isSessionExpired).toBe(true);
    expect(isSessionExpired(error)).toBe(true);
  });

  it("reports Airflow's 403 'Invalid JWT token' as an expired session, other 403s not", () => {
    expect(errorFromResponse(403, "Forbidden", JSON.stringify({ detail: "Invalid JWT token" })).isSessionExpired).toBe(true);
    const forbidden = errorFromResponse(403, "Forbidden", JSON.stringify({ detail: "Forbidden" }));
    expect(forbidden.isSessionExpired).toBe(false);
    expect(forbidden.message).toBe("Forbidden");
  });

  it("surfaces the API's message and field errors", async () => {
    const body = {
      detail: "Invalid request: limit: Input should be less than or equal to 500",
      errors: [{ path: "limit", message: "Input should be less than or equal to 500" }],
    };
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(422, body)));
    const error = await failure(api.get("/workflows", { limit: 9999 }));
    expect(error.status).toBe(422);
    expect(error.isSessionExpired).toBe(false);
    expect(error.message).toBe(body.detail);
    expect(error.errors).toEqual(body.errors);
  });

  it("understands FastAPI's default validation body", () => {
    const error = errorFromResponse(
      422,
      "Unprocessable Entity",
      JSON.stringify({ detail: [{ loc: ["body", "nodes", 0, "id"], msg: "Field required", type: "missing" }] }),
    );
    expect(error.message).toBe("The request was not valid.");
    expect(error.errors).toEqual([{ path: "nodes.0.id", message: "Field required" }]);
  });

  it("explains a non-JSON error body by its status", async () => {
    const html = new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" });
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockResolvedValue(html));
    const error = await failure(api.get("/info"));
    expect(error.message).toBe("The server answered 502 Bad Gateway.");
  });

  it("refuses a successful answer that is not JSON", async () => {
    const html = new Response("<!doctype html>", { status: 200 });
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockResolvedValue(html));
    const error = await failure(api.get("/info"));
    expect(error.message).toMatch(/not JSON/);
  });

  it("explains a network failure", async () => {
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockRejectedValue(new TypeError("Failed to fetch")));
    const error = await failure(api.get("/info"));
    expect(error.status).toBe(0);
    expect(error.message).toBe("Could not reach the Domino API (Failed to fetch).");
  });

  it("lets aborts through untouched so TanStack Query can cancel quietly", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    const api = createApiClient("/api", vi.fn<typeof fetch>().mockRejectedValue(abort));
    await expect(api.get("/info")).rejects.toBe(abort);
  });
});
