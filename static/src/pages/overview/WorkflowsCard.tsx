import { Badge, Code, HStack, Text } from "@chakra-ui/react";
import { useAppEnvironment } from "../../api/context";
import { useWorkflows } from "../../api/queries";
import type { WorkflowSummary } from "../../api/types";
import { DataTable, type DataColumn } from "../../components/DataTable";
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

const WORKFLOW_COLUMNS: DataColumn<WorkflowSummary>[] = [
  { key: "name", header: "Name", cellProps: (workflow) => ({ fontWeight: "medium", title: workflow.description || undefined }), cell: (workflow) => workflow.name },
  { key: "id", header: "ID", cell: (workflow) => <Code>{workflow.id}</Code> },
  {
    key: "schedule",
    header: "Schedule",
    cell: (workflow) => (workflow.schedule ? <Code>{workflow.schedule}</Code> : <Text as="span" color="fg.muted">None</Text>),
  },
  {
    key: "tags",
    header: "Tags",
    cell: (workflow) => (
      <HStack gap="1" wrap="wrap">
        {workflow.tags.map((tag) => (
          <Badge key={tag} variant="outline">
            {tag}
          </Badge>
        ))}
      </HStack>
    ),
  },
  {
    key: "revision",
    header: "Revision",
    cell: (workflow) =>
      workflow.revision ? (
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
      ),
  },
  {
    key: "changed",
    header: "Last change",
    cell: (workflow) => {
      const changedBy = workflow.updated_by ?? workflow.revision?.author;
      return (
        <>
          <DateTime value={workflow.updated_at} relative />
          {changedBy ? (
            <Text as="span" color="fg.muted">
              {" "}
              by {changedBy}
            </Text>
          ) : null}
        </>
      );
    },
  },
];

function WorkflowsTable({ items }: { items: WorkflowSummary[] }) {
  return <DataTable labelledBy="workflows-heading" columns={WORKFLOW_COLUMNS} rows={items} rowKey={(workflow) => workflow.id} />;
}

function revisionTitle(workflow: WorkflowSummary): string | undefined {
  const revision = workflow.revision;
  if (!revision) return undefined;
  return `Revision ${revision.number} by ${revision.author}${revision.message ? `: ${revision.message}` : ""}`;
}
