import type { FieldError } from "./types";

/** Any failed API call: HTTP errors, unreachable server, or an answer that is not JSON. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    /** HTTP status, or 0 when no answer arrived. */
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /**
   * Airflow answers 401 for a missing or expired token, and 403 "Invalid JWT token" for a token
   * it cannot verify (e.g. after a secret rotation); its own UI treats both as "log in again".
   */
  get isSessionExpired(): boolean {
    return this.status === 401 || (this.status === 403 && this.message === "Invalid JWT token");
  }
}

export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.isSessionExpired;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    path: typeof item.path === "string" ? item.path : "",
    message: typeof item.message === "string" ? item.message : JSON.stringify(item),
  }));
}

/** Turns an error response into an ApiError; `body` is the raw response text. */
export function errorFromResponse(status: number, statusText: string, body: string): ApiError {
  const fallback = `The server answered ${status}${statusText ? ` ${statusText}` : ""}.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return new ApiError(status, fallback);
  }
  if (!isRecord(parsed)) return new ApiError(status, fallback);
  const { detail } = parsed;
  if (typeof detail === "string" && detail.trim()) {
    return new ApiError(status, detail, toFieldErrors(parsed.errors));
  }
  // FastAPI's default validation body: {"detail": [{"loc": [...], "msg": "..."}]}.
  if (Array.isArray(detail)) {
    const errors = detail.filter(isRecord).map((item) => ({
      path: Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "",
      message: typeof item.msg === "string" ? item.msg : JSON.stringify(item),
    }));
    return new ApiError(status, "The request was not valid.", errors);
  }
  return new ApiError(status, fallback, toFieldErrors(parsed.errors));
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface ApiClient {
  get<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T>;
}

export function buildUrl(apiRoot: string, path: string, params: QueryParams = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const qs = query.toString();
  return `${apiRoot}${path.startsWith("/") ? path : `/${path}`}${qs ? `?${qs}` : ""}`;
}

export function createApiClient(apiRoot: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  async function request<T>(method: string, path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(buildUrl(apiRoot, path, params), {
        method,
        // Airflow's JWT travels in the `_token` cookie of the page's own origin.
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: signal ?? null,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, `Could not reach the Domino API (${reason}).`);
    }
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, response.statusText, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      // Typically an HTML page from a proxy or a mis-routed URL.
      throw new ApiError(response.status, `The Domino API answered ${path} with something that is not JSON.`);
    }
  }

  return {
    get: (path, params, signal) => request("GET", path, params, signal),
  };
}
