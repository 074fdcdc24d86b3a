import { Badge, Box, HStack, Link, Stack, Table, Text } from "@chakra-ui/react";
import { useParams } from "react-router";
import { useCatalogPiece, type JsonSchema } from "../../api/repositories";
import { QueryContent } from "../../components/QueryContent";
import { SectionCard } from "../../components/SectionCard";
import { PageHeading } from "../../components/PageHeading";
import { schemaRows } from "./schemaRows";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { Breadcrumbs } from "../../components/Breadcrumbs";

function SchemaTable({ id, title, schema, kind }: { id: string; title: string; schema: JsonSchema; kind: "inputs" | "outputs" | "secrets" }) {
  const rows = schemaRows(schema);
  return (
    <SectionCard id={id} title={title} aside={`${rows.length} field(s)`}>
      {rows.length === 0 ? (
        <Text color="fg.muted">This piece declares no {kind}.</Text>
      ) : (
        <Table.ScrollArea>
          <Table.Root size="sm" aria-labelledby={id}>
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Name</Table.ColumnHeader>
                <Table.ColumnHeader>Type</Table.ColumnHeader>
                {kind !== "outputs" && <Table.ColumnHeader>Required</Table.ColumnHeader>}
                {kind === "inputs" && <Table.ColumnHeader>Default</Table.ColumnHeader>}
                <Table.ColumnHeader>Description</Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((row) => (
                <Table.Row key={row.name}>
                  <Table.Cell fontFamily="mono" textStyle="sm" fontWeight="medium">
                    {row.name}
                  </Table.Cell>
                  <Table.Cell fontFamily="mono" textStyle="xs">
                    {row.type}
                  </Table.Cell>
                  {kind !== "outputs" && <Table.Cell>{row.required ? <Badge colorPalette="orange">required</Badge> : <Text color="fg.muted">optional</Text>}</Table.Cell>}
                  {kind === "inputs" && (
                    <Table.Cell fontFamily="mono" textStyle="xs" maxW="48" truncate title={row.default ?? undefined}>
                      {row.default ?? "—"}
                    </Table.Cell>
                  )}
                  <Table.Cell textStyle="sm">
                    {row.description ? <InlineMarkdown text={row.description} /> : null}
                    {row.fromUpstream === "always" && <Text color="fg.muted" textStyle="xs">Must come from an upstream task.</Text>}
                    {row.fromUpstream === "never" && <Text color="fg.muted" textStyle="xs">Cannot come from an upstream task.</Text>}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
    </SectionCard>
  );
}

export function PieceDocPage() {
  const { pieceId = "" } = useParams();
  const piece = useCatalogPiece(pieceId);
  return (
    <Stack gap="4">
      <Breadcrumbs trail={[{ label: "Pieces", to: "/pieces" }]} current={piece.data?.name ?? pieceId} />
      <QueryContent query={piece} what="piece" isEmpty={() => false} empty={null}>
        {(data) => (
          <Stack gap="4">
            <PageHeading title={data.name} description={`${data.repository} ${data.version}`}>
              {data.source_url && (
                <Link href={data.source_url} target="_blank" rel="noopener noreferrer" color="brand.fg" textStyle="sm" textDecoration="underline">
                  Source code ↗
                </Link>
              )}
            </PageHeading>
            <Box>
              <Text whiteSpace="pre-wrap">{data.description ? <InlineMarkdown text={data.description} /> : "This piece has no description."}</Text>
              {data.tags.length > 0 && (
                <HStack gap="1" mt="2" wrap="wrap">
                  {data.tags.map((tag) => (
                    <Badge key={tag} variant="outline">
                      {tag}
                    </Badge>
                  ))}
                </HStack>
              )}
            </Box>
            <SchemaTable id="inputs-heading" title="Inputs" schema={data.input_schema} kind="inputs" />
            <SchemaTable id="outputs-heading" title="Outputs" schema={data.output_schema} kind="outputs" />
            <SchemaTable id="secrets-heading" title="Secrets" schema={data.secrets_schema} kind="secrets" />
          </Stack>
        )}
      </QueryContent>
    </Stack>
  );
}
