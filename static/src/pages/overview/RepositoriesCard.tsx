import { Badge, Code, Table, Text } from "@chakra-ui/react";
import { useAppEnvironment } from "../../api/context";
import { useRepositories } from "../../api/queries";
import type { Repository } from "../../api/types";
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

function RepositoriesTable({ items }: { items: Repository[] }) {
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-labelledby="repositories-heading">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader>Label</Table.ColumnHeader>
            <Table.ColumnHeader>Version</Table.ColumnHeader>
            <Table.ColumnHeader>Source</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Pieces</Table.ColumnHeader>
            <Table.ColumnHeader>Installed</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {items.map((repo) => (
            <Table.Row key={repo.id}>
              <Table.Cell fontWeight="medium">{repo.name}</Table.Cell>
              <Table.Cell>{repo.label}</Table.Cell>
              <Table.Cell>
                <Code>{repo.version}</Code>
              </Table.Cell>
              <Table.Cell maxW="sm">
                <Badge variant="subtle" me="2">
                  {repo.source_type}
                </Badge>
                <Text as="span" textStyle="sm" color="fg.muted" title={repo.source_url} truncate display="inline-block" maxW="72" verticalAlign="bottom">
                  {repo.source_url}
                </Text>
              </Table.Cell>
              <Table.Cell textAlign="end">{repo.piece_count}</Table.Cell>
              <Table.Cell>
                <DateTime value={repo.installed_at} />
                <Text as="span" color="fg.muted">
                  {" "}
                  by {repo.installed_by}
                </Text>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
