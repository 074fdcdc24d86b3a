import { Box, Button, Checkbox, DataList, HStack, Heading, NativeSelect, Stack, Tabs, Text } from "@chakra-ui/react";
import { useState } from "react";
import { Link as RouterLink } from "react-router";
import { isTaskActive, runPath, taskPath, useResultInfo, useRunActions, useTaskOutputs, type TaskOut } from "../../api/runs";
import { useSender } from "../../api/request";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/ErrorNotice";
import { QueryContent } from "../../components/QueryContent";
import { DisplayResult } from "../../components/results/DisplayResult";
import { ValueView } from "../../components/results/ValueView";
import { ActionError } from "../../components/ActionError";
import { durationBetween, formatDuration, pieceName } from "./format";
import { nodeTestLink } from "../editor/NodeTestPanel";
import { InstancePicker } from "./InstancePicker";
import { LogViewer } from "./LogViewer";
import { instancesOf, shownInstance } from "./mapInstances";
import { StateBadge } from "./StateBadge";
import { TaskSteps } from "../approvals/TaskSteps";

interface TaskPanelProps {
  workflowId: string;
  runId: string;
  task: TaskOut;
  canRun: boolean;
}

function ResultTab({ workflowId, runId, task }: Omit<TaskPanelProps, "canRun">) {
  const info = useResultInfo(workflowId, runId, task.task_id, task.has_display_result);
  const sender = useSender();
  if (!task.has_display_result) {
    return <Text color="fg.muted">{isTaskActive(task) ? "The task has not finished; a display result appears here when it does." : "This task produced no display result."}</Text>;
  }
  if (info.isPending) return <Text color="fg.muted">Loading the result…</Text>;
  if (info.isError) return <ErrorNotice error={info.error} what="result" onRetry={() => void info.refetch()} />;
  const url = sender.url(`${runPath(workflowId, runId)}/tasks/${encodeURIComponent(task.task_id)}/result`);
  return (
    <Stack gap="2">
      <Text textStyle="xs" color="fg.muted">
        {info.data.relative_path} · {info.data.file_type}
        {info.data.size !== null ? ` · ${info.data.size < 1024 ? `${info.data.size} bytes` : `${(info.data.size / 1024).toFixed(1)} KiB`}` : ""}
      </Text>
      <DisplayResult
        fileType={info.data.file_type}
        url={url}
        label={`Result of ${task.label || task.task_id}`}
        files={{
          filesUrl: sender.url(`${taskPath(workflowId, runId, task.task_id)}/files/`),
          resultsFolder: info.data.results_folder,
          baseDir: info.data.relative_path.includes("/") ? info.data.relative_path.replace(/\/[^/]*$/, "") : "",
        }}
      />
    </Stack>
  );
}

function OutputsTab({ workflowId, runId, task, mapIndex }: Omit<TaskPanelProps, "canRun"> & { mapIndex?: number }) {
  const outputs = useTaskOutputs(workflowId, runId, task.task_id, task.state, mapIndex);
  return (
    <QueryContent
      query={outputs}
      what="outputs"
      isEmpty={(data) => !data.outputs || Object.keys(data.outputs).length === 0}
      empty={<Text color="fg.muted">{isTaskActive(task) ? "Outputs appear when the task succeeds." : "This task has no outputs."}</Text>}
    >
      {(data) => <ValueView value={data.outputs} label={`Outputs of ${task.task_id}`} />}
    </QueryContent>
  );
}

/** Airflow's max_tries counts retries: a task may run max_tries + 1 times. */
export function attempts(task: Pick<TaskOut, "try_number" | "max_tries">): number {
  return Math.max(task.max_tries + 1, task.try_number);
}

/** Details, logs, outputs and display result of the selected task, plus "retry". */
export function TaskPanel({ workflowId, runId, task, canRun }: TaskPanelProps) {
  const [tab, setTab] = useState("logs");
  const [tryNumber, setTryNumber] = useState<number | null>(null);
  const [downstream, setDownstream] = useState(true);
  const { clear } = useRunActions(workflowId, runId);
  const active = isTaskActive(task);
  // A for-each task: the tabs show one instance (picked below), the header the whole task.
  const instances = instancesOf(task);
  const [picked, setPicked] = useState<number | null>(null);
  const instance = shownInstance(instances, picked);
  const shown = instance ?? task;
  const currentTry = Math.max(1, shown.try_number);
  const shownTry = tryNumber !== null && tryNumber <= currentTry ? tryNumber : currentTry;

  return (
    <Stack as="section" aria-labelledby="task-panel-title" gap="3" borderWidth="1px" borderRadius="md" p="4" bg="bg.panel" minW="0">
      <HStack justify="space-between" align="flex-start" wrap="wrap" gap="2">
        <Box minW="0">
          <Heading as="h3" size="md" id="task-panel-title" truncate>
            {task.label || task.task_id}
          </Heading>
          <Text textStyle="xs" color="fg.muted" fontFamily="mono">
            {task.task_id}
          </Text>
        </Box>
        <HStack gap="2">
          <StateBadge state={task.state} size="md" />
          <Button
            size="xs"
            variant="outline"
            disabled={!canRun || active}
            loading={clear.isPending}
            title={active ? "The task is still running" : "Clear the task so Airflow runs it again"}
            onClick={() => clear.mutate({ taskId: task.task_id, downstream })}
          >
            Retry task
          </Button>
          {canRun && task.piece && !active ? (
            <Button asChild size="xs" variant={task.state === "failed" ? "solid" : "outline"} title="Open this task's test in the editor, with this run's upstream outputs pinned">
              <RouterLink to={nodeTestLink(workflowId, task.task_id, runId)}>Test again with edited inputs</RouterLink>
            </Button>
          ) : null}
        </HStack>
      </HStack>
      <Checkbox.Root size="sm" checked={downstream} onCheckedChange={(event) => setDownstream(event.checked === true)}>
        <Checkbox.HiddenInput />
        <Checkbox.Control />
        <Checkbox.Label>Retry downstream tasks too</Checkbox.Label>
      </Checkbox.Root>
      <ActionError error={clear.error} title="The task was not cleared" />

      <TaskSteps workflowId={workflowId} runId={runId} taskId={task.task_id} waiting={isTaskActive(task)} />
      {instance ? <InstancePicker instances={instances} shown={instance.map_index} onPick={setPicked} /> : null}
      <Tabs.Root value={tab} onValueChange={(event) => setTab(event.value)} size="sm" variant="line" lazyMount unmountOnExit>
        <Tabs.List>
          <Tabs.Trigger value="details">Details</Tabs.Trigger>
          <Tabs.Trigger value="logs">Logs</Tabs.Trigger>
          <Tabs.Trigger value="outputs">Outputs</Tabs.Trigger>
          <Tabs.Trigger value="result">Result{task.has_display_result ? " •" : ""}</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="details">
          <DataList.Root orientation="horizontal" size="sm">
            {[
              ...(instance ? [["Instance", `${instance.map_index} (item ${instance.map_index + 1} of ${instances.length})`]] : []),
              ["State", <StateBadge key="s" state={shown.state} />],
              ["Piece", pieceName(task.piece) || "—"],
              ["Try", `${shown.try_number} of ${attempts({ try_number: shown.try_number, max_tries: task.max_tries })}`],
              ["Started", shown.start_date ? <DateTime value={shown.start_date} /> : "—"],
              ["Ended", shown.end_date ? <DateTime value={shown.end_date} /> : "—"],
              ["Duration", formatDuration(shown.duration_s ?? durationBetween(shown.start_date, shown.end_date))],
            ].map(([label, value]) => (
              <DataList.Item key={label as string}>
                <DataList.ItemLabel>{label}</DataList.ItemLabel>
                <DataList.ItemValue>{value}</DataList.ItemValue>
              </DataList.Item>
            ))}
          </DataList.Root>
        </Tabs.Content>
        <Tabs.Content value="logs">
          {currentTry > 1 && (
            <NativeSelect.Root size="xs" maxW="40" mb="2">
              <NativeSelect.Field aria-label="Try" value={shownTry} onChange={(event) => setTryNumber(Number(event.currentTarget.value))}>
                {Array.from({ length: currentTry }, (_, index) => index + 1).map((n) => (
                  <option key={n} value={n}>
                    Try {n}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          )}
          {shown.try_number === 0 || !shown.start_date ? (
            // A task never tried (e.g. skipped by a branch: it has a start date but try 0) or not started has no log.
            <Text textStyle="sm" color="fg.muted" data-testid="no-log">
              {isTaskActive(shown) ? "No log yet: this task has not started." : "No log: this task did not run."}
            </Text>
          ) : (
            <LogViewer
              workflowId={workflowId}
              runId={runId}
              taskId={task.task_id}
              tryNumber={shownTry}
              active={isTaskActive(shown) && shownTry === currentTry}
              mapIndex={instance?.map_index}
            />
          )}
        </Tabs.Content>
        <Tabs.Content value="outputs">
          <OutputsTab workflowId={workflowId} runId={runId} task={task} mapIndex={instance?.map_index} />
        </Tabs.Content>
        <Tabs.Content value="result">
          <ResultTab workflowId={workflowId} runId={runId} task={task} />
        </Tabs.Content>
      </Tabs.Root>
    </Stack>
  );
}
