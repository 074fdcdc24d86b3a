import { useMemo } from "react";
import { ApiError, buildUrl, errorFromResponse, type QueryParams } from "./client";
import { useAppEnvironment } from "./context";

/**
 * Requests beyond the shared client's JSON GET: writes (POST/PUT/DELETE) and raw bodies
 * (display results, text files). Errors are the same ApiError the client throws.
 */
export interface Sender {
  /** JSON request; resolves to the parsed body, or undefined for an empty one (204). */
  send<T = unknown>(method: "POST" | "PUT" | "DELETE" | "PATCH", path: string, body?: unknown, params?: QueryParams): Promise<T>;
  /** GET returning the raw Response after checking its status. */
  raw(path: string, params?: QueryParams, signal?: AbortSignal): Promise<Response>;
  /** Absolute URL of an API path, for links, <img src> and downloads. */
  url(path: string, params?: QueryParams): string;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: "same-origin", ...init });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, `Could not reach the Domino API (${reason}).`);
  }
}

export function createSender(apiRoot: string): Sender {
  return {
    async send<T>(method: string, path: string, body?: unknown, params?: QueryParams): Promise<T> {
      const headers: Record<string, string> = { Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await call(buildUrl(apiRoot, path, params), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw errorFromResponse(response.status, response.statusText, text);
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ApiError(response.status, `The Domino API answered ${path} with something that is not JSON.`);
      }
    },
    async raw(path, params, signal) {
      const response = await call(buildUrl(apiRoot, path, params), { method: "GET", signal: signal ?? null });
      if (!response.ok) throw errorFromResponse(response.status, response.statusText, await response.text());
      return response;
    },
    url: (path, params) => buildUrl(apiRoot, path, params),
  };
}

export function useSender(): Sender {
  const { urls } = useAppEnvironment();
  // Memoised on the API root so effects that depend on it stay stable.
  return useMemo(() => createSender(urls.apiRoot), [urls.apiRoot]);
}

/** Encodes one path segment (run ids contain ':' and '+'). */
export const seg = (value: string | number) => encodeURIComponent(String(value));
