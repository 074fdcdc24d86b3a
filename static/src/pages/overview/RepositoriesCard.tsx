import { Badge, Code, Text } from "@chakra-ui/react";
import { useAppEnvironment } from "../../api/context";
import { useRepositories } from "../../api/queries";
import type { Repository } from "../../api/types";
import { DataTable, type DataColumn } from "../../components/DataTable";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { SectionCard } from "../../components/SectionCard";
import { pageCountNote } from "../../lib/format";

const PAGE = { limit: 50, offset: 0 };

export function RepositoriesCard() {
  const query = useRepositories(PAGE);
  const { apiRoot } = useAppEnvironment().urls;
  return (
    <SectionCard id="repositories-heading" title="Installed repositories" aside={pageCountNote(query.data)}>
      <QueryContent
        query={query}
        what="repositories"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Text color="fg.muted">
            No repositories installed yet — install one from the Pieces page, or with the REST API (
            <Code>POST {apiRoot}/repositories/installs</Code>).
          </Text>
        }
      >
        {(page) => <RepositoriesTable items={page.items} />}
      </QueryContent>
    </SectionCard>
  );
}

const REPOSITORY_COLUMNS: DataColumn<Repository>[] = [
  { key: "name", header: "Name", cellProps: { fontWeight: "medium" }, cell: (repo) => repo.name },
  { key: "label", header: "Label", cell: (repo) => repo.label },
  { key: "version", header: "Version", cell: (repo) => <Code>{repo.version}</Code> },
  {
    key: "source",
    header: "Source",
    cellProps: { maxW: "sm" },
    cell: (repo) => (
      <>
        <Badge variant="subtle" me="2">
          {repo.source_type}
        </Badge>
        <Text as="span" textStyle="sm" color="fg.muted" title={repo.source_url} truncate display="inline-block" maxW="72" verticalAlign="bottom">
          {repo.source_url}
        </Text>
      </>
    ),
  },
  { key: "pieces", header: "Pieces", align: "end", cell: (repo) => repo.piece_count },
  {
    key: "installed",
    header: "Installed",
    cell: (repo) => (
      <>
        <DateTime value={repo.installed_at} />
        <Text as="span" color="fg.muted">
          {" "}
          by {repo.installed_by}
        </Text>
      </>
    ),
  },
];

function RepositoriesTable({ items }: { items: Repository[] }) {
  return <DataTable labelledBy="repositories-heading" columns={REPOSITORY_COLUMNS} rows={items} rowKey={(repo) => String(repo.id)} />;
}
