import { Alert, Box, Button, Field, HStack, NativeSelect, Stack, Tabs, Text } from "@chakra-ui/react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { isNodeTestActive, nodeTestPath, useNodeTest, useNodeTestLog, useNodeTestResultInfo, useStartNodeTest, type NodeTestOut } from "../../api/nodeTests";
import { useInfo } from "../../api/queries";
import { useSender } from "../../api/request";
import { useRuns } from "../../api/runs";
import type { WorkflowDocument } from "../../api/workflowList";
import { ActionError } from "../../components/ActionError";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/ErrorNotice";
import { DisplayResult } from "../../components/results/DisplayResult";
import { ValueView } from "../../components/results/ValueView";
import { findBindings, isUpstreamBinding } from "../../lib/bindings";
import type { TaskDoc, WorkflowDoc } from "../../lib/workflowDoc";
import { LogSegments } from "../runs/LogSegments";
import { segmentLog } from "../runs/logLines";
import { StateBadge } from "../runs/StateBadge";

/** `?test=<task>&pinned=<run>` on the editor's URL: open that task's test with that run pinned (from a run's task panel). */
export function useNodeTestLink(): { taskId: string | null; pinnedRunId: string | null } {
  const [params] = useSearchParams();
  return { taskId: params.get("test"), pinnedRunId: params.get("pinned") };
}

/** The editor URL that opens a task's node test with a past run pinned. */
export function nodeTestLink(workflowId: string, taskId: string, pinnedRunId: string): string {
  const query = new URLSearchParams({ test: taskId, pinned: pinnedRunId });
  return `/workflows/${encodeURIComponent(workflowId)}/edit?${query.toString()}`;
}

interface NodeTestPanelProps {
  workflowId: string | null;
  task: TaskDoc;
  doc: WorkflowDoc;
  /** The editor has unsaved changes: the test uses them, the workflow's runs do not. */
  dirty: boolean;
  initialPinned?: string | null;
}

function upstreamTasks(task: TaskDoc): string[] {
  const tasks = findBindings(task.inputs ?? {}).flatMap((found) => (isUpstreamBinding(found.binding) ? [found.binding.$upstream.task] : []));
  return [...new Set(tasks)];
}

/** The test's log (re-read while it runs), the piece's own output set apart as on the run page. */
function NodeTestLog({ workflowId, test }: { workflowId: string; test: NodeTestOut }) {
  const log = useNodeTestLog(workflowId, test.run_id, isNodeTestActive(test));
  if (log.isError) return <ErrorNotice error={log.error} what="log" onRetry={() => void log.refetch()} />;
  const segments = segmentLog(log.data?.lines ?? []);
  return (
    <Box role="log" aria-label={`Log of the test of ${test.task_id}`} fontFamily="mono" fontSize="xs" bg="bg.subtle" borderWidth="1px" borderRadius="md" maxH="360px" overflow="auto" p="2">
      {log.isPending ? <Text fontFamily="body">Loading the log…</Text> : null}
      <LogSegments segments={segments} />
    </Box>
  );
}

function NodeTestResult({ workflowId, test }: { workflowId: string; test: NodeTestOut }) {
  const [tab, setTab] = useState("outputs");
  const sender = useSender();
  const path = nodeTestPath(workflowId, test.run_id);
  const active = isNodeTestActive(test);
  const info = useNodeTestResultInfo(workflowId, test.run_id, test.has_display_result);
  return (
    <Stack gap="2" borderWidth="1px" borderRadius="md" p="3" data-testid="node-test-result" aria-label="Node test result" as="section">
      <HStack justify="space-between" wrap="wrap">
        <Text textStyle="sm" fontWeight="semibold">
          Test of {test.task_id}
        </Text>
        <StateBadge state={test.state} />
      </HStack>
      <Text textStyle="xs" color="fg.muted">
        Airflow run <code>{test.run_id}</code>
        {test.pinned_run_id ? (
          <>
            {" "}
            · upstream outputs of run <code>{test.pinned_run_id}</code>
          </>
        ) : null}
        {test.start_date ? (
          <>
            {" "}
            · started <DateTime value={test.start_date} />
          </>
        ) : null}
      </Text>
      <Tabs.Root value={tab} onValueChange={(event) => setTab(event.value)} size="sm" variant="line" lazyMount unmountOnExit>
        <Tabs.List>
          <Tabs.Trigger value="outputs">Outputs</Tabs.Trigger>
          <Tabs.Trigger value="logs">Log</Tabs.Trigger>
          <Tabs.Trigger value="result">Result{test.has_display_result ? " •" : ""}</Tabs.Trigger>
          <Tabs.Trigger value="inputs">Inputs</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="outputs">
          {test.outputs && Object.keys(test.outputs).length > 0 ? (
            <ValueView value={test.outputs} label={`Outputs of the test of ${test.task_id}`} />
          ) : (
            <Text color="fg.muted" textStyle="sm">
              {active ? "Outputs appear when the test succeeds." : test.state === "failed" ? "The test failed: see its log." : "The piece returned no outputs."}
            </Text>
          )}
        </Tabs.Content>
        <Tabs.Content value="logs">
          {test.try_number > 0 ? (
            <NodeTestLog workflowId={workflowId} test={test} />
          ) : (
            <Text color="fg.muted" textStyle="sm">
              The test is queued; its log appears when Airflow starts it.
            </Text>
          )}
        </Tabs.Content>
        <Tabs.Content value="result">
          {!test.has_display_result ? (
            <Text color="fg.muted" textStyle="sm">
              {active ? "A display result appears here when the test ends." : "This test produced no display result."}
            </Text>
          ) : info.isPending ? (
            <Text color="fg.muted">Loading the result…</Text>
          ) : info.isError ? (
            <ErrorNotice error={info.error} what="result" onRetry={() => void info.refetch()} />
          ) : (
            <DisplayResult
              fileType={info.data.file_type}
              url={sender.url(`${path}/result`)}
              label={`Result of the test of ${test.task_id}`}
              files={{
                filesUrl: sender.url(`${path}/files/`),
                resultsFolder: info.data.results_folder,
                baseDir: info.data.relative_path.includes("/") ? info.data.relative_path.replace(/\/[^/]*$/, "") : "",
              }}
            />
          )}
        </Tabs.Content>
        <Tabs.Content value="inputs">
          <ValueView value={test.inputs} label={`Inputs of the test of ${test.task_id}`} />
        </Tabs.Content>
      </Tabs.Root>
    </Stack>
  );
}

/** "Test this node": run the selected task alone on Airflow with the form's inputs, or with a past run's upstream outputs. */
export function NodeTestPanel(props: NodeTestPanelProps) {
  if (!props.workflowId) {
    return <Text color="fg.muted">Create the workflow first: a node test runs on Airflow, in the workflow&apos;s test DAG, which exists once the workflow is saved.</Text>;
  }
  return <SavedNodeTestPanel {...props} workflowId={props.workflowId} />;
}

function SavedNodeTestPanel({ workflowId, task, doc, dirty, initialPinned = null }: NodeTestPanelProps & { workflowId: string }) {
  const info = useInfo();
  const canRun = info.data?.permissions.run_workflows === true;
  const [pinned, setPinned] = useState<string>(initialPinned ?? "");
  const [testId, setTestId] = useState<string | null>(null);
  const [preparing, setPreparing] = useState<string | null>(null);
  const start = useStartNodeTest(workflowId, setPreparing);
  const test = useNodeTest(workflowId, testId);
  const runs = useRuns(workflowId, { state: "", limit: 20, offset: 0 });
  const upstream = upstreamTasks(task);

  if (!task.piece) {
    return <Text color="fg.muted">This task runs another workflow: test that workflow instead.</Text>;
  }

  return (
    <Stack gap="3" data-testid="node-test-panel">
      <Text textStyle="sm" color="fg.muted">
        Runs <b>{task.label || task.id}</b> on its own, as a real Airflow run, with the inputs in the Task tab{dirty ? " (unsaved changes included)" : ""}. The workflow
        and its runs are not changed.
      </Text>
      <Field.Root>
        <Field.Label>Upstream outputs</Field.Label>
        <NativeSelect.Root size="sm">
          <NativeSelect.Field aria-label="Pinned run" value={pinned} onChange={(event) => setPinned(event.currentTarget.value)}>
            <option value="">None: use the values typed in the form</option>
            {(runs.data?.items ?? []).map((run) => (
              <option key={run.run_id} value={run.run_id}>
                {run.run_id} ({run.state ?? "no state"})
              </option>
            ))}
            {pinned && !(runs.data?.items ?? []).some((run) => run.run_id === pinned) ? <option value={pinned}>{pinned}</option> : null}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
        <Field.HelperText>
          {upstream.length > 0
            ? `Inputs bound to ${upstream.join(", ")} take that task's outputs from the pinned run; without one, type values instead.`
            : "This task takes no upstream outputs."}
        </Field.HelperText>
      </Field.Root>
      {!canRun ? (
        <Alert.Root status="info">
          <Alert.Indicator />
          <Alert.Description>Your Airflow role does not allow running this workflow, so you cannot test its tasks.</Alert.Description>
        </Alert.Root>
      ) : null}
      <Box>
        <Button
          size="sm"
          disabled={!canRun || start.isPending || isNodeTestActive(test.data)}
          loading={start.isPending}
          onClick={() => {
            setTestId(null); // the previous test's result gives way to the new one
            start.mutate(
              { task_id: task.id, document: doc as unknown as WorkflowDocument, pinned_run_id: pinned || null },
              { onSuccess: (started) => setTestId(started.run_id) },
            );
          }}
        >
          Run test
        </Button>
      </Box>
      {preparing ? (
        <Alert.Root status="info" data-testid="node-test-preparing">
          <Alert.Indicator />
          <Alert.Description>{preparing} The test starts by itself.</Alert.Description>
        </Alert.Root>
      ) : null}
      <ActionError error={start.error} title="The test was not started" />
      {test.isError ? <ErrorNotice error={test.error} what="node test" onRetry={() => void test.refetch()} /> : null}
      {test.data && test.data.task_id === task.id ? <NodeTestResult workflowId={workflowId} test={test.data} /> : null}
    </Stack>
  );
}
