import { Box, Button, Heading, HStack, Link, Stack, Text } from "@chakra-ui/react";
import { Link as RouterLink, useParams } from "react-router";
import { runPath, useRunReport } from "../../api/runs";
import { useSender } from "../../api/request";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { DisplayResult } from "../../components/results/DisplayResult";
import { JsonView } from "../../components/results/JsonView";
import { StateBadge } from "./StateBadge";

// The app's header and navigation, and the report's own buttons, are not printed.
const PRINT_CSS = `@media print {
  header, nav, .no-print { display: none !important; }
  main { padding: 0 !important; max-width: none !important; }
  .report-task { break-inside: avoid-page; }
  pre { max-height: none !important; overflow: visible !important; }
}`;

export function RunReportPage() {
  const { workflowId = "", runId = "" } = useParams();
  const report = useRunReport(workflowId, runId);
  const sender = useSender();
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
          <Stack gap="5">
            <Box>
              <Heading as="h2" size="xl">
                Run report: {workflowId}
              </Heading>
              <HStack gap="2" textStyle="sm" color="fg.muted" wrap="wrap">
                <Text fontFamily="mono">{data.run.run_id}</Text>
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
              </HStack>
              {data.run.params && Object.keys(data.run.params).length > 0 && (
                <Text textStyle="sm" mt="1">
                  Parameters: <code>{JSON.stringify(data.run.params)}</code>
                </Text>
              )}
            </Box>
            {data.tasks.length === 0 && <Text color="fg.muted">This run has no tasks.</Text>}
            {data.tasks.map((task, index) => (
              <Box as="section" key={task.task_id} className="report-task" aria-labelledby={`report-${index}`} borderTopWidth="1px" pt="4">
                <HStack gap="3" mb="2">
                  <Heading as="h3" size="md" id={`report-${index}`}>
                    {index + 1}. {task.label || task.task_id}
                  </Heading>
                  <StateBadge state={task.state} />
                </HStack>
                {task.display_result ? (
                  <DisplayResult
                    compact
                    fileType={task.display_result.file_type}
                    url={sender.url(`${runPath(workflowId, runId)}/tasks/${encodeURIComponent(task.task_id)}/result`)}
                    label={`Result of ${task.label || task.task_id}`}
                  />
                ) : null}
                {task.outputs && Object.keys(task.outputs).length > 0 ? (
                  <Box mt="2">
                    <Text textStyle="sm" fontWeight="semibold" mb="1">
                      Outputs
                    </Text>
                    <JsonView value={task.outputs} label={`Outputs of ${task.task_id}`} maxH="none" />
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
