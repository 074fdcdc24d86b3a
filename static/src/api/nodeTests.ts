import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "./client";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";
import { POLL_MS, type LogChunk, type ResultInfo } from "./runs";
import type { WorkflowDocument } from "./workflowList";

/** One node test: a run of the workflow's node-test DAG that ran one task on its own. */
export interface NodeTestOut {
  run_id: string;
  workflow_id: string;
  task_id: string;
  state: string | null;
  task_state: string | null;
  try_number: number;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  pinned_run_id: string | null;
  inputs: Record<string, unknown>;
  piece: { repository: string; version: string; name: string };
  triggered_by: string | null;
  has_display_result: boolean;
  outputs: Record<string, unknown> | null;
}

export interface NodeTestRequest {
  task_id: string;
  /** The document as the editor shows it (unsaved edits included); omitted: the saved one. */
  document?: WorkflowDocument;
  params?: Record<string, unknown>;
  pinned_run_id?: string | null;
}

export const nodeTestKeys = {
  all: (workflowId: string) => ["node-tests", workflowId] as const,
  one: (workflowId: string, runId: string) => ["node-tests", workflowId, runId] as const,
};

/** Where a node test's log, result and files live: the same suffixes as a run's task. */
export const nodeTestPath = (workflowId: string, runId: string) => `/workflows/${seg(workflowId)}/node-tests/${seg(runId)}`;

export function isNodeTestActive(test: Pick<NodeTestOut, "state"> | undefined): boolean {
  return Boolean(test && test.state !== "success" && test.state !== "failed");
}

/** The 202 answer while Airflow loads the workflow's node-test DAG (made on its first node test): nothing started yet. */
export interface NodeTestPreparing {
  preparing: true;
  workflow_id: string;
  dag_id: string;
  message: string;
  retry_after_s: number;
}

export function isPreparing(answer: NodeTestOut | NodeTestPreparing): answer is NodeTestPreparing {
  return (answer as NodeTestPreparing).preparing === true;
}

/** How long the panel keeps asking while the node-test DAG is being prepared. */
export const PREPARING_LIMIT_MS = 120_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Start a node test. While the server answers "preparing" (the workflow's first node test: Airflow
 * is loading its test DAG), `onPreparing` gets the server's message and the same request is sent
 * again after the delay the server gives, until the test starts.
 */
export function useStartNodeTest(workflowId: string, onPreparing?: (message: string | null) => void) {
  const sender = useSender();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: NodeTestRequest) => {
      const path = `/workflows/${seg(workflowId)}/node-tests`;
      const deadline = Date.now() + PREPARING_LIMIT_MS;
      try {
        for (;;) {
          const answer = await sender.send<NodeTestOut | NodeTestPreparing>("POST", path, body);
          if (!isPreparing(answer)) return answer;
          if (Date.now() > deadline) {
            throw new ApiError(202, `${answer.message} Airflow has not loaded it after ${PREPARING_LIMIT_MS / 1000} s: check the DAG processor.`);
          }
          onPreparing?.(answer.message);
          await pause(Math.max(500, answer.retry_after_s * 1000));
        }
      } finally {
        onPreparing?.(null);
      }
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: nodeTestKeys.all(workflowId) }),
  });
}

/** The node test, polled until it has finished. */
export function useNodeTest(workflowId: string, runId: string | null) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: nodeTestKeys.one(workflowId, runId ?? ""),
    queryFn: ({ signal }) => api.get<NodeTestOut>(nodeTestPath(workflowId, runId ?? ""), undefined, signal),
    enabled: runId !== null,
    refetchInterval: (query) => (isNodeTestActive(query.state.data) ? POLL_MS : false),
  });
}

export function useNodeTestResultInfo(workflowId: string, runId: string, enabled: boolean) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: [...nodeTestKeys.one(workflowId, runId), "result"],
    queryFn: ({ signal }) => api.get<ResultInfo>(`${nodeTestPath(workflowId, runId)}/result/info`, undefined, signal),
    enabled,
  });
}

/** The whole log of the test's latest try, re-read every few seconds until it is complete. */
export function useNodeTestLog(workflowId: string, runId: string, active: boolean) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: [...nodeTestKeys.one(workflowId, runId), "log"],
    queryFn: ({ signal }) => api.get<LogChunk>(`${nodeTestPath(workflowId, runId)}/logs`, undefined, signal),
    refetchInterval: (query) => (active || !query.state.data?.complete ? POLL_MS : false),
  });
}
