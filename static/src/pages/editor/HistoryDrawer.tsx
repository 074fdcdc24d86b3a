import { Badge, Box, Button, CloseButton, Drawer, HStack, NativeSelect, Portal, Spinner, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { useRevisionDiff, useRevisions, type FieldChange, type WorkflowDiff } from "../../api/workflows";
import { formatDateTime } from "../../lib/format";
import { DataTable, type DataColumn } from "../../components/DataTable";
import { useOpenedOnce } from "../../components/useOpenedOnce";

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

const CHANGE_COLUMNS: DataColumn<FieldChange>[] = [
  { key: "path", header: "Field", cell: (c) => <code>{c.path}</code> },
  {
    key: "old",
    header: "Before",
    cellProps: (c) => ({ color: c.kind === "added" ? "fg.muted" : "fg.error", wordBreak: "break-all" }),
    cell: (c) => (c.kind === "added" ? "(not set)" : show(c.old)),
  },
  {
    key: "new",
    header: "After",
    cellProps: (c) => ({ color: c.kind === "removed" ? "fg.muted" : "fg.success", wordBreak: "break-all" }),
    cell: (c) => (c.kind === "removed" ? "(removed)" : show(c.new)),
  },
];

function ChangesTable({ changes }: { changes: FieldChange[] }) {
  return <DataTable columns={CHANGE_COLUMNS} rows={changes} rowKey={(c) => `${c.kind}:${c.path}`} bordered />;
}

export function DiffView({ diff }: { diff: WorkflowDiff }) {
  if (!diff.has_changes) return <Text color="fg.muted">No changes{diff.ui_changed ? " except the layout" : ""}.</Text>;
  return (
    <Stack gap="3" data-testid="revision-diff">
      {diff.settings.length > 0 ? (
        <Box>
          <Text fontWeight="semibold" textStyle="sm">
            Settings
          </Text>
          <ChangesTable changes={diff.settings} />
        </Box>
      ) : null}
      {diff.tasks.added.length + diff.tasks.removed.length > 0 ? (
        <HStack wrap="wrap" gap="1">
          {diff.tasks.added.map((t) => (
            <Badge key={`+${t}`} colorPalette="green">
              + task {t}
            </Badge>
          ))}
          {diff.tasks.removed.map((t) => (
            <Badge key={`-${t}`} colorPalette="red">
              − task {t}
            </Badge>
          ))}
        </HStack>
      ) : null}
      {diff.tasks.changed.map((t) => (
        <Box key={t.id}>
          <Text fontWeight="semibold" textStyle="sm">
            Task {t.id}
          </Text>
          <ChangesTable changes={t.changes} />
        </Box>
      ))}
      {diff.edges.added.length + diff.edges.removed.length > 0 ? (
        <HStack wrap="wrap" gap="1">
          {diff.edges.added.map((e) => (
            <Badge key={`+${e.from}-${e.to}`} colorPalette="green">
              + {e.from} → {e.to}
            </Badge>
          ))}
          {diff.edges.removed.map((e) => (
            <Badge key={`-${e.from}-${e.to}`} colorPalette="red">
              − {e.from} → {e.to}
            </Badge>
          ))}
        </HStack>
      ) : null}
      {diff.ui_changed ? (
        <Text textStyle="xs" color="fg.muted">
          The layout changed too.
        </Text>
      ) : null}
    </Stack>
  );
}

interface HistoryDrawerProps {
  open: boolean;
  workflowId: string;
  currentRevisionId: number | null;
  onClose: () => void;
  onOpenRevision: (revisionId: number) => void;
}

/** The revisions drawer; rendered from its first opening on, as the app's dialogs are (components/useOpenedOnce.ts). */
export function HistoryDrawer(props: HistoryDrawerProps) {
  return useOpenedOnce(props.open) ? <RevisionsDrawer {...props} /> : null;
}

function RevisionsDrawer({ open, workflowId, currentRevisionId, onClose, onOpenRevision }: HistoryDrawerProps) {
  const revisions = useRevisions(workflowId, open);
  const [picked, setPicked] = useState<number | null>(null);
  const [against, setAgainst] = useState<number | null>(null);
  const items = revisions.data?.items ?? [];
  const selected = picked ?? items[0]?.id ?? null;
  const selectedItem = items.find((r) => r.id === selected);
  const canDiff = selectedItem !== undefined && (selectedItem.number > 1 || against !== null);
  const diff = useRevisionDiff(workflowId, canDiff ? selected : null, against);
  return (
    <Drawer.Root open={open} onOpenChange={(e) => !e.open && onClose()} size="md">
      <Portal>
        <Drawer.Backdrop />
        <Drawer.Positioner>
          <Drawer.Content>
            <Drawer.Header>
              <Drawer.Title>Revision history</Drawer.Title>
            </Drawer.Header>
            <Drawer.Body>
              {revisions.isPending ? (
                <Spinner />
              ) : revisions.isError ? (
                <Text color="fg.error">{revisions.error.message}</Text>
              ) : (
                <Stack gap="4">
                  <Stack as="ol" gap="1" listStyleType="none" aria-label="Revisions" data-testid="revision-list">
                    {items.map((r) => (
                      <Box
                        as="li"
                        key={r.id}
                        borderWidth="1px"
                        rounded="md"
                        p="2"
                        bg={r.id === selected ? "brand.subtle" : undefined}
                        borderColor={r.id === selected ? "brand.solid" : undefined}
                      >
                        <Button variant="plain" h="auto" p="0" w="full" justifyContent="start" textAlign="start" onClick={() => setPicked(r.id)} aria-pressed={r.id === selected}>
                          <Stack gap="0" align="start">
                            <Text fontWeight="semibold">
                              Revision {r.number}
                              {r.id === currentRevisionId ? " (current)" : ""}
                              {r.draft ? (
                                <Badge ms="2" size="xs" colorPalette="yellow" variant="solid" title="Saved with problems: not deployed as a DAG">
                                  Draft
                                </Badge>
                              ) : null}
                            </Text>
                            <Text textStyle="xs" color="fg.muted">
                              {formatDateTime(r.created_at)} · {r.author}
                            </Text>
                            {r.message ? <Text textStyle="sm" whiteSpace="normal">{r.message}</Text> : null}
                          </Stack>
                        </Button>
                      </Box>
                    ))}
                  </Stack>
                  {selectedItem ? (
                    <Stack gap="2" as="section" aria-label="Changes">
                      <HStack justify="space-between">
                        <Text fontWeight="semibold">Changes in revision {selectedItem.number}</Text>
                        <Button size="xs" variant="outline" onClick={() => onOpenRevision(selectedItem.id)}>
                          Open in editor
                        </Button>
                      </HStack>
                      <NativeSelect.Root size="sm">
                        <NativeSelect.Field aria-label="Compare with" value={against === null ? "" : String(against)} onChange={(e) => setAgainst(e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
                          <option value="">Compared with the revision before it</option>
                          {items
                            .filter((r) => r.id !== selectedItem.id)
                            .map((r) => (
                              <option key={r.id} value={r.id}>
                                Compared with revision {r.number}
                              </option>
                            ))}
                        </NativeSelect.Field>
                        <NativeSelect.Indicator />
                      </NativeSelect.Root>
                      {!canDiff ? (
                        <Text color="fg.muted">The first revision: nothing before it.</Text>
                      ) : diff.isPending ? (
                        <Spinner size="sm" />
                      ) : diff.isError ? (
                        <Text color="fg.error">{diff.error.message}</Text>
                      ) : (
                        <DiffView diff={diff.data.changes} />
                      )}
                    </Stack>
                  ) : null}
                </Stack>
              )}
            </Drawer.Body>
            <Drawer.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close history" />
            </Drawer.CloseTrigger>
          </Drawer.Content>
        </Drawer.Positioner>
      </Portal>
    </Drawer.Root>
  );
}
