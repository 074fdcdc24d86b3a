import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";
import type { WorkflowDocument } from "./workflowList";
import { workflowKeys } from "./workflowList";

export interface RunOut {
  run_id: string;
  workflow_id: string;
  state: string | null;
  run_type: string;
  logical_date: string | null;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  params: Record<string, unknown>;
  note: string | null;
  revision: { id: number; number: number } | null;
  triggered_by: string | null;
}

export interface TaskOut {
  task_id: string;
  label: string;
  piece: string | { repository?: string; version?: string; name?: string } | null;
  state: string | null;
  try_number: number;
  max_tries: number;
  start_date: string | null;
  end_date: string | null;
  duration_s: number | null;
  has_display_result: boolean;
  /** A task running another workflow: the run it started. */
  child_run?: RunLink | null;
}

/** A run of another workflow linked from this one (`task_id`: the parent's task that started it). */
export interface RunLink {
  workflow_id: string;
  run_id: string;
  task_id?: string | null;
}

export interface RunDetail extends RunOut {
  tasks: TaskOut[];
  /** Set when another workflow's task started this run. */
  parent_run?: RunLink | null;
  revision_document: WorkflowDocument | null;
}

export interface LogLineObject {
  event?: string;
  timestamp?: string;
  level?: string;
  [key: string]: unknown;
}

export interface LogChunk {
  lines: (string | LogLineObject)[];
  next_offset: number;
  complete: boolean;
  try_number: number;
}

export interface ResultInfo {
  file_type: string;
  relative_path: string;
  size: number | null;
  url: string;
  /** The task's results folder as its piece saw it: file references under it go to …/files/. */
  results_folder: string;
}

export interface RunReport {
  run: RunOut;
  tasks: {
    task_id: string;
    label: string;
    state: string | null;
    outputs: Record<string, unknown> | null;
    display_result: { file_type: string; url: string; results_folder: string } | null;
  }[];
}

/** Run states after which nothing changes on its own. */
export const FINISHED_RUN_STATES = new Set(["success", "failed"]);
const FINISHED_TASK_STATES = new Set(["success", "failed", "skipped", "upstream_failed", "removed"]);

export function isRunActive(run: Pick<RunOut, "state"> | undefined): boolean {
  return Boolean(run && !FINISHED_RUN_STATES.has(run.state ?? ""));
}

export function isTaskActive(task: Pick<TaskOut, "state"> | undefined): boolean {
  return Boolean(task && !FINISHED_TASK_STATES.has(task.state ?? ""));
}

export const runKeys = {
  all: (workflowId: string) => ["runs", workflowId] as const,
  list: (workflowId: string, params: { state: string; limit: number; offset: number }) =>
    ["runs", workflowId, "list", params] as const,
  detail: (workflowId: string, runId: string) => ["runs", workflowId, "detail", runId] as const,
  outputs: (workflowId: string, runId: string, taskId: string) => ["runs", workflowId, "outputs", runId, taskId] as const,
  resultInfo: (workflowId: string, runId: string, taskId: string) => ["runs", workflowId, "result", runId, taskId] as const,
  report: (workflowId: string, runId: string) => ["runs", workflowId, "report", runId] as const,
};

export const runPath = (workflowId: string, runId: string) => `/workflows/${seg(workflowId)}/runs/${seg(runId)}`;
export const taskPath = (workflowId: string, runId: string, taskId: string) =>
  `${runPath(workflowId, runId)}/tasks/${seg(taskId)}`;

export const POLL_MS = 2000;

export function useRuns(workflowId: string, params: { state: string; limit: number; offset: number }) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: runKeys.list(workflowId, params),
    queryFn: ({ signal }) =>
      api.get<{ items: RunOut[]; total?: number }>(
        `/workflows/${seg(workflowId)}/runs`,
        { state: params.state || undefined, limit: params.limit, offset: params.offset },
        signal,
      ),
    // No workflow yet (a new, unsaved one): nothing to ask for (it would be `/workflows//runs`, a 404).
    enabled: workflowId !== "",
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((run) => isRunActive(run)) ? POLL_MS * 2 : 30_000),
  });
}

/** The run with its task states; polls while it is not finished, so the graph updates live. */
export function useRun(workflowId: string, runId: string) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: runKeys.detail(workflowId, runId),
    queryFn: ({ signal }) => api.get<RunDetail>(runPath(workflowId, runId), undefined, signal),
    refetchInterval: (query) => {
      const run = query.state.data;
      if (!run) return false;
      return isRunActive(run) || run.tasks.some((task) => isTaskActive(task) && task.state) ? POLL_MS : false;
    },
  });
}

/** The task's outputs; `mapIndex`: one instance of a for-each task. */
export function useTaskOutputs(workflowId: string, runId: string, taskId: string, taskState: string | null, mapIndex?: number) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: [...runKeys.outputs(workflowId, runId, taskId), taskState, mapIndex ?? null],
    queryFn: ({ signal }) =>
      api.get<{ outputs: Record<string, unknown> | null }>(`${taskPath(workflowId, runId, taskId)}/outputs`, mapIndex === undefined ? undefined : { map_index: mapIndex }, signal),
  });
}

export function useResultInfo(workflowId: string, runId: string, taskId: string, enabled: boolean) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: runKeys.resultInfo(workflowId, runId, taskId),
    queryFn: ({ signal }) => api.get<ResultInfo>(`${taskPath(workflowId, runId, taskId)}/result/info`, undefined, signal),
    enabled,
  });
}

export function useRunReport(workflowId: string, runId: string) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: runKeys.report(workflowId, runId),
    queryFn: ({ signal }) => api.get<RunReport>(`${runPath(workflowId, runId)}/report`, undefined, signal),
  });
}

export function useTriggerRun(workflowId: string) {
  const sender = useSender();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (params: Record<string, unknown>) =>
      sender.send<RunOut>("POST", `/workflows/${seg(workflowId)}/runs`, { params }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: runKeys.all(workflowId) });
      void client.invalidateQueries({ queryKey: workflowKeys.all });
    },
  });
}

export function useRunActions(workflowId: string, runId: string) {
  const sender = useSender();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: runKeys.all(workflowId) });
  return {
    cancel: useMutation({
      mutationFn: () => sender.send<unknown>("POST", `${runPath(workflowId, runId)}/cancel`),
      onSuccess: refresh,
    }),
    clear: useMutation({
      mutationFn: ({ taskId, downstream }: { taskId: string; downstream: boolean }) =>
        sender.send<unknown>("POST", `${taskPath(workflowId, runId, taskId)}/clear`, { downstream }),
      onSuccess: refresh,
    }),
  };
}

export interface FollowedLog {
  lines: (string | LogLineObject)[];
  complete: boolean;
  error: unknown;
  loading: boolean;
}

/**
 * A task's log, fetched incrementally from `next_offset` and followed (polled) until the API
 * says it is complete. Starts over when the task or try changes.
 */
export function useFollowedLog(
  workflowId: string,
  runId: string,
  taskId: string,
  tryNumber: number | undefined,
  active: boolean,
  /** One instance of a for-each task (its map index). */
  mapIndex?: number,
): FollowedLog {
  const sender = useSender();
  const [state, setState] = useState<FollowedLog & { key: string }>({ key: "", lines: [], complete: false, error: null, loading: true });
  const key = `${workflowId}/${runId}/${taskId}/${tryNumber ?? ""}/${mapIndex ?? ""}`;
  const activeRef = useRef(active);
  useEffect(() => {
    activeRef.current = active;
  }, [active]);

  useEffect(() => {
    let offset = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    setState({ key, lines: [], complete: false, error: null, loading: true });

    async function poll() {
      try {
        const response = await sender.raw(
          `${taskPath(workflowId, runId, taskId)}/logs`,
          { try_number: tryNumber, offset, map_index: mapIndex },
          controller.signal,
        );
        const chunk = (await response.json()) as LogChunk;
        if (stopped) return;
        offset = chunk.next_offset ?? offset + chunk.lines.length;
        setState((previous) => ({
          key,
          lines: chunk.lines.length ? [...previous.lines, ...chunk.lines] : previous.lines,
          complete: chunk.complete,
          error: null,
          loading: false,
        }));
        if (!chunk.complete) timer = setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        if (stopped || (error instanceof DOMException && error.name === "AbortError")) return;
        setState((previous) => ({ ...previous, error, loading: false }));
        // Keep following a running task through transient failures.
        if (activeRef.current) timer = setTimeout(() => void poll(), POLL_MS * 2);
      }
    }
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [sender, workflowId, runId, taskId, tryNumber, mapIndex, key]);

  return state.key === key ? state : { lines: [], complete: false, error: null, loading: true };
}
