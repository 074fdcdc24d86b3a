import { Badge, Box, Button, Field, HStack, IconButton, Input, Link, Menu, NativeSelect, Portal, Stack, Text } from "@chakra-ui/react";
import { useEffect, useState } from "react";
import { Link as RouterLink, useNavigate } from "react-router";
import { useInfo } from "../../api/queries";
import { useExportUrl, useWorkflowActions, useWorkflowList, type WorkflowListItem } from "../../api/workflowList";
import { actionsColumn, DataTable, EmptyState, SMALL, type DataColumn } from "../../components/DataTable";
import { DateTime } from "../../components/DateTime";
import { useListParams } from "../../components/useListParams";
import { QueryContent } from "../../components/QueryContent";
import { StateBadge } from "../runs/StateBadge";
import { ActionError } from "../../components/ActionError";
import { ConfirmDialog } from "../../components/AppDialog";
import { PageHeading } from "../../components/PageHeading";
import { TagList } from "../../components/TagList";
import { DraftCell } from "./DraftCell";
import { DuplicateDialog } from "./DuplicateDialog";
import { RunDialog } from "./RunDialog";

const PAGE_SIZE = 25;

const STATUS: Record<string, { palette: string; label: string }> = {
  valid: { palette: "green", label: "Valid" },
  build_error: { palette: "red", label: "Build error" },
  paused: { palette: "gray", label: "Paused" },
  pending: { palette: "yellow", label: "Pending" },
  draft: { palette: "yellow", label: "Draft" },
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


function RowActions({ workflow, onPick, canEdit, canRun }: { workflow: WorkflowListItem; onPick: (p: Pending) => void; canEdit: boolean; canRun: boolean }) {
  const { setPaused } = useWorkflowActions();
  const paused = workflow.is_paused === true;
  return (
    <>
      <Button
        size="xs"
        onClick={() => onPick({ kind: "run", workflow })}
        disabled={!canRun || workflow.status === "draft"}
        title={!canRun ? "Your role may not run workflows" : workflow.status === "draft" ? "Only drafts so far: save a valid revision to get a DAG" : undefined}
      >
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
    </>
  );
}

/** The list's columns. Next run and owner only from 1280 px on: at 1024 px the table fits with its actions (both are on
 * the runs page); the actions column stays in view even when a long name makes the table scroll sideways. */
function workflowColumns(actions: { onPick: (p: Pending) => void; canEdit: boolean; canRun: boolean }): DataColumn<WorkflowListItem>[] {
  return [
    {
      key: "workflow",
      header: "Workflow",
      cellProps: { maxW: "72" },
      cell: (workflow) => (
        <>
          <Link asChild fontWeight="semibold" color="brand.fg">
            <RouterLink to={`/workflows/${encodeURIComponent(workflow.id)}/runs`}>{workflow.name}</RouterLink>
          </Link>
          <Text textStyle="xs" color="fg.muted" fontFamily="mono" truncate>
            {workflow.id}
          </Text>
          <TagList tags={workflow.tags} />
        </>
      ),
    },
    { key: "status", header: "Status", cell: (workflow) => <WorkflowStatusBadge status={workflow.status} /> },
    { key: "draft", header: "Draft", cellProps: SMALL, cell: (workflow) => <DraftCell workflow={workflow} /> },
    {
      key: "schedule",
      header: "Schedule",
      cellProps: (workflow) => ({ maxW: "56", textStyle: "sm", title: workflow.schedule ?? undefined }),
      cell: (workflow) => workflow.schedule_description || (workflow.schedule ?? "Manual only"),
    },
    {
      key: "last_run",
      header: "Last run",
      cell: (workflow) =>
        workflow.last_run_state ? (
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
        ),
    },
    {
      key: "next_run",
      header: "Next run",
      wideOnly: true,
      cellProps: SMALL,
      cell: (workflow) => (workflow.next_run ? <DateTime value={workflow.next_run} /> : <Text color="fg.muted">—</Text>),
    },
    { key: "owner", header: "Owner", wideOnly: true, cellProps: SMALL, cell: (workflow) => workflow.created_by || "—" },
    {
      key: "changed",
      header: "Last change",
      cellProps: SMALL,
      cell: (workflow) => (
        <>
          <DateTime value={workflow.updated_at} relative />
          {workflow.updated_by && (
            <Text textStyle="xs" color="fg.muted">
              by {workflow.updated_by}
              {workflow.revision ? ` · rev ${workflow.revision.number}` : ""}
            </Text>
          )}
        </>
      ),
    },
    actionsColumn((workflow) => <RowActions workflow={workflow} {...actions} />, { sticky: true }),
  ];
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
  const { searchParams, setSearchParams, page, setParam } = useListParams();
  const [search, setSearch] = useState(searchParams.get("search") ?? "");
  const status = searchParams.get("status") ?? "";
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
              <option value="draft">Draft (no DAG)</option>
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
          <EmptyState title={debounced || status ? "No workflow matches these filters." : "No workflows yet."}>
            {!debounced && !status && (
              <>
                Create one in the editor with <strong>New workflow</strong>, or import a workflow JSON file there.
              </>
            )}
          </EmptyState>
        }
      >
        {(data) => (
          <DataTable
            label="Workflows"
            interactive
            bordered
            columns={workflowColumns({ onPick: setPending, canEdit, canRun })}
            rows={data.items}
            rowKey={(workflow) => workflow.id}
            rowProps={(workflow) => ({ "data-workflow": workflow.id })}
            pager={{ page, pageSize: PAGE_SIZE, count: data.items.length, total: data.total, onPage: (next) => setParam("page", String(next)) }}
          />
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
