import { Button, Field, HStack, Link, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { Link as RouterLink, useNavigate, useParams } from "react-router";
import { useRuns, type RunOut } from "../../api/runs";
import { useWorkflowActions, useWorkflowDetail } from "../../api/workflowList";
import { DataTable, EmptyState, SMALL, type DataColumn } from "../../components/DataTable";
import { DateTime } from "../../components/DateTime";
import { useListParams } from "../../components/useListParams";
import { QueryContent } from "../../components/QueryContent";
import { useDocumentTitle } from "../../components/useDocumentTitle";
import { ActionError } from "../../components/ActionError";
import { PageHeading } from "../../components/PageHeading";
import { RunDialog } from "../workflows/RunDialog";
import { WorkflowStatusBadge } from "../workflows/WorkflowsPage";
import { durationBetween, formatDuration } from "./format";
import { StateBadge } from "./StateBadge";
import { RUN_STATES, stateStyle } from "./taskState";
import { Breadcrumbs } from "../../components/Breadcrumbs";

const PAGE_SIZE = 25;

function runColumns(encodedWorkflowId: string): DataColumn<RunOut>[] {
  return [
    {
      key: "run",
      header: "Run",
      cell: (run) => (
        <>
          <Link asChild color="brand.fg" fontFamily="mono" textStyle="sm">
            <RouterLink to={`/workflows/${encodedWorkflowId}/runs/${encodeURIComponent(run.run_id)}`}>{run.run_id}</RouterLink>
          </Link>
          {run.note && (
            <Text textStyle="xs" color="fg.muted">
              {run.note}
            </Text>
          )}
        </>
      ),
    },
    { key: "state", header: "State", cell: (run) => <StateBadge state={run.state} /> },
    { key: "type", header: "Type", cellProps: SMALL, cell: (run) => run.run_type },
    {
      key: "started",
      header: "Started",
      cellProps: SMALL,
      cell: (run) => (run.start_date ? <DateTime value={run.start_date} /> : run.queued_at ? <>queued <DateTime value={run.queued_at} relative /></> : "—"),
    },
    { key: "duration", header: "Duration", cellProps: SMALL, cell: (run) => formatDuration(durationBetween(run.start_date, run.end_date)) },
    { key: "revision", header: "Revision", cellProps: SMALL, cell: (run) => (run.revision ? `#${run.revision.number}` : "—") },
    { key: "triggered_by", header: "Triggered by", cellProps: SMALL, cell: (run) => run.triggered_by ?? "—" },
  ];
}

export function RunsPage() {
  const { workflowId = "" } = useParams();
  const { searchParams, page, setParam } = useListParams();
  const state = searchParams.get("state") ?? "";
  const workflow = useWorkflowDetail(workflowId);
  const runs = useRuns(workflowId, { state, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const { setPaused } = useWorkflowActions();
  const [running, setRunning] = useState(false);
  const navigate = useNavigate();
  const encoded = encodeURIComponent(workflowId);
  useDocumentTitle(`Runs · ${workflow.data?.name ?? workflowId}`);

  const paused = workflow.data?.is_paused === true;

  return (
    <Stack gap="4">
      <Breadcrumbs trail={[{ label: "Workflows", to: "/workflows" }]} current={workflowId} />
      <PageHeading
        title={
          <HStack as="span" gap="3">
            <span>{workflow.data?.name ?? workflowId}</span>
            {workflow.data && <WorkflowStatusBadge status={workflow.data.status} />}
          </HStack>
        }
        description={workflow.data ? workflow.data.schedule_description || "Runs only when triggered" : undefined}
      >
        <Button onClick={() => setRunning(true)}>Run…</Button>
        {workflow.data && workflow.data.is_paused !== null && (
          <Button variant="outline" loading={setPaused.isPending} onClick={() => setPaused.mutate({ id: workflowId, paused: !paused })}>
            {paused ? "Unpause" : "Pause"}
          </Button>
        )}
        <Button variant="outline" asChild>
          <RouterLink to={`/workflows/${encoded}/edit`}>Edit</RouterLink>
        </Button>
      </PageHeading>
      <ActionError error={setPaused.error} title="Could not change the pause state" />
      {workflow.isError && <ActionError error={workflow.error} title="Could not load the workflow" />}

      <HStack gap="3" align="flex-end">
        <Field.Root maxW="48">
          <Field.Label>Run state</Field.Label>
          <NativeSelect.Root>
            <NativeSelect.Field value={state} onChange={(event) => setParam("state", event.currentTarget.value)}>
              <option value="">All</option>
              {RUN_STATES.map((value) => (
                <option key={value} value={value}>
                  {stateStyle(value).label}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
      </HStack>

      <QueryContent
        query={runs}
        what="runs"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title={state ? `No ${stateStyle(state).label.toLowerCase()} runs.` : "This workflow has not run yet."}>
            {!state && "Start one with “Run…”."}
          </EmptyState>
        }
      >
        {(data) => (
          <DataTable
            label="Runs"
            interactive
            bordered
            columns={runColumns(encoded)}
            rows={data.items}
            rowKey={(run) => run.run_id}
            rowProps={(run) => ({ "data-run": run.run_id })}
            pager={{ page, pageSize: PAGE_SIZE, count: data.items.length, total: data.total, onPage: (next) => setParam("page", String(next)) }}
          />
        )}
      </QueryContent>

      {running && (
        <RunDialog
          open
          workflowId={workflowId}
          onClose={() => setRunning(false)}
          onStarted={(run) => void navigate(`/workflows/${encoded}/runs/${encodeURIComponent(run.run_id)}`)}
        />
      )}
    </Stack>
  );
}
