import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";
import { runKeys } from "./runs";

/** A form field of a step: Airflow's serialized param (`value` is the default). */
export interface StepField {
  value?: unknown;
  schema?: { type?: string | string[]; enum?: unknown[]; title?: string; minimum?: number; maximum?: number };
  description?: string | null;
}

/** An approval or input step of a run (Airflow's Human-in-the-loop request and its answer). */
export interface StepOut {
  workflow_id: string;
  workflow_name: string;
  run_id: string;
  task_id: string;
  map_index: number;
  task_state: string | null;
  title: string;
  body: string | null;
  options: string[];
  multiple: boolean;
  fields: Record<string, StepField>;
  on_timeout: string[] | null;
  respondents: { id: string; name: string }[];
  created_at: string | null;
  timeout_at: string | null;
  can_respond: boolean;
  responded_at: string | null;
  responded_by: { id: string; name: string } | null;
  chosen_options: string[] | null;
  params_input: Record<string, unknown>;
}

const POLL_MS = 3000;

export const approvalKeys = {
  all: ["approvals"] as const,
  waiting: ["approvals", "waiting"] as const,
  run: (workflowId: string, runId: string) => ["approvals", "run", workflowId, runId] as const,
};

/** Steps waiting for an answer that the logged-in user may give. */
export function useWaitingSteps() {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: approvalKeys.waiting,
    queryFn: ({ signal }) => api.get<{ items: StepOut[] }>("/approvals/waiting", {}, signal),
    refetchInterval: POLL_MS * 2,
  });
}

/** The steps of one run (answered or waiting). */
/**
 * The run's approval/input steps. Polled while one is unanswered, and while `waiting` (the task
 * whose step is wanted has not finished: its step may not be asked yet).
 */
export function useRunSteps(workflowId: string, runId: string, enabled = true, waiting = false) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: approvalKeys.run(workflowId, runId),
    queryFn: ({ signal }) =>
      api.get<{ items: StepOut[] }>(`/workflows/${seg(workflowId)}/runs/${seg(runId)}/approvals`, {}, signal),
    enabled,
    refetchInterval: (query) => (waiting || query.state.data?.items.some((s) => s.responded_at === null) ? POLL_MS : false),
  });
}

export interface StepAnswer {
  chosen_options: string[];
  params_input: Record<string, unknown>;
}

export function useRespond(step: Pick<StepOut, "workflow_id" | "run_id" | "task_id" | "map_index">) {
  const sender = useSender();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answer: StepAnswer) =>
      sender.send<StepOut>(
        "POST",
        `/workflows/${seg(step.workflow_id)}/runs/${seg(step.run_id)}/tasks/${seg(step.task_id)}/response`,
        { ...answer, map_index: step.map_index },
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: approvalKeys.all });
      void client.invalidateQueries({ queryKey: runKeys.all(step.workflow_id) });
    },
  });
}
