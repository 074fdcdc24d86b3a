import { Box, Button, ButtonGroup, HStack, Stack, Table, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";

/** Chakra style props a cell or header may carry (width, alignment, text style, title…). */
type CellStyle = Omit<Table.CellProps, "children">;

export interface DataColumn<T> {
  /** Unique within the table; React key of the header and cells. */
  key: string;
  /** Header text. An empty header (the actions column) is read out as `srHeader`. */
  header: ReactNode;
  /** Header for screen readers only (e.g. "Actions" over a column of buttons). */
  srHeader?: string;
  cell: (row: T) => ReactNode;
  align?: "start" | "end";
  /** Shown from 1280 px on only: at 1024 px the table fits with its actions. */
  wideOnly?: boolean;
  /** Stays in view at the right edge when the table scrolls sideways (the row's actions). */
  sticky?: boolean;
  /** Extra style of each cell, the same for every row or per row. */
  cellProps?: CellStyle | ((row: T) => CellStyle);
}

export interface DataTableProps<T> {
  columns: DataColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** data-* attributes (and style) of a row, e.g. `{ "data-run": run.run_id }` for tests and deep links. */
  rowProps?: (row: T) => Omit<Table.RowProps, "children"> & { [data: `data-${string}`]: string | undefined };
  /** What the table is called (aria-label) — or `labelledBy`, the id of a heading that names it. */
  label?: string;
  labelledBy?: string;
  /** Rows highlight on hover (rows with links or buttons). */
  interactive?: boolean;
  /** A border around the table (standalone tables; tables inside a card have none). */
  bordered?: boolean;
  /** Shown instead of the table when `rows` is empty. */
  empty?: ReactNode;
  /** Previous/next below the table. */
  pager?: PagerProps;
}

/** The small text style most list cells use. */
export const SMALL: Omit<Table.CellProps, "children"> = { textStyle: "sm" };

const WIDE_ONLY = { base: "none", xl: "table-cell" } as const;
const STICKY_END = { position: "sticky", right: "0", bg: "bg", zIndex: "1" } as const;

function columnStyle<T>(column: DataColumn<T>): CellStyle {
  return {
    ...(column.align === "end" ? { textAlign: "end" } : {}),
    ...(column.wideOnly ? { display: WIDE_ONLY } : {}),
    ...(column.sticky ? STICKY_END : {}),
  };
}

/** The last column: a row's buttons, right-aligned, headed "Actions" for screen readers only; `sticky` keeps it in view
 * when a long name makes the table scroll sideways (the workflows list at 1024 px). */
export function actionsColumn<T>(cell: (row: T) => ReactNode, { sticky = false }: { sticky?: boolean } = {}): DataColumn<T> {
  return {
    key: "actions",
    header: null,
    srHeader: "Actions",
    align: "end",
    sticky,
    cell: (row) => (
      <HStack gap="1" justify="flex-end">
        {cell(row)}
      </HStack>
    ),
  };
}

/** One table of the GUI's lists: header, rows, empty state and pager written once. */
export function DataTable<T>({ columns, rows, rowKey, rowProps, label, labelledBy, interactive, bordered, empty, pager }: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const table = (
    <Table.ScrollArea {...(bordered ? { borderWidth: "1px", borderRadius: "md" } : {})}>
      <Table.Root size="sm" interactive={interactive} aria-label={label} aria-labelledby={labelledBy}>
        <Table.Header>
          <Table.Row>
            {columns.map((column) => (
              <Table.ColumnHeader key={column.key} {...columnStyle(column)}>
                {column.header}
                {column.srHeader && (
                  <Box as="span" srOnly>
                    {column.srHeader}
                  </Box>
                )}
              </Table.ColumnHeader>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) => {
                const extra = typeof column.cellProps === "function" ? column.cellProps(row) : column.cellProps;
                return (
                  <Table.Cell key={column.key} {...columnStyle(column)} {...extra}>
                    {column.cell(row)}
                  </Table.Cell>
                );
              })}
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
  if (!pager) return table;
  return (
    <Stack gap="2">
      {table}
      <Pager {...pager} />
    </Stack>
  );
}

export interface PagerProps {
  /** 0-based. */
  page: number;
  pageSize: number;
  /** Rows on this page. */
  count: number;
  /** All rows, where the API counts them ("26–50 of 80"); without it, a full page means there may be a next. */
  total?: number;
  onPage: (page: number) => void;
}

/** "26–50 of 80" and Previous/Next; the buttons only when there is more than one page. */
export function Pager({ page, pageSize, count, total, onPage }: PagerProps) {
  const hasNext = total !== undefined ? (page + 1) * pageSize < total : count === pageSize;
  const range = total ? `${page * pageSize + 1}–${page * pageSize + count} of ${total}` : "";
  if (!range && page === 0 && !hasNext) return null;
  return (
    <HStack justify="space-between">
      <Text textStyle="sm" color="fg.muted">
        {range}
      </Text>
      {(page > 0 || hasNext) && (
        <ButtonGroup size="xs" variant="outline" attached>
          <Button disabled={page === 0} onClick={() => onPage(page - 1)}>
            Previous
          </Button>
          <Button disabled={!hasNext} onClick={() => onPage(page + 1)}>
            Next
          </Button>
        </ButtonGroup>
      )}
    </HStack>
  );
}

/** The bordered, centred "nothing here" box of a list page: a line in bold and an optional hint. */
export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Box borderWidth="1px" borderRadius="md" p="6" textAlign="center">
      <Text fontWeight="medium">{title}</Text>
      {children && (
        <Text color="fg.muted" mt="1">
          {children}
        </Text>
      )}
    </Box>
  );
}
