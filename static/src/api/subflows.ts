/** Sub-workflow tasks: what a saved workflow takes and returns when another workflow runs it. */
import { useQueries } from "@tanstack/react-query";
import { useMemo } from "react";
import type { SubWorkflowSpec } from "../lib/steps";
import { useAppEnvironment } from "./context";

export const subflowKeys = {
  spec: (id: string) => ["workflows", "as-task", id] as const,
};

/**
 * The spec (run parameters as inputs, final outputs) of each workflow `ids` names, by id; a
 * workflow that does not exist or has no deployed revision has no entry (validation says why).
 */
export function useSubWorkflowSpecs(ids: readonly string[]): Map<string, SubWorkflowSpec> {
  const { api } = useAppEnvironment();
  const wanted = useMemo(() => [...new Set(ids.filter(Boolean))].sort(), [ids]);
  const results = useQueries({
    queries: wanted.map((id) => ({
      queryKey: subflowKeys.spec(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<SubWorkflowSpec>(`/workflows/${encodeURIComponent(id)}/as-task`, undefined, signal),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const key = results.map((r) => (r.data ? `${r.data.id}:${r.dataUpdatedAt}` : "-")).join(",");
  return useMemo(() => {
    const map = new Map<string, SubWorkflowSpec>();
    for (const r of results) if (r.data) map.set(r.data.id, r.data);
    return map;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` identifies the results
  }, [key]);
}
