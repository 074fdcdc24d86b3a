import { Box, Text } from "@chakra-ui/react";
import type { LocatedIssues, TaskIssue } from "../../lib/validationPaths";
import { IssueList } from "./TaskPanel";

interface ProblemsPanelProps {
  issues: LocatedIssues;
  warnings: LocatedIssues;
  problemCount: number;
  checking: boolean;
  /** A problem was picked: open its task (null: the workflow settings) at the field. */
  onPick: (taskId: string | null, issue?: TaskIssue) => void;
}

/** The Problems tab: the last validation's errors, by workflow and task, then warnings that do not prevent saving. */
export function ProblemsPanel({ issues, warnings, problemCount, checking, onPick }: ProblemsPanelProps) {
  return (
    <>
      {problemCount === 0 ? (
        <Text color="fg.muted">{checking ? "Checking…" : "No problems found."}</Text>
      ) : (
        <Box data-testid="problems-list" display="flex" flexDirection="column" gap="3">
          {issues.workflow.length > 0 ? (
            <Box>
              <Text fontWeight="semibold" textStyle="sm" mb="1">
                Workflow
              </Text>
              <IssueList issues={issues.workflow} onPick={(issue) => onPick(null, issue)} />
            </Box>
          ) : null}
          {[...issues.byTask.entries()].map(([taskId, list]) => (
            <Box key={taskId}>
              <Text fontWeight="semibold" textStyle="sm" mb="1">
                Task {taskId}
              </Text>
              <IssueList issues={list} onPick={(issue) => onPick(taskId, issue)} />
            </Box>
          ))}
        </Box>
      )}
      {warnings.byTask.size > 0 ? (
        <Box data-testid="warnings-list" display="flex" flexDirection="column" gap="3" mt="3">
          {[...warnings.byTask.entries()].map(([taskId, list]) => (
            <Box key={taskId}>
              <Text fontWeight="semibold" textStyle="sm" mb="1">
                Warnings of task {taskId} (they do not prevent saving)
              </Text>
              <IssueList issues={list} status="warning" onPick={() => onPick(taskId)} />
            </Box>
          ))}
        </Box>
      ) : null}
    </>
  );
}
