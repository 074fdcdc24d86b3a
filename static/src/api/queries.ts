import { QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { ApiError, isSessionExpired, type ApiClient } from "./client";
import { useAppEnvironment } from "./context";
import type { Info, Page, PageParams, Repository, WorkflowSummary } from "./types";

export const queryKeys = {
  info: ["info"] as const,
  repositories: (page: PageParams) => ["repositories", page] as const,
  workflows: (page: PageParams & { search: string }) => ["workflows", page] as const,
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will not fix itself: show it at once. Retry only lost connections and 5xx.
        retry: (failureCount, error) =>
          failureCount < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
    },
  });
}

/** GET /info: versions, the user and their permissions. */
export const infoQuery = (api: ApiClient) => ({
  queryKey: queryKeys.info,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Info>("/info", undefined, signal),
  staleTime: 5 * 60_000,
});

export function useInfo() {
  const { api } = useAppEnvironment();
  return useQuery(infoQuery(api));
}

export function useRepositories(page: PageParams = { limit: 50, offset: 0 }) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: queryKeys.repositories(page),
    queryFn: ({ signal }) => api.get<Page<Repository>>("/repositories", { ...page }, signal),
  });
}

export function useWorkflows(params: PageParams & { search: string } = { limit: 50, offset: 0, search: "" }) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: queryKeys.workflows(params),
    queryFn: ({ signal }) => api.get<Page<WorkflowSummary>>("/workflows", { ...params }, signal),
  });
}

/** True while any query's last attempt failed because the Airflow session is gone. */
export function useSessionExpired(): boolean {
  const cache = useQueryClient().getQueryCache();
  return useSyncExternalStore(
    (onChange) => cache.subscribe(onChange),
    () => cache.getAll().some((query) => isSessionExpired(query.state.error)),
  );
}
