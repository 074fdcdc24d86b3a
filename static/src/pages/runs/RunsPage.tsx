import { Box, Button, ButtonGroup, Field, HStack, Link, NativeSelect, Stack, Table, Text } from "@chakra-ui/react";
import { useState } from "react";
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from "react-router";
import { useRuns } from "../../api/runs";
import { useWorkflowActions, useWorkflowDetail } from "../../api/workflowList";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { useDocumentTitle } from "../../components/useDocumentTitle";
import { ActionError } from "../../components/ActionError";
import { PageHeading } from "../../components/PageHeading";
import { RunDialog } from "../workflows/RunDialog";
import { WorkflowStatusBadge } from "../workflows/WorkflowsPage";
import { durationBetween, formatDuration } from "./format";
import { StateBadge } from "./StateBadge";
import { RUN_STATES, stateStyle } from "./taskState";

const PAGE_SIZE = 25;

export function RunsPage() {
  const { workflowId = "" } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = searchParams.get("state") ?? "";
  const page = Math.max(0, Number(searchParams.get("page") ?? "0") || 0);
  const workflow = useWorkflowDetail(workflowId);
  const runs = useRuns(workflowId, { state, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const { setPaused } = useWorkflowActions();
  const [running, setRunning] = useState(false);
  const navigate = useNavigate();
  const encoded = encodeURIComponent(workflowId);
  useDocumentTitle(`Runs · ${workflow.data?.name ?? workflowId}`);

  const setParam = (key: string, value: string) =>
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key !== "page") next.delete("page");
      return next;
    });

  const paused = workflow.data?.is_paused === true;
  const total = runs.data?.total;
  const hasNext = total !== undefined ? (page + 1) * PAGE_SIZE < total : (runs.data?.items.length ?? 0) === PAGE_SIZE;

  return (
    <Stack gap="4">
      <Text textStyle="sm" color="fg.muted">
        <Link asChild color="brand.fg">
          <RouterLink to="/workflows">Workflows</RouterLink>
        </Link>{" "}
        / {workflowId}
      </Text>
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
          <Box borderWidth="1px" borderRadius="md" p="6" textAlign="center">
            <Text fontWeight="medium">{state ? `No ${stateStyle(state).label.toLowerCase()} runs.` : "This workflow has not run yet."}</Text>
            {!state && <Text color="fg.muted">Start one with “Run…”.</Text>}
          </Box>
        }
      >
        {(data) => (
          <Stack gap="2">
            <Table.ScrollArea borderWidth="1px" borderRadius="md">
              <Table.Root size="sm" interactive aria-label="Runs">
                <Table.Header>
                  <Table.Row>
                    <Table.ColumnHeader>Run</Table.ColumnHeader>
                    <Table.ColumnHeader>State</Table.ColumnHeader>
                    <Table.ColumnHeader>Type</Table.ColumnHeader>
                    <Table.ColumnHeader>Started</Table.ColumnHeader>
                    <Table.ColumnHeader>Duration</Table.ColumnHeader>
                    <Table.ColumnHeader>Revision</Table.ColumnHeader>
                    <Table.ColumnHeader>Triggered by</Table.ColumnHeader>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.items.map((run) => (
                    <Table.Row key={run.run_id} data-run={run.run_id}>
                      <Table.Cell>
                        <Link asChild color="brand.fg" fontFamily="mono" textStyle="sm">
                          <RouterLink to={`/workflows/${encoded}/runs/${encodeURIComponent(run.run_id)}`}>{run.run_id}</RouterLink>
                        </Link>
                        {run.note && (
                          <Text textStyle="xs" color="fg.muted">
                            {run.note}
                          </Text>
                        )}
                      </Table.Cell>
                      <Table.Cell>
                        <StateBadge state={run.state} />
                      </Table.Cell>
                      <Table.Cell textStyle="sm">{run.run_type}</Table.Cell>
                      <Table.Cell textStyle="sm">
                        {run.start_date ? <DateTime value={run.start_date} /> : run.queued_at ? <>queued <DateTime value={run.queued_at} relative /></> : "—"}
                      </Table.Cell>
                      <Table.Cell textStyle="sm">{formatDuration(durationBetween(run.start_date, run.end_date))}</Table.Cell>
                      <Table.Cell textStyle="sm">{run.revision ? `#${run.revision.number}` : "—"}</Table.Cell>
                      <Table.Cell textStyle="sm">{run.triggered_by ?? "—"}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table.Root>
            </Table.ScrollArea>
            {(page > 0 || hasNext) && (
              <ButtonGroup size="xs" variant="outline" attached alignSelf="flex-end">
                <Button disabled={page === 0} onClick={() => setParam("page", String(page - 1))}>
                  Previous
                </Button>
                <Button disabled={!hasNext} onClick={() => setParam("page", String(page + 1))}>
                  Next
                </Button>
              </ButtonGroup>
            )}
          </Stack>
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
