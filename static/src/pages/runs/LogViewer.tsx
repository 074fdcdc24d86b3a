import { Box, HStack, Spinner, Text } from "@chakra-ui/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useFollowedLog } from "../../api/runs";
import { ErrorNotice } from "../../components/ErrorNotice";
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
        {segments.map((segment, index) =>
          segment.kind === "piece" ? (
            <Box
              key={index}
              as="section"
              aria-label={`Output of piece ${segment.piece ?? ""}`}
              data-log-block="piece"
              my="2"
              borderStartWidth="4px"
              borderColor="brand.solid"
              bg="bg.panel"
              borderRadius="sm"
            >
              <Text px="2" py="1" fontFamily="body" textStyle="xs" fontWeight="semibold" color="brand.fg" bg="brand.subtle">
                Piece {segment.piece} output{segment.open ? " (running…)" : ""}
              </Text>
              <Box as="pre" px="2" py="1" whiteSpace="pre-wrap" wordBreak="break-word" m="0">
                {segment.lines.join("\n") || " "}
              </Box>
            </Box>
          ) : (
            <Box key={index} as="pre" whiteSpace="pre-wrap" wordBreak="break-word" color="fg.muted" m="0" data-log-block="airflow">
              {segment.lines.join("\n")}
            </Box>
          ),
        )}
      </Box>
    </Box>
  );
}
