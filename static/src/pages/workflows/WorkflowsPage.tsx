import { Badge, Box, Button, ButtonGroup, Field, HStack, IconButton, Input, Link, Menu, NativeSelect, Portal, Stack, Table, Text } from "@chakra-ui/react";
import { useEffect, useState } from "react";
import { Link as RouterLink, useNavigate, useSearchParams } from "react-router";
import { useInfo } from "../../api/queries";
import { useExportUrl, useWorkflowActions, useWorkflowList, type WorkflowListItem } from "../../api/workflowList";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { StateBadge } from "../runs/StateBadge";
import { ActionError } from "../../components/ActionError";
import { ConfirmDialog } from "../../components/AppDialog";
import { PageHeading } from "../../components/PageHeading";
import { TagList } from "../../components/TagList";
import { DuplicateDialog } from "./DuplicateDialog";
import { RunDialog } from "./RunDialog";

const PAGE_SIZE = 25;

const STATUS: Record<string, { palette: string; label: string }> = {
  valid: { palette: "green", label: "Valid" },
  build_error: { palette: "red", label: "Build error" },
  paused: { palette: "gray", label: "Paused" },
  pending: { palette: "yellow", label: "Pending" },
};

export function WorkflowStatusBadge({ status }: { status: string }) {
  const style = STATUS[status] ?? { palette: "gray", label: status };
  return (
    <Badge colorPalette={style.palette} variant={status === "build_error" ? "solid" : "subtle"} title={status === "pending" ? "Saved; Airflow has not parsed it yet" : undefined}>
      {style.label}
    </Badge>
  );
}

type Pending = { kind: "run" | "delete" | "duplicate"; workflow: WorkflowListItem } | null;

function ExportItem({ id }: { id: string }) {
  const url = useExportUrl(id);
  return (
    <Menu.Item value="export" asChild>
      <a href={url} download={`${id}.json`}>
        Export JSON
      </a>
    </Menu.Item>
  );
}

/** Columns shown from 1280 px on: at 1024 px the table fits with its actions (the owner and next run are on the runs page). */
const WIDE_ONLY = { base: "none", xl: "table-cell" } as const;
/** The actions column stays in view even when a long name makes the table scroll sideways. */
const STICKY_END = { position: "sticky", right: "0", bg: "bg", zIndex: "1" } as const;

function RowActions({ workflow, onPick, canEdit, canRun }: { workflow: WorkflowListItem; onPick: (p: Pending) => void; canEdit: boolean; canRun: boolean }) {
  const { setPaused } = useWorkflowActions();
  const paused = workflow.is_paused === true;
  return (
    <HStack gap="1" justify="flex-end">
      <Button size="xs" onClick={() => onPick({ kind: "run", workflow })} disabled={!canRun} title={canRun ? undefined : "Your role may not run workflows"}>
        Run
      </Button>
      <Button size="xs" variant="outline" asChild>
        <RouterLink to={`/workflows/${encodeURIComponent(workflow.id)}/edit`}>Edit</RouterLink>
      </Button>
      <Menu.Root positioning={{ placement: "bottom-end" }}>
        <Menu.Trigger asChild>
          <IconButton size="xs" variant="ghost" aria-label={`More actions for ${workflow.name}`}>
            <span aria-hidden>⋯</span>
          </IconButton>
        </Menu.Trigger>
        <Portal>
          <Menu.Positioner>
            <Menu.Content>
              <Menu.Item value="runs" asChild>
                <RouterLink to={`/workflows/${encodeURIComponent(workflow.id)}/runs`}>Runs</RouterLink>
              </Menu.Item>
              <Menu.Item value="pause" disabled={!canRun || workflow.is_paused === null} onSelect={() => setPaused.mutate({ id: workflow.id, paused: !paused })}>
                {paused ? "Unpause" : "Pause"}
              </Menu.Item>
              <Menu.Item value="duplicate" disabled={!canEdit} onSelect={() => onPick({ kind: "duplicate", workflow })}>
                Duplicate…
              </Menu.Item>
              <ExportItem id={workflow.id} />
              <Menu.Separator />
              <Menu.Item value="delete" color="fg.error" disabled={!canEdit} onSelect={() => onPick({ kind: "delete", workflow })}>
                Delete…
              </Menu.Item>
            </Menu.Content>
          </Menu.Positioner>
        </Portal>
      </Menu.Root>
      {setPaused.isError && <Box srOnly role="alert">Could not change the pause state: {setPaused.error.message}</Box>}
    </HStack>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function WorkflowsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const [search, setSearch] = useState(searchParams.get("search") ?? "");
  const status = searchParams.get("status") ?? "";
  const page = Math.max(0, Number(searchParams.get("page") ?? "0") || 0);
  const debounced = useDebounced(search.trim(), 300);
  const navigate = useNavigate();
  const info = useInfo();
  const permissions = info.data?.permissions ?? {};
  const canEdit = permissions.edit_workflows !== false;
  const canRun = permissions.run_workflows !== false;

  useEffect(() => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (debounced) next.set("search", debounced);
        else next.delete("search");
        if (debounced !== (previous.get("search") ?? "")) next.delete("page");
        return next;
      },
      { replace: true },
    );
  }, [debounced, setSearchParams]);

  const list = useWorkflowList({ search: debounced, status, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const { remove, setPaused } = useWorkflowActions();
  const [pending, setPending] = useState<Pending>(null);

  const setParam = (key: string, value: string) =>
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key !== "page") next.delete("page");
      return next;
    });

  const total = list.data?.total ?? 0;
  const lastPage = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);

  return (
    <Stack gap="4">
      <PageHeading title="Workflows" description="Every workflow saved in Domino, one Airflow DAG each.">
        <Button asChild disabled={!canEdit}>
          <RouterLink to="/workflows/new">New workflow</RouterLink>
        </Button>
      </PageHeading>

      <HStack gap="3" align="flex-end" wrap="wrap">
        <Field.Root maxW="sm">
          <Field.Label>Search</Field.Label>
          <Input type="search" placeholder="Name, id or description" value={search} onChange={(event) => setSearch(event.currentTarget.value)} />
        </Field.Root>
        <Field.Root maxW="48">
          <Field.Label>Status</Field.Label>
          <NativeSelect.Root>
            <NativeSelect.Field value={status} onChange={(event) => setParam("status", event.currentTarget.value)}>
              <option value="">All</option>
              <option value="valid">Valid</option>
              <option value="build_error">Build error</option>
              <option value="paused">Paused</option>
              <option value="pending">Pending</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
      </HStack>

      <ActionError error={setPaused.error} title="Could not change the pause state" />

      <QueryContent
        query={list}
        what="workflows"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <Box borderWidth="1px" borderRadius="md" p="6" textAlign="center">
            <Text fontWeight="medium">{debounced || status ? "No workflow matches these filters." : "No workflows yet."}</Text>
            {!debounced && !status && (
              <Text color="fg.muted" mt="1">
                Create one in the editor with <strong>New workflow</strong>, or import a workflow JSON file there.
              </Text>
            )}
          </Box>
        }
      >
        {(data) => (
          <Stack gap="2">
            <Table.ScrollArea borderWidth="1px" borderRadius="md">
              <Table.Root size="sm" interactive aria-label="Workflows">
                <Table.Header>
                  <Table.Row>
                    <Table.ColumnHeader>Workflow</Table.ColumnHeader>
                    <Table.ColumnHeader>Status</Table.ColumnHeader>
                    <Table.ColumnHeader>Schedule</Table.ColumnHeader>
                    <Table.ColumnHeader>Last run</Table.ColumnHeader>
                    <Table.ColumnHeader display={WIDE_ONLY}>Next run</Table.ColumnHeader>
                    <Table.ColumnHeader display={WIDE_ONLY}>Owner</Table.ColumnHeader>
                    <Table.ColumnHeader>Last change</Table.ColumnHeader>
                    <Table.ColumnHeader textAlign="end" {...STICKY_END}>
                      <Box as="span" srOnly>Actions</Box>
                    </Table.ColumnHeader>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.items.map((workflow) => (
                    <Table.Row key={workflow.id} data-workflow={workflow.id}>
                      <Table.Cell maxW="72">
                        <Link asChild fontWeight="semibold" color="brand.fg">
                          <RouterLink to={`/workflows/${encodeURIComponent(workflow.id)}/runs`}>{workflow.name}</RouterLink>
                        </Link>
                        <Text textStyle="xs" color="fg.muted" fontFamily="mono" truncate>
                          {workflow.id}
                        </Text>
                        <TagList tags={workflow.tags} />
                      </Table.Cell>
                      <Table.Cell>
                        <WorkflowStatusBadge status={workflow.status} />
                      </Table.Cell>
                      <Table.Cell maxW="56" textStyle="sm" title={workflow.schedule ?? undefined}>
                        {workflow.schedule_description || (workflow.schedule ?? "Manual only")}
                      </Table.Cell>
                      <Table.Cell>
                        {workflow.last_run_state ? (
                          <Stack gap="0.5" align="flex-start">
                            <StateBadge state={workflow.last_run_state} />
                            {workflow.last_run_at && (
                              <Text textStyle="xs" color="fg.muted">
                                <DateTime value={workflow.last_run_at} relative />
                              </Text>
                            )}
                          </Stack>
                        ) : (
                          <Text color="fg.muted" textStyle="sm">
                            Never run
                          </Text>
                        )}
                      </Table.Cell>
                      <Table.Cell textStyle="sm" display={WIDE_ONLY}>
                        {workflow.next_run ? <DateTime value={workflow.next_run} /> : <Text color="fg.muted">—</Text>}
                      </Table.Cell>
                      <Table.Cell textStyle="sm" display={WIDE_ONLY}>
                        {workflow.created_by || "—"}
                      </Table.Cell>
                      <Table.Cell textStyle="sm">
                        <DateTime value={workflow.updated_at} relative />
                        {workflow.updated_by && (
                          <Text textStyle="xs" color="fg.muted">
                            by {workflow.updated_by}
                            {workflow.revision ? ` · rev ${workflow.revision.number}` : ""}
                          </Text>
                        )}
                      </Table.Cell>
                      <Table.Cell {...STICKY_END}>
                        <RowActions workflow={workflow} onPick={setPending} canEdit={canEdit} canRun={canRun} />
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table.Root>
            </Table.ScrollArea>
            <HStack justify="space-between">
              <Text textStyle="sm" color="fg.muted">
                {data.total === 0 ? "" : `${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + data.items.length} of ${data.total}`}
              </Text>
              {lastPage > 0 && (
                <ButtonGroup size="xs" variant="outline" attached>
                  <Button disabled={page === 0} onClick={() => setParam("page", String(page - 1))}>
                    Previous
                  </Button>
                  <Button disabled={page >= lastPage} onClick={() => setParam("page", String(page + 1))}>
                    Next
                  </Button>
                </ButtonGroup>
              )}
            </HStack>
          </Stack>
        )}
      </QueryContent>

      {pending?.kind === "run" && (
        <RunDialog
          open
          workflowId={pending.workflow.id}
          onClose={() => setPending(null)}
          onStarted={(run) => void navigate(`/workflows/${encodeURIComponent(pending.workflow.id)}/runs/${encodeURIComponent(run.run_id)}`)}
        />
      )}
      {pending?.kind === "duplicate" && <DuplicateDialog workflow={pending.workflow} onClose={() => setPending(null)} />}
      {pending?.kind === "delete" && (
        <ConfirmDialog
          open
          title={`Delete “${pending.workflow.name}”?`}
          confirmLabel="Delete workflow"
          pending={remove.isPending}
          error={remove.error}
          errorTitle="The workflow was not deleted"
          onClose={() => {
            remove.reset();
            setPending(null);
          }}
          onConfirm={() => remove.mutate(pending.workflow.id, { onSuccess: () => setPending(null) })}
        >
          This removes the workflow, all its revisions, and its Airflow DAG with every run and log. It cannot be undone.
        </ConfirmDialog>
      )}
    </Stack>
  );
}
