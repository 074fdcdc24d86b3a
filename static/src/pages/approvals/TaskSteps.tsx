import { Stack } from "@chakra-ui/react";
import { useRunSteps } from "../../api/approvals";
import { StepCard } from "./StepCard";

/** In the run page's task panel: the task's approval/input step (if it is one), answerable there. */
export function TaskSteps({ workflowId, runId, taskId, waiting = false }: { workflowId: string; runId: string; taskId: string; waiting?: boolean }) {
  // While the task has not finished its step may not be asked yet: keep looking (`waiting`).
  const steps = useRunSteps(workflowId, runId, true, waiting);
  const mine = (steps.data?.items ?? []).filter((step) => step.task_id === taskId);
  if (mine.length === 0) return null;
  return (
    <Stack gap="2">
      {mine.map((step) => (
        <StepCard key={step.map_index} step={step} />
      ))}
    </Stack>
  );
}
