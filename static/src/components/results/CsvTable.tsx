import { Box, Table, Text } from "@chakra-ui/react";
import { useMemo } from "react";
import { csvTable } from "./csv";

export function CsvTable({ text, label }: { text: string; label: string }) {
  const { header, body, omitted } = useMemo(() => csvTable(text), [text]);
  if (header.length === 0) return <Text color="fg.muted">The CSV file is empty.</Text>;
  return (
    <Box>
      <Table.ScrollArea borderWidth="1px" borderRadius="md" maxH="480px" tabIndex={0} role="region" aria-label={label}>
        <Table.Root size="sm" stickyHeader interactive aria-label={label}>
          <Table.Header>
            <Table.Row>
              {header.map((cell, index) => (
                <Table.ColumnHeader key={index}>{cell}</Table.ColumnHeader>
              ))}
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {body.map((row, rowIndex) => (
              <Table.Row key={rowIndex}>
                {header.map((_, index) => (
                  <Table.Cell key={index} fontFamily={/^-?[\d.,]+$/.test(row[index] ?? "") ? "mono" : undefined}>
                    {row[index] ?? ""}
                  </Table.Cell>
                ))}
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
      {omitted > 0 && (
        <Text textStyle="sm" color="fg.muted" mt="1">
          {omitted} more row(s) not shown; download the file to see all of them.
        </Text>
      )}
    </Box>
  );
}
