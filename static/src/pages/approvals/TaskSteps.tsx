import { Stack } from "@chakra-ui/react";
import { useRunSteps } from "../../api/approvals";
import { StepCard } from "./StepCard";

/** In the run page's task panel: the task's approval/input step (if it is one), answerable there. */
export function TaskSteps({ workflowId, runId, taskId }: { workflowId: string; runId: string; taskId: string }) {
  const steps = useRunSteps(workflowId, runId);
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
