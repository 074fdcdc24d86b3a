import { Heading, Stack } from "@chakra-ui/react";
import { RepositoriesCard } from "./RepositoriesCard";
import { WorkflowsCard } from "./WorkflowsCard";

export function OverviewPage() {
  return (
    <Stack gap="5">
      <Heading as="h2" size="xl">
        Overview
      </Heading>
      <RepositoriesCard />
      <WorkflowsCard />
    </Stack>
  );
}
