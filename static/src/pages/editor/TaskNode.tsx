import { Badge, Box, HStack, Text } from "@chakra-ui/react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { PieceDetail } from "../../api/pieces";
import { outputNames } from "../../lib/dynamicOutputs";
import type { TaskDoc } from "../../lib/workflowDoc";

export interface TaskNodeData extends Record<string, unknown> {
  taskId: string;
  label: string;
  pieceName: string;
  repository: string;
  errorCount: number;
  /** Warnings on the task's bindings (e.g. a nullable output feeding a required input). */
  warningCount?: number;
  missingPiece: boolean;
  /** The task's output names, declared ones (Domino's `output_args`) included. */
  outputs?: string[];
}

/** Output names of `task`, for the node; empty while its piece is not loaded. */
export function outputsOf(piece: PieceDetail | undefined, task: TaskDoc): string[] {
  return piece ? outputNames(piece, task.inputs) : [];
}

export type TaskFlowNode = Node<TaskNodeData, "task">;

function TaskNodeView({ data, selected }: NodeProps<TaskFlowNode>) {
  const invalid = data.errorCount > 0 || data.missingPiece;
  return (
    <Box
      data-testid={`task-node-${data.taskId}`}
      w="200px"
      minH="64px"
      px="3"
      py="2"
      bg="bg.panel"
      borderWidth={selected ? "2px" : "1px"}
      borderColor={invalid ? "border.error" : selected ? "brand.solid" : "border.emphasized"}
      rounded="md"
      shadow={selected ? "md" : "xs"}
      title={`${data.taskId} · ${data.pieceName} (${data.repository})`}
    >
      <Handle type="target" position={Position.Left} aria-label={`Dependencies of ${data.taskId}`} />
      <HStack justify="space-between" gap="2" align="start">
        <Text fontWeight="semibold" textStyle="sm" lineClamp={1}>
          {data.label}
        </Text>
        {data.errorCount > 0 ? (
          <Badge colorPalette="red" variant="solid" size="sm" aria-label={`${data.errorCount} problem(s)`} data-testid="node-error-badge">
            {data.errorCount}
          </Badge>
        ) : data.warningCount ? (
          <Badge colorPalette="orange" variant="subtle" size="sm" aria-label={`${data.warningCount} warning(s)`} data-testid="node-warning-badge">
            {data.warningCount}
          </Badge>
        ) : null}
      </HStack>
      <Text textStyle="xs" color="fg.muted" lineClamp={1}>
        {data.taskId} · {data.pieceName}
      </Text>
      {data.outputs && data.outputs.length > 0 ? (
        <Text textStyle="xs" color="fg.muted" lineClamp={2} data-testid={`task-outputs-${data.taskId}`} title={`Outputs: ${data.outputs.join(", ")}`}>
          → {data.outputs.join(", ")}
        </Text>
      ) : null}
      {data.missingPiece ? (
        <Text textStyle="xs" color="fg.error">
          Piece not installed
        </Text>
      ) : null}
      <Handle type="source" position={Position.Right} aria-label={`Connect ${data.taskId} to a downstream task`} />
    </Box>
  );
}

export const TaskNode = memo(TaskNodeView);
export const nodeTypes = { task: TaskNode };
