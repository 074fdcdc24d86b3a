import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";
import type { Page, RevisionSummary } from "./types";

export type WorkflowStatus = "valid" | "build_error" | "paused" | "pending";

export interface WorkflowListItem {
  id: string;
  name: string;
  description: string;
  tags: string[];
  schedule: string | null;
  schedule_description: string;
  /** A WorkflowStatus; typed loosely so a newer server's value still renders. */
  status: string;
  is_paused: boolean | null;
  next_run: string | null;
  last_run_state: string | null;
  last_run_at: string | null;
  revision: RevisionSummary | null;
  /** The revision the DAG runs; null while there are only drafts. */
  deployed_revision?: RevisionSummary | null;
  /** The newest revision is a draft, newer than the deployed one. */
  has_draft?: boolean;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** One run parameter of a workflow document (a JSON-schema subset). */
export interface ParamDef {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  default?: unknown;
  enum?: unknown[];
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  items?: { type?: string };
}

export interface WorkflowDocument {
  id: string;
  name: string;
  params?: Record<string, ParamDef>;
  tasks?: { id: string; label?: string; piece?: { repository: string; version: string; name: string }; depends_on?: string[] }[];
  ui?: { nodes?: Record<string, { x: number; y: number }> };
  [key: string]: unknown;
}

export interface WorkflowDetail extends WorkflowListItem {
  document: WorkflowDocument;
}

export interface WorkflowListParams {
  search: string;
  status: string;
  limit: number;
  offset: number;
}

export const workflowKeys = {
  all: ["workflows"] as const,
  list: (params: WorkflowListParams) => ["workflows", "list", params] as const,
  detail: (id: string) => ["workflows", "detail", id] as const,
};

export function useWorkflowList(params: WorkflowListParams) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: workflowKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<Page<WorkflowListItem>>(
        "/workflows",
        { search: params.search || undefined, status: params.status || undefined, limit: params.limit, offset: params.offset },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Run states and next runs move on their own.
    refetchInterval: 30_000,
  });
}

export function useWorkflowDetail(id: string | undefined) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: workflowKeys.detail(id ?? ""),
    queryFn: ({ signal }) => api.get<WorkflowDetail>(`/workflows/${seg(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Mutations that change a workflow; each refreshes every workflow query once it succeeds. */
export function useWorkflowActions() {
  const sender = useSender();
  const client = useQueryClient();
  const invalidate = () => client.invalidateQueries({ queryKey: workflowKeys.all });
  return {
    remove: useMutation({
      mutationFn: (id: string) => sender.send<void>("DELETE", `/workflows/${seg(id)}`),
      onSuccess: invalidate,
    }),
    duplicate: useMutation({
      mutationFn: ({ id, newId, name }: { id: string; newId: string; name?: string }) =>
        sender.send<{ id: string; name: string }>("POST", `/workflows/${seg(id)}/duplicate`, { id: newId, name: name || null }),
      onSuccess: invalidate,
    }),
    setPaused: useMutation({
      mutationFn: ({ id, paused }: { id: string; paused: boolean }) =>
        sender.send<unknown>("POST", `/workflows/${seg(id)}/${paused ? "pause" : "unpause"}`),
      onSuccess: invalidate,
    }),
  };
}

export function useExportUrl(id: string): string {
  return useSender().url(`/workflows/${seg(id)}/export`);
}
