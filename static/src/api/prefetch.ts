/**
 * Data a page needs, requested by its route's loader while the page's code chunk loads instead of
 * after it (the editor's chunk and its dependencies take a few hundred ms on a loaded machine:
 * issue 12 benchmark). main.tsx sets the query client and API client once.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { PieceRef } from "../lib/workflowDoc";
import type { ApiClient } from "./client";
import { allPiecesQuery, pieceDetailQuery, pieceIdsOf } from "./pieces";
import { infoQuery } from "./queries";
import { workflowQuery } from "./workflows";

let target: { queryClient: QueryClient; api: ApiClient } | null = null;

export function setPrefetchTarget(queryClient: QueryClient, api: ApiClient): void {
  target = { queryClient, api };
}

/** What the editor loads first: permissions, the pieces catalog and the stored workflow (if any). Returns null (a loader's result). */
export function prefetchEditor(workflowId: string | undefined): null {
  if (!target) return null;
  const { queryClient, api } = target;
  void queryClient.prefetchQuery(infoQuery(api));
  void queryClient.prefetchQuery(allPiecesQuery(api));
  // Always fetched (the editor opens on the stored document as it is now); useWorkflow does not fetch it again.
  if (workflowId) {
    const workflow = { ...workflowQuery(api, workflowId), staleTime: 0 };
    void queryClient.prefetchQuery(workflow);
    // Then the details of the pieces it uses, which the editor waits for (EditorPage), instead of once it rendered.
    void Promise.all([queryClient.fetchQuery(allPiecesQuery(api)), queryClient.fetchQuery(workflow)])
      .then(([catalog, stored]) => {
        const tasks: unknown = stored.document?.tasks;
        const refs = Array.isArray(tasks) ? tasks.flatMap((t: { piece?: PieceRef }) => (t?.piece ? [t.piece] : [])) : [];
        for (const id of pieceIdsOf(refs, catalog)) void queryClient.prefetchQuery(pieceDetailQuery(api, id));
      })
      .catch(() => undefined); // the editor reports a failed request itself
  }
  return null;
}
