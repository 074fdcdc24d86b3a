import { Box, Button, HStack, Stack, Table, Text } from "@chakra-ui/react";
import { useState, type ReactNode } from "react";
import { JsonView } from "./JsonView";
import { cellText, isInlineList, shapeOf, type Shape } from "./valueShape";

interface ValueViewProps {
  value: unknown;
  /** Names the value for assistive technology, e.g. "Outputs of fetch". */
  label: string;
  /** Offer a "Raw JSON" switch (top level only). */
  raw?: boolean;
}

const MAX_DEPTH = 4;

function Scalar({ shape }: { shape: Extract<Shape, { kind: "scalar" }> }) {
  return (
    <Text as="span" fontFamily={shape.type === "string" ? undefined : "mono"} color={shape.type === "null" ? "fg.muted" : undefined} wordBreak="break-word">
      {shape.text === "" ? <Text as="span" color="fg.muted">(empty text)</Text> : shape.text}
    </Text>
  );
}

function ObjectTable({ columns, rows, omitted, label }: { columns: string[]; rows: Record<string, unknown>[]; omitted: number; label: string }) {
  return (
    <Box minW="0">
      <Table.ScrollArea borderWidth="1px" borderRadius="md" maxH="420px" tabIndex={0} role="region" aria-label={`${label} (scrollable)`}>
        <Table.Root size="sm" stickyHeader aria-label={label}>
          <Table.Header>
            <Table.Row>
              {columns.map((column) => (
                <Table.ColumnHeader key={column}>{column}</Table.ColumnHeader>
              ))}
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((row, index) => (
              <Table.Row key={index}>
                {columns.map((column) => {
                  const cell = row[column];
                  return (
                    <Table.Cell key={column} fontFamily={typeof cell === "number" || (cell !== null && typeof cell === "object") ? "mono" : undefined} textAlign={typeof cell === "number" ? "end" : undefined}>
                      {cellText(cell)}
                    </Table.Cell>
                  );
                })}
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
      {omitted > 0 && (
        <Text textStyle="xs" color="fg.muted" mt="1">
          {omitted} more row(s) not shown.
        </Text>
      )}
    </Box>
  );
}

function Value({ value, label, depth }: { value: unknown; label: string; depth: number }): ReactNode {
  const shape = shapeOf(value);
  switch (shape.kind) {
    case "scalar":
      return <Scalar shape={shape} />;
    case "empty":
      return (
        <Text as="span" color="fg.muted">
          ({shape.text})
        </Text>
      );
    case "text":
      return (
        <Box as="pre" fontFamily="mono" fontSize="xs" whiteSpace="pre-wrap" wordBreak="break-word" bg="bg.subtle" p="2" borderRadius="sm" maxH="240px" overflow="auto" m="0">
          {shape.text}
        </Box>
      );
    case "table":
      return <ObjectTable columns={shape.columns} rows={shape.rows} omitted={shape.omitted} label={label} />;
    case "list":
      if (isInlineList(shape.items)) {
        return (
          <HStack as="ul" gap="1" wrap="wrap" aria-label={label}>
            {shape.items.map((item, index) => (
              <Box as="li" key={index} listStyleType="none" bg="bg.muted" px="1.5" borderRadius="sm" fontFamily={typeof item === "string" ? undefined : "mono"} textStyle="sm">
                {cellText(item) || "\u00a0"}
              </Box>
            ))}
          </HStack>
        );
      }
      if (depth >= MAX_DEPTH) return <JsonView value={shape.items} label={label} maxH="240px" />;
      return (
        <Stack as="ol" gap="1" ps="5" listStyleType="decimal" aria-label={label}>
          {shape.items.map((item, index) => (
            <Box as="li" key={index}>
              <Value value={item} label={`${label} [${index}]`} depth={depth + 1} />
            </Box>
          ))}
        </Stack>
      );
    case "record":
      if (depth >= MAX_DEPTH) return <JsonView value={value} label={label} maxH="240px" />;
      return (
        <Table.Root size="sm" variant="outline" aria-label={label} className="domino-key-values" tableLayout="auto">
          <Table.Body>
            {shape.entries.map(([key, item]) => (
              <Table.Row key={key}>
                <Table.Cell as="th" scope="row" fontWeight="semibold" verticalAlign="top" whiteSpace="nowrap" w="1%" bg="bg.subtle">
                  {key}
                </Table.Cell>
                <Table.Cell verticalAlign="top" minW="0">
                  <Value value={item} label={`${label}: ${key}`} depth={depth + 1} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      );
  }
}

/** A JSON value laid out for reading: objects as key/value rows, arrays of objects as tables. */
export function ValueView({ value, label, raw = true }: ValueViewProps) {
  const [showRaw, setShowRaw] = useState(false);
  return (
    <Stack gap="1" minW="0" role="region" aria-label={label} className="domino-value-view">
      {raw && (
        <Button size="2xs" variant="ghost" alignSelf="flex-end" className="no-print" aria-pressed={showRaw} onClick={() => setShowRaw((previous) => !previous)}>
          {showRaw ? "Readable view" : "Raw JSON"}
        </Button>
      )}
      {showRaw ? <JsonView value={value} label={`${label} (JSON)`} /> : <Value value={value} label={label} depth={0} />}
    </Stack>
  );
}
