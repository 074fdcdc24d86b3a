import { Box, Button, Heading, HStack, Link, Stack, Text } from "@chakra-ui/react";
import type { MouseEvent } from "react";
import { Link as RouterLink, useParams } from "react-router";
import { runPath, taskPath, useRunReport, type RunReport } from "../../api/runs";
import { useSender } from "../../api/request";
import { useWorkflowDetail } from "../../api/workflowList";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { DisplayResult } from "../../components/results/DisplayResult";
import { ValueView } from "../../components/results/ValueView";
import { useDocumentTitle } from "../../components/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { runTitle } from "./format";
import { StateBadge } from "./StateBadge";
import { stateStyle } from "./taskState";

// The app's header and navigation, and the report's own buttons, are not printed; results are
// printed whole (no scrolling frames).
const PRINT_CSS = `@media print {
  header, nav[aria-label="Domino"], .no-print { display: none !important; }
  main { padding: 0 !important; max-width: none !important; }
  .report-task { break-inside: avoid-page; }
  pre, .domino-markdown, .domino-report-result * { max-height: none !important; overflow: visible !important; }
}`;

const sectionId = (index: number) => `report-task-${index}`;

// <base href> points at the app root, so "#x" links would leave the page: scroll by hand.
function jumpTo(event: MouseEvent<HTMLAnchorElement>, id: string) {
  event.preventDefault();
  const target = document.getElementById(id);
  target?.scrollIntoView({ block: "start" });
  target?.focus({ preventScroll: true });
}

function Contents({ tasks }: { tasks: RunReport["tasks"] }) {
  return (
    <Box as="nav" aria-label="Contents" borderWidth="1px" borderRadius="md" p="3" bg="bg.subtle">
      <Text fontWeight="semibold" textStyle="sm" mb="1">
        Contents
      </Text>
      <Box as="ol" css={{ columnWidth: "16rem", columnGap: "1.5rem" }} listStyleType="none" textStyle="sm">
        {tasks.map((task, index) => (
          <Box as="li" key={task.task_id} py="0.5" css={{ breakInside: "avoid" }}>
            <HStack gap="2">
              <Link href={`#${sectionId(index)}`} onClick={(event) => jumpTo(event, sectionId(index))} color="brand.fg">
                {index + 1}. {task.label || task.task_id}
              </Link>
              <StateBadge state={task.state} />
              {task.display_result && (
                <Text as="span" color="fg.muted" textStyle="xs">
                  {task.display_result.file_type}
                </Text>
              )}
            </HStack>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

export function RunReportPage() {
  const { workflowId = "", runId = "" } = useParams();
  const report = useRunReport(workflowId, runId);
  const workflow = useWorkflowDetail(workflowId);
  const sender = useSender();
  const name = workflow.data?.name ?? workflowId;
  useDocumentTitle(report.data ? `Report · ${runTitle(name, report.data.run, (iso) => formatDateTime(iso), (state) => stateStyle(state).label)}` : `Report · ${name}`);
  return (
    <Stack gap="4">
      <style>{PRINT_CSS}</style>
      <HStack justify="space-between" className="no-print">
        <Link asChild color="brand.fg" textStyle="sm">
          <RouterLink to={`/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}`}>← Back to the run</RouterLink>
        </Link>
        <Button onClick={() => window.print()}>Print</Button>
      </HStack>
      <QueryContent query={report} what="run report" isEmpty={() => false} empty={null}>
        {(data) => (
          <Stack gap="4">
            <Box>
              <Heading as="h2" size="xl">
                Run report: {name}
              </Heading>
              <HStack gap="2" textStyle="sm" color="fg.muted" wrap="wrap">
                <StateBadge state={data.run.state} />
                {data.run.start_date && (
                  <Text>
                    started <DateTime value={data.run.start_date} />
                  </Text>
                )}
                {data.run.end_date && (
                  <Text>
                    ended <DateTime value={data.run.end_date} />
                  </Text>
                )}
                {data.run.revision && <Text>revision #{data.run.revision.number}</Text>}
                <Text fontFamily="mono" textStyle="xs">
                  {data.run.run_id}
                </Text>
              </HStack>
              {data.run.params && Object.keys(data.run.params).length > 0 && (
                <Box mt="2" maxW="2xl">
                  <ValueView value={data.run.params} label="Parameters" raw={false} />
                </Box>
              )}
            </Box>
            {data.tasks.length === 0 ? <Text color="fg.muted">This run has no tasks.</Text> : <Contents tasks={data.tasks} />}
            {data.tasks.map((task, index) => (
              <Box as="section" key={task.task_id} id={sectionId(index)} tabIndex={-1} outline="none" className="report-task" aria-labelledby={`report-${index}`} borderTopWidth="1px" pt="3">
                <HStack gap="3" mb="2">
                  <Heading as="h3" size="md" id={`report-${index}`}>
                    {index + 1}. {task.label || task.task_id}
                  </Heading>
                  <StateBadge state={task.state} />
                </HStack>
                {task.display_result ? (
                  <Box className="domino-report-result">
                    <DisplayResult
                      compact
                      fileType={task.display_result.file_type}
                      url={sender.url(`${runPath(workflowId, runId)}/tasks/${encodeURIComponent(task.task_id)}/result`)}
                      label={`Result of ${task.label || task.task_id}`}
                      files={{ filesUrl: sender.url(`${taskPath(workflowId, runId, task.task_id)}/files/`), resultsFolder: task.display_result.results_folder }}
                    />
                  </Box>
                ) : null}
                {task.outputs && Object.keys(task.outputs).length > 0 ? (
                  <Box mt="2">
                    <Text textStyle="sm" fontWeight="semibold" mb="1">
                      Outputs
                    </Text>
                    <ValueView value={task.outputs} label={`Outputs of ${task.task_id}`} raw={false} />
                  </Box>
                ) : !task.display_result ? (
                  <Text color="fg.muted" textStyle="sm">
                    No outputs or display result.
                  </Text>
                ) : null}
              </Box>
            ))}
          </Stack>
        )}
      </QueryContent>
    </Stack>
  );
}
