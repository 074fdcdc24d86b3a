import { Button, Stack, Text } from "@chakra-ui/react";
import { Link as RouterLink } from "react-router";
import { useWaitingSteps } from "../../api/approvals";
import { PageHeading } from "../../components/PageHeading";
import { QueryContent } from "../../components/QueryContent";
import { useDocumentTitle } from "../../components/useDocumentTitle";
import { StepCard } from "./StepCard";

/** "Waiting for you": approval and input steps of running workflows that the user may answer. */
export function ApprovalsPage() {
  useDocumentTitle("Waiting for you");
  const steps = useWaitingSteps();
  return (
    <Stack gap="4">
      <PageHeading title="Waiting for you" description="Approval and input steps of running workflows that you may answer." />
      <QueryContent query={steps} what="waiting steps" isEmpty={(data) => data.items.length === 0} empty={<Text color="fg.muted">Nothing is waiting for you.</Text>}>
        {(data) => (
          <Stack gap="3">
            {data.items.map((step) => (
              <Stack key={`${step.workflow_id}/${step.run_id}/${step.task_id}/${step.map_index}`} gap="1">
                <StepCard step={step} showRun />
                <Button asChild size="xs" variant="ghost" alignSelf="flex-start">
                  <RouterLink to={`/workflows/${encodeURIComponent(step.workflow_id)}/runs/${encodeURIComponent(step.run_id)}`}>Open the run</RouterLink>
                </Button>
              </Stack>
            ))}
          </Stack>
        )}
      </QueryContent>
    </Stack>
  );
}
