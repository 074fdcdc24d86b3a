/**
 * The editor's first requests, sent as soon as the app's code starts evaluating (src/earlyStart.ts,
 * the entry's first module) instead of from its route's loader once the whole entry bundle has
 * evaluated (~200 ms later on the benchmark's machine, issue 12). Each response is taken once, by the
 * first API request for the same URL (fetchWithEarly, the API client's fetch); others go to the network.
 */
import { buildUrl } from "./client";
import { appUrlsFromPathname } from "./urls";

/** An early response not taken by then is dropped: a GET of the same URL later must not get old data. */
export const EARLY_LIFETIME_MS = 10_000;

const early = new Map<string, { response: Promise<Response>; sentAt: number }>();

/** `/workflows/new` and `/workflows/{id}/edit` under the app's path, as routes.tsx has them; the id is still %-encoded. */
const EDITOR_PATH = /\/domino\/ui\/workflows\/(?:new|([^/]+)\/edit)\/?$/;

/** On an editor route: the workflow id ("" for a new one); null elsewhere. */
export function editorRouteId(pathname: string): string | null {
  const match = EDITOR_PATH.exec(pathname);
  if (!match) return null;
  try {
    return match[1] === undefined ? "" : decodeURIComponent(match[1]);
  } catch {
    return null; // a malformed %-escape: the editor reports the workflow it cannot find
  }
}

/** Sends GET /info, the first page of pieces and the workflow, as the editor's queries will ask for them. */
export function startEditorRequests(
  pathname: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  now: () => number = Date.now,
): boolean {
  const id = editorRouteId(pathname);
  if (id === null) return false;
  const { apiRoot } = appUrlsFromPathname(pathname);
  const paths: [string, Record<string, number>?][] = [["/info"], ["/pieces", { limit: 1000, offset: 0 }]];
  if (id) paths.push([`/workflows/${encodeURIComponent(id)}`]);
  for (const [path, params] of paths) {
    const url = buildUrl(apiRoot, path, params);
    const response = fetchImpl(url, { method: "GET", credentials: "same-origin", headers: { Accept: "application/json" } });
    response.catch(() => undefined); // a failure is reported by the request that takes it
    early.set(url, { response, sentAt: now() });
  }
  return true;
}

/** The early response for `url`, removed so that a later request fetches afresh; undefined if there is none or it is stale. */
export function takeEarlyResponse(url: string, now: () => number = Date.now): Promise<Response> | undefined {
  const entry = early.get(url);
  early.delete(url);
  if (!entry || now() - entry.sentAt > EARLY_LIFETIME_MS) return undefined;
  return entry.response;
}

/** fetch for the API client: a GET sent early is answered with that response. */
export function fetchWithEarly(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = (init?.method ?? "GET") === "GET" && typeof input === "string" ? takeEarlyResponse(input) : undefined;
  return response ?? fetch(input, init);
}
