import { Box, HStack, Spinner, Text } from "@chakra-ui/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useFollowedLog } from "../../api/runs";
import { ErrorNotice } from "../../components/ErrorNotice";
import { LogSegments } from "./LogSegments";
import { segmentLog } from "./logLines";

interface LogViewerProps {
  workflowId: string;
  runId: string;
  taskId: string;
  tryNumber: number;
  /** The task is still going: keep following the log. */
  active: boolean;
  /** One instance of a for-each task. */
  mapIndex?: number;
}

/** The task's log, followed while it runs; the piece's own output is set apart in its own block. */
export function LogViewer({ workflowId, runId, taskId, tryNumber, active, mapIndex }: LogViewerProps) {
  const log = useFollowedLog(workflowId, runId, taskId, tryNumber, active, mapIndex);
  const segments = useMemo(() => segmentLog(log.lines), [log.lines]);
  const scroller = useRef<HTMLDivElement>(null);
  const [stick, setStick] = useState(true);

  // Follow the end of the log like `tail -f`, unless the reader scrolled up.
  useEffect(() => {
    const element = scroller.current;
    if (element && stick) element.scrollTop = element.scrollHeight;
  }, [log.lines, stick]);

  return (
    <Box>
      <HStack justify="space-between" mb="2" textStyle="sm" color="fg.muted">
        <Text>
          Try {tryNumber} · {log.lines.length} line(s)
        </Text>
        {!log.complete && (log.loading || active) ? (
          <HStack gap="1.5" role="status">
            <Spinner size="xs" />
            <Text>{log.loading ? "Loading the log…" : "Following the log…"}</Text>
          </HStack>
        ) : null}
      </HStack>
      {log.error ? <ErrorNotice error={log.error} what="log" /> : null}
      <Box
        ref={scroller}
        role="log"
        aria-label={`Log of ${taskId}, try ${tryNumber}`}
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          setStick(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
        }}
        fontFamily="mono"
        fontSize="xs"
        lineHeight="1.55"
        bg="bg.subtle"
        borderWidth="1px"
        borderRadius="md"
        maxH="460px"
        minH="120px"
        overflow="auto"
        p="2"
      >
        {!log.loading && log.lines.length === 0 && !log.error ? (
          <Text color="fg.muted" p="1" fontFamily="body">
            {active ? "No log yet: the task has not started writing." : "This try wrote no log."}
          </Text>
        ) : null}
        <LogSegments segments={segments} />
      </Box>
    </Box>
  );
}
