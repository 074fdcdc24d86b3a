/** Pieces catalog: the palette list and each piece's schemas, for the editor. */
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { JsonSchema } from "../lib/typeCompat";
import type { PieceRef } from "../lib/workflowDoc";
import type { ApiClient } from "./client";
import { useAppEnvironment } from "./context";
import type { Page } from "./types";

export interface PieceSummary {
  id: number;
  name: string;
  description: string;
  repository_id: number;
  repository: string;
  version: string;
  tags: string[];
  style: Record<string, unknown>;
}

export interface PieceDetail extends PieceSummary {
  input_schema: JsonSchema;
  output_schema: JsonSchema;
  secrets_schema: JsonSchema;
  dependency: Record<string, unknown>;
  container_resources: Record<string, unknown>;
  source_url: string;
  /** Inputs whose items declare outputs (Domino's `output_args`); see lib/dynamicOutputs. */
  dynamic_output_inputs?: string[];
}

export const pieceKeys = {
  all: ["pieces"] as const,
  list: ["pieces", "list"] as const,
  detail: (id: number) => ["pieces", "detail", id] as const,
};

const PAGE = 1000;

/** Every installed piece (all repository versions), fetched page by page. */
export const allPiecesQuery = (api: ApiClient) => ({
  queryKey: pieceKeys.list,
  queryFn: async ({ signal }: { signal: AbortSignal }) => {
    const items: PieceSummary[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await api.get<Page<PieceSummary>>("/pieces", { limit: PAGE, offset }, signal);
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) break;
    }
    return items;
  },
  staleTime: 60_000,
});

export function useAllPieces() {
  const { api } = useAppEnvironment();
  return useQuery(allPiecesQuery(api));
}

export function usePiece(id: number | undefined) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: pieceKeys.detail(id ?? -1),
    queryFn: ({ signal }) => api.get<PieceDetail>(`/pieces/${id}`, undefined, signal),
    enabled: id !== undefined,
    staleTime: 5 * 60_000,
  });
}

export const refKey = (p: PieceRef) => `${p.repository}@${p.version}/${p.name}`;

/**
 * The details of every piece a document uses, keyed by `repository@version/name`. A piece that
 * is not installed has no entry (the server reports it on save/validate).
 */
export function usePieceDetails(refs: readonly PieceRef[], catalog: readonly PieceSummary[] | undefined) {
  const results = usePieceDetailQueries(refs, catalog);
  const data = results.map((r) => r.data);
  const key = data.map((d) => d?.id ?? "-").join(",");
  return useMemo(() => {
    const map = new Map<string, PieceDetail>();
    for (const d of data) if (d) map.set(refKey({ repository: d.repository, version: d.version, name: d.name }), d);
    return map;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` identifies `data`
  }, [key]);
}

/**
 * Whether some of those details are still on their first fetch (neither loaded nor failed yet): the
 * editor waits for them, so that it opens with its nodes' outputs and forms instead of rendering
 * every node as "piece not installed" first and then again.
 */
export function usePieceDetailsPending(refs: readonly PieceRef[], catalog: readonly PieceSummary[] | undefined): boolean {
  return usePieceDetailQueries(refs, catalog).some((r) => r.isPending && r.failureCount === 0);
}

/** The catalog ids of the installed pieces among `refs`, sorted, each once. */
export function pieceIdsOf(refs: readonly PieceRef[], catalog: readonly PieceSummary[] | undefined): number[] {
  const byKey = new Map((catalog ?? []).map((p) => [refKey(p as unknown as PieceRef & PieceSummary), p.id]));
  const wanted = new Set<number>();
  for (const ref of refs) {
    const id = byKey.get(refKey(ref));
    if (id !== undefined) wanted.add(id);
  }
  return [...wanted].sort((a, b) => a - b);
}

/** GET /pieces/{id}: one piece with its schemas. */
export const pieceDetailQuery = (api: ApiClient, id: number) => ({
  queryKey: pieceKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<PieceDetail>(`/pieces/${id}`, undefined, signal),
  staleTime: 5 * 60_000,
});

function usePieceDetailQueries(refs: readonly PieceRef[], catalog: readonly PieceSummary[] | undefined) {
  const { api } = useAppEnvironment();
  const ids = useMemo(() => pieceIdsOf(refs, catalog), [refs, catalog]);
  return useQueries({ queries: ids.map((id) => pieceDetailQuery(api, id)) });
}
