import { Box, Button, Grid, HStack, Link, Stack, Text } from "@chakra-ui/react";
import { useMemo, useState } from "react";
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from "react-router";
import { useInfo } from "../../api/queries";
import { isRunActive, useRun, useRunActions, type RunDetail, type RunLink, type TaskOut } from "../../api/runs";
import { useWorkflowDetail } from "../../api/workflowList";
import { DataTable, SMALL, type DataColumn } from "../../components/DataTable";
import { DateTime } from "../../components/DateTime";
import { useDocumentTitle } from "../../components/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { QueryContent } from "../../components/QueryContent";
import { ActionError } from "../../components/ActionError";
import { ConfirmDialog } from "../../components/AppDialog";
import { PageHeading } from "../../components/PageHeading";
import { RunDialog } from "../workflows/RunDialog";
import { durationBetween, formatDuration, runTitle, runWhen } from "./format";
import { RunGraph } from "./RunGraph";
import { buildRunGraph } from "./runGraph";
import { StateBadge } from "./StateBadge";
import { stateStyle } from "./taskState";
import { attempts, TaskPanel } from "./TaskPanel";
import { Breadcrumbs } from "../../components/Breadcrumbs";

function taskColumns(selected: string | null | undefined, select: (taskId: string) => void): DataColumn<TaskOut>[] {
  return [
    {
      key: "task",
      header: "Task",
      cell: (task) => (
        <Button variant="plain" size="xs" px="0" color="brand.fg" aria-pressed={task.task_id === selected} onClick={() => select(task.task_id)}>
          {task.label || task.task_id}
        </Button>
      ),
    },
    { key: "state", header: "State", cell: (task) => <StateBadge state={task.state} /> },
    { key: "try", header: "Try", cellProps: SMALL, cell: (task) => `${task.try_number}/${attempts(task)}` },
    {
      key: "duration",
      header: "Duration",
      cellProps: SMALL,
      cell: (task) => formatDuration(task.duration_s ?? durationBetween(task.start_date, task.end_date)),
    },
  ];
}

export function RunPage() {
  const { workflowId = "", runId = "" } = useParams();
  const run = useRun(workflowId, runId);
  const workflow = useWorkflowDetail(workflowId);
  const workflowName = workflow.data?.name ?? workflowId;
  useDocumentTitle(run.data ? runTitle(workflowName, run.data, (iso) => formatDateTime(iso), (state) => stateStyle(state).label) : workflowName);
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.get("task");
  const select = (taskId: string) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set("task", taskId);
        return next;
      },
      { replace: true },
    );
  const { cancel } = useRunActions(workflowId, runId);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [rerun, setRerun] = useState(false);
  const navigate = useNavigate();
  const info = useInfo();
  const canRun = info.data?.permissions.run_workflows !== false;
  const encoded = encodeURIComponent(workflowId);

  const graph = useMemo(() => buildRunGraph(run.data?.revision_document, run.data?.tasks ?? []), [run.data?.revision_document, run.data?.tasks]);
  const selectedTask = run.data?.tasks.find((task) => task.task_id === selected) ?? null;

  return (
    <Stack gap="4">
      <Breadcrumbs
        trail={[
          { label: "Workflows", to: "/workflows" },
          { label: workflowName, to: `/workflows/${encoded}/runs` },
        ]}
        current="run"
      />
      <QueryContent query={run} what="run" isEmpty={() => false} empty={null}>
        {(data) => (
          <Stack gap="4">
            <PageHeading
              title={
                <HStack as="span" gap="3" wrap="wrap">
                  <span>
                    {workflowName}
                    {runWhen(data) ? (
                      <Box as="span" fontWeight="normal" color="fg.muted">
                        {" · run of "}
                        <DateTime value={runWhen(data) as string} />
                      </Box>
                    ) : null}
                  </span>
                  <StateBadge state={data.state} size="md" />
                </HStack>
              }
              description={
                <>
                  <Box as="span" fontFamily="mono" textStyle="xs" title="Run id">
                    {data.run_id}
                  </Box>
                  {" · "}
                  {data.run_type}
                  {data.triggered_by ? ` by ${data.triggered_by}` : ""}
                  {data.revision ? ` · revision #${data.revision.number}` : ""}
                  {data.start_date ? (
                    <>
                      {" · started "}
                      <DateTime value={data.start_date} />
                    </>
                  ) : null}
                  {` · ${formatDuration(durationBetween(data.start_date, data.end_date))}`}
                </>
              }
            >
              {isRunActive(data) && (
                <Button variant="outline" colorPalette="red" disabled={!canRun} onClick={() => setConfirmCancel(true)}>
                  Cancel run
                </Button>
              )}
              <Button variant="outline" disabled={!canRun} onClick={() => setRerun(true)}>
                Re-run…
              </Button>
              <Button variant="outline" asChild>
                <RouterLink to={`/workflows/${encoded}/runs/${encodeURIComponent(runId)}/report`}>Report</RouterLink>
              </Button>
            </PageHeading>
            {data.params && Object.keys(data.params).length > 0 && (
              <HStack gap="2" wrap="wrap" textStyle="sm">
                <Text color="fg.muted">Parameters:</Text>
                {Object.entries(data.params).map(([name, value]) => (
                  <Box key={name} as="code" bg="bg.muted" px="1.5" borderRadius="sm" textStyle="xs">
                    {name}={JSON.stringify(value)}
                  </Box>
                ))}
              </HStack>
            )}

            <RunLinks detail={data} />

            <Grid templateColumns={{ base: "1fr", lg: "minmax(0, 1.1fr) minmax(0, 1fr)" }} gap="4" alignItems="start">
              <Stack gap="3" minW="0">
                <Box h="380px" borderWidth="1px" borderRadius="md" bg="bg.subtle" overflow="hidden">
                  {graph.tasks.length > 0 ? (
                    <RunGraph graph={graph} tasks={data.tasks} selected={selected} onSelect={select} />
                  ) : (
                    <Text color="fg.muted" p="4">
                      This run has no tasks.
                    </Text>
                  )}
                </Box>
                <DataTable
                  label="Tasks"
                  bordered
                  columns={taskColumns(selected, select)}
                  rows={data.tasks}
                  rowKey={(task) => task.task_id}
                  rowProps={(task) => ({ "data-task": task.task_id, "data-state": task.state ?? "none", bg: task.task_id === selected ? "brand.subtle" : undefined })}
                />
              </Stack>
              {selectedTask ? (
                <TaskPanel key={selectedTask.task_id} workflowId={workflowId} runId={runId} task={selectedTask} canRun={canRun} />
              ) : (
                <Box borderWidth="1px" borderStyle="dashed" borderRadius="md" p="6" color="fg.muted">
                  Select a task in the graph or the list to see its details, log, outputs and result.
                </Box>
              )}
            </Grid>

            <ConfirmDialog
              open={confirmCancel}
              title="Cancel this run?"
              confirmLabel="Cancel run"
              pending={cancel.isPending}
              error={cancel.error}
              errorTitle="The run was not cancelled"
              onClose={() => {
                cancel.reset();
                setConfirmCancel(false);
              }}
              onConfirm={() => cancel.mutate(undefined, { onSuccess: () => setConfirmCancel(false) })}
            >
              Running tasks are stopped and the run is marked failed. Finished tasks keep their results.
            </ConfirmDialog>
            {rerun && (
              <RunDialog
                open
                workflowId={workflowId}
                previousParams={data.params}
                onClose={() => setRerun(false)}
                onStarted={(started) => {
                  setRerun(false);
                  void navigate(`/workflows/${encoded}/runs/${encodeURIComponent(started.run_id)}`);
                }}
              />
            )}
          </Stack>
        )}
      </QueryContent>
      {cancel.isError && !confirmCancel && <ActionError error={cancel.error} title="The run was not cancelled" />}
    </Stack>
  );
}

function runLink(link: RunLink): string {
  return `/workflows/${encodeURIComponent(link.workflow_id)}/runs/${encodeURIComponent(link.run_id)}`;
}

/** Links to the run that started this one (a sub-workflow run) and to the runs its tasks started. */
function RunLinks({ detail }: { detail: RunDetail }) {
  const children = detail.tasks.filter((t) => t.child_run);
  if (!detail.parent_run && children.length === 0) return null;
  return (
    <Stack gap="1" textStyle="sm" data-testid="run-links">
      {detail.parent_run ? (
        <Text>
          <Text as="span" color="fg.muted">
            Started by{" "}
          </Text>
          task <code>{detail.parent_run.task_id}</code> of{" "}
          <Link asChild color="brand.fg">
            <RouterLink to={runLink(detail.parent_run)} data-testid="parent-run-link">
              {detail.parent_run.workflow_id} · {detail.parent_run.run_id}
            </RouterLink>
          </Link>
        </Text>
      ) : null}
      {children.map((t) => (
        <Text key={t.task_id}>
          <Text as="span" color="fg.muted">
            Task <code>{t.task_id}</code> ran{" "}
          </Text>
          <Link asChild color="brand.fg">
            <RouterLink to={runLink(t.child_run!)} data-testid="child-run-link">
              {t.child_run!.workflow_id} · {t.child_run!.run_id}
            </RouterLink>
          </Link>
        </Text>
      ))}
    </Stack>
  );
}
