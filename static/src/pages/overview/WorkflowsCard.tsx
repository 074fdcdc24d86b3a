import { Badge, Code, HStack, Table, Text } from "@chakra-ui/react";
import { useAppEnvironment } from "../../api/context";
import { useWorkflows } from "../../api/queries";
import type { WorkflowSummary } from "../../api/types";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { SectionCard } from "../../components/SectionCard";
import { pageCountNote } from "../../lib/format";

const PARAMS = { limit: 50, offset: 0, search: "" };

export function WorkflowsCard() {
  const query = useWorkflows(PARAMS);
  const { apiRoot } = useAppEnvironment().urls;
  return (
    <SectionCard id="workflows-heading" title="Workflows" aside={pageCountNote(query.data)}>
      <QueryContent
        query={query}
        what="workflows"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Text color="fg.muted">
            No workflows yet — create one with “New workflow” on the Workflows page, or save one through the REST
            API (<Code>POST {apiRoot}/workflows</Code>).
          </Text>
        }
      >
        {(page) => <WorkflowsTable items={page.items} />}
      </QueryContent>
    </SectionCard>
  );
}

function WorkflowsTable({ items }: { items: WorkflowSummary[] }) {
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-labelledby="workflows-heading">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader>ID</Table.ColumnHeader>
            <Table.ColumnHeader>Schedule</Table.ColumnHeader>
            <Table.ColumnHeader>Tags</Table.ColumnHeader>
            <Table.ColumnHeader>Revision</Table.ColumnHeader>
            <Table.ColumnHeader>Last change</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {items.map((workflow) => (
            <WorkflowRow key={workflow.id} workflow={workflow} />
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

function WorkflowRow({ workflow }: { workflow: WorkflowSummary }) {
  const changedBy = workflow.updated_by ?? workflow.revision?.author;
  return (
            <Table.Row>
              <Table.Cell fontWeight="medium" title={workflow.description || undefined}>
                {workflow.name}
              </Table.Cell>
              <Table.Cell>
                <Code>{workflow.id}</Code>
              </Table.Cell>
              <Table.Cell>
                {workflow.schedule ? <Code>{workflow.schedule}</Code> : <Text as="span" color="fg.muted">None</Text>}
              </Table.Cell>
              <Table.Cell>
                <HStack gap="1" wrap="wrap">
                  {workflow.tags.map((tag) => (
                    <Badge key={tag} variant="outline">
                      {tag}
                    </Badge>
                  ))}
                </HStack>
              </Table.Cell>
              <Table.Cell>
                {workflow.revision ? (
                  <Text as="span" title={revisionTitle(workflow)}>
                    #{workflow.revision.number}
                    <Text as="span" color="fg.muted">
                      {" "}
                      by {workflow.revision.author}
                    </Text>
                  </Text>
                ) : (
                  <Text as="span" color="fg.muted">
                    none
                  </Text>
                )}
              </Table.Cell>
              <Table.Cell>
                <DateTime value={workflow.updated_at} relative />
                {changedBy ? (
                  <Text as="span" color="fg.muted">
                    {" "}
                    by {changedBy}
                  </Text>
                ) : null}
              </Table.Cell>
            </Table.Row>
  );
}

function revisionTitle(workflow: WorkflowSummary): string | undefined {
  const revision = workflow.revision;
  if (!revision) return undefined;
  return `Revision ${revision.number} by ${revision.author}${revision.message ? `: ${revision.message}` : ""}`;
}
