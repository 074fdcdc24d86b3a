/** Workflow documents, revisions, validation and diffs: what the editor reads and writes. */
import { useQuery } from "@tanstack/react-query";
import type { ValidationIssue } from "../lib/validationPaths";
import type { WorkflowDoc } from "../lib/workflowDoc";
import { ApiError, buildUrl, type ApiClient } from "./client";
import { useAppEnvironment } from "./context";
import type { Page, RevisionSummary } from "./types";

export interface WorkflowWithDocument {
  id: string;
  name: string;
  revision: RevisionSummary | null;
  deployed_revision?: RevisionSummary | null;
  document: WorkflowDoc;
  [key: string]: unknown;
}

export interface RevisionWithDocument extends RevisionSummary {
  document: WorkflowDoc;
}

export interface FieldChange {
  path: string;
  kind: "added" | "removed" | "changed";
  old: unknown;
  new: unknown;
}

export interface WorkflowDiff {
  settings: FieldChange[];
  tasks: { added: string[]; removed: string[]; changed: { id: string; changes: FieldChange[] }[] };
  edges: { added: { from: string; to: string }[]; removed: { from: string; to: string }[] };
  ui_changed: boolean;
  has_changes: boolean;
}

export interface RevisionDiff {
  from: RevisionSummary;
  to: RevisionSummary;
  changes: WorkflowDiff;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  /** Problems that do not refuse the save, e.g. `nullable_upstream`. */
  warnings?: ValidationIssue[];
}

/** A failed write: the API's message, every validation issue, and the body's other fields. */
export class WriteError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly issues: ValidationIssue[],
    readonly body: Record<string, unknown>,
  ) {
    super(status, message, issues.map((i) => ({ path: i.path, message: i.message })));
  }

  /** For a 409 on save: the revision someone else saved in between. */
  get currentRevision(): { id: number; number: number } | null {
    const id = this.body.current_revision_id;
    const number = this.body.current_revision_number;
    return typeof id === "number" ? { id, number: typeof number === "number" ? number : 0 } : null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function issuesOf(value: unknown): ValidationIssue[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    path: typeof item.path === "string" ? item.path : "",
    pointer: typeof item.pointer === "string" ? item.pointer : undefined,
    message: typeof item.message === "string" ? item.message : JSON.stringify(item),
    code: typeof item.code === "string" ? item.code : undefined,
  }));
}

export type JsonSender = <T>(method: "POST" | "PUT", path: string, body: unknown) => Promise<T>;

export function createJsonSender(apiRoot: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): JsonSender {
  return async <T,>(method: "POST" | "PUT", path: string, body: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetchImpl(buildUrl(apiRoot, path), {
        method,
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, `Could not reach the Domino API (${reason}).`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const record = isRecord(parsed) ? parsed : {};
      const detail = typeof record.detail === "string" && record.detail ? record.detail : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
      throw new WriteError(response.status, detail, issuesOf(record.errors), record);
    }
    if (parsed === undefined) throw new ApiError(response.status, `The Domino API answered ${path} with something that is not JSON.`);
    return parsed as T;
  };
}

export function useJsonSender(): JsonSender {
  const { urls } = useAppEnvironment();
  return createJsonSender(urls.apiRoot);
}

export const workflowKeys = {
  detail: (id: string) => ["workflows", "detail", id] as const,
  revisions: (id: string) => ["workflows", "revisions", id] as const,
  revision: (id: string, rid: number) => ["workflows", "revision", id, rid] as const,
  diff: (id: string, rid: number, against: number | null) => ["workflows", "diff", id, rid, against] as const,
  schema: ["schemas", "workflow"] as const,
};

const enc = encodeURIComponent;

/** GET /workflows/{id}: the workflow with its current document. */
export const workflowQuery = (api: ApiClient, id: string) => ({
  queryKey: workflowKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<WorkflowWithDocument>(`/workflows/${enc(id)}`, undefined, signal),
});

/** Data fetched this recently is not fetched again when the editor mounts: it was prefetched for this very visit (api/prefetch.ts). */
const JUST_FETCHED_MS = 3_000;

export function useWorkflow(id: string | undefined) {
  const { api } = useAppEnvironment();
  return useQuery({
    ...workflowQuery(api, id ?? ""),
    enabled: id !== undefined,
    // Fresh from the server each time the editor opens, except when the route's loader just fetched it.
    staleTime: 0,
    refetchOnMount: (query) => Date.now() - query.state.dataUpdatedAt > JUST_FETCHED_MS,
    refetchOnWindowFocus: false,
  });
}

export function useRevisions(id: string | undefined, enabled = true) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: workflowKeys.revisions(id ?? ""),
    queryFn: ({ signal }) => api.get<Page<RevisionSummary>>(`/workflows/${enc(id!)}/revisions`, { limit: 200, offset: 0 }, signal),
    enabled: id !== undefined && enabled,
  });
}

export function useRevisionDiff(id: string | undefined, rid: number | null, against: number | null) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: workflowKeys.diff(id ?? "", rid ?? -1, against),
    queryFn: ({ signal }) =>
      api.get<RevisionDiff>(
        `/workflows/${enc(id!)}/revisions/${rid}/diff`,
        against === null ? undefined : { against },
        signal,
      ),
    enabled: id !== undefined && rid !== null,
    staleTime: Infinity,
  });
}

export function fetchRevision(api: ReturnType<typeof useAppEnvironment>["api"], id: string, rid: number) {
  return api.get<RevisionWithDocument>(`/workflows/${enc(id)}/revisions/${rid}`);
}

export function fetchWorkflow(api: ReturnType<typeof useAppEnvironment>["api"], id: string) {
  return api.get<WorkflowWithDocument>(`/workflows/${enc(id)}`);
}

/** `draft`: save even with problems, as a draft revision that is not deployed as a DAG. */
export function createWorkflow(send: JsonSender, document: WorkflowDoc, message: string, draft = false) {
  return send<WorkflowWithDocument>("POST", "/workflows", { document, message, draft });
}

export function saveWorkflow(send: JsonSender, id: string, document: WorkflowDoc, baseRevisionId: number, message: string, draft = false) {
  return send<WorkflowWithDocument>("PUT", `/workflows/${enc(id)}`, { document, base_revision_id: baseRevisionId, message, draft });
}

export function validateWorkflow(send: JsonSender, document: WorkflowDoc) {
  return send<ValidationResult>("POST", "/workflows/validate", document);
}

export function exportUrl(apiRoot: string, id: string): string {
  return buildUrl(apiRoot, `/workflows/${enc(id)}/export`);
}
