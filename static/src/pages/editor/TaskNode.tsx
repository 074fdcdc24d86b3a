import { Handle, Position, type Node, type NodeHandle, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { PieceDetail } from "../../api/pieces";
import { outputNames } from "../../lib/dynamicOutputs";
import { NODE_HEIGHT, NODE_WIDTH } from "../../lib/layout";
import { KIND_WORDS, type TaskKind } from "../../lib/steps";
import type { TaskDoc } from "../../lib/workflowDoc";
import "./taskNode.css";

export interface TaskNodeData extends Record<string, unknown> {
  taskId: string;
  label: string;
  pieceName: string;
  repository: string;
  version?: string;
  /** Shown when another installed repository (or version) ships a piece of the same name. */
  showSource?: boolean;
  errorCount: number;
  /** Warnings on the task's bindings (e.g. a nullable output feeding a required input). */
  warningCount?: number;
  missingPiece: boolean;
  /** The task's output names, declared ones (Domino's `output_args`) included. */
  outputs?: string[];
  /** What the task runs: a piece, an approval or input step, or another workflow (lib/steps.ts). */
  kind?: TaskKind;
  /** For-each / branch / join badges (lib/flowForm.ts nodeFlowBadges). */
  flow?: { kind: string; text: string; title: string }[];
}

/** Output names of `task`, for the node; empty while its piece is not loaded. */
export function outputsOf(piece: PieceDetail | undefined, task: TaskDoc): string[] {
  return piece ? outputNames(piece, task.inputs) : [];
}

export type TaskFlowNode = Node<TaskNodeData, "task">;

/** The handles' size, as taskNode.css sets it (the node's width and least height are lib/layout's). */
const HANDLE_SIZE = 14;
/** Heights (px) of the node's parts in taskNode.css: border and padding, the title row, each 16 px text line, a row of flow badges. */
const FRAME = 14;
const TITLE_ROW = 20;
const LINE = 16;
const FLOW_ROW = 20;
/** Characters of the 12 px outputs line that fit on one line of the node (its text box is 176 px wide). */
const OUTPUT_CHARS_PER_LINE = 28;

/**
 * The size a task node will have and where its two handles are, estimated from what it shows
 * (taskNode.css: fixed width, one line per part, the outputs on at most two lines). Given to React
 * Flow for a node it has not measured yet, so that it need not render every node of a large
 * workflow once to measure it: only the nodes in view are rendered, and each is measured when it is.
 */
export function estimatedNodeSize(data: TaskNodeData): { width: number; height: number; handles: NodeHandle[] } {
  const outputs = data.outputs && data.outputs.length > 0 ? `→ ${data.outputs.join(", ")}` : "";
  const lines =
    (data.kind && data.kind !== "piece" ? 1 : 0) +
    1 + // task id and piece
    (data.showSource ? 1 : 0) +
    (outputs ? (outputs.length > OUTPUT_CHARS_PER_LINE ? 2 : 1) : 0) +
    (data.missingPiece ? 1 : 0);
  const flowRows = data.flow && data.flow.length > 0 ? 1 : 0;
  const height = Math.max(NODE_HEIGHT, FRAME + TITLE_ROW + lines * LINE + flowRows * FLOW_ROW);
  const y = height / 2 - HANDLE_SIZE / 2;
  const half = HANDLE_SIZE / 2;
  return {
    width: NODE_WIDTH,
    height,
    handles: [
      { id: null, type: "target", position: Position.Left, x: -half, y, width: HANDLE_SIZE, height: HANDLE_SIZE },
      { id: null, type: "source", position: Position.Right, x: NODE_WIDTH - half, y, width: HANDLE_SIZE, height: HANDLE_SIZE },
    ],
  };
}

function TaskNodeView({ data, selected }: NodeProps<TaskFlowNode>) {
  const invalid = data.errorCount > 0 || data.missingPiece;
  const source = `${data.repository}${data.version ? ` ${data.version}` : ""}`;
  return (
    <div
      className="dn-node"
      data-testid={`task-node-${data.taskId}`}
      data-selected={selected}
      data-invalid={invalid}
      data-flow={data.flow?.map((b) => b.kind).join(" ") || undefined}
      data-task-kind={data.kind && data.kind !== "piece" ? data.kind : undefined}
      title={`${data.taskId} · ${data.pieceName} (${source})`}
    >
      <Handle type="target" position={Position.Left} aria-label={`Dependencies of ${data.taskId}`} />
      {data.kind && data.kind !== "piece" ? (
        <div className="dn-kind" data-kind={data.kind} data-testid="node-kind">
          {KIND_WORDS[data.kind]}
        </div>
      ) : null}
      <div className="dn-head">
        <div className="dn-title">{data.label}</div>
        {data.errorCount > 0 ? (
          <span className="dn-badge" data-kind="error" aria-label={`${data.errorCount} problem(s)`} data-testid="node-error-badge">
            {data.errorCount}
          </span>
        ) : data.warningCount ? (
          <span className="dn-badge" data-kind="warning" aria-label={`${data.warningCount} warning(s)`} data-testid="node-warning-badge">
            {data.warningCount}
          </span>
        ) : null}
      </div>
      <div className="dn-line">
        {data.taskId} · {data.pieceName}
      </div>
      {data.flow && data.flow.length > 0 ? (
        <div className="dn-flow">
          {data.flow.map((b) => (
            <span key={b.kind} className="dn-flow-badge" data-kind={b.kind} title={b.title} data-testid={`node-flow-${b.kind}`}>
              {b.text}
            </span>
          ))}
        </div>
      ) : null}
      {data.showSource ? (
        <div className="dn-source" data-testid={`task-source-${data.taskId}`}>
          {source}
        </div>
      ) : null}
      {data.outputs && data.outputs.length > 0 ? (
        <div className="dn-outputs" data-testid={`task-outputs-${data.taskId}`} title={`Outputs: ${data.outputs.join(", ")}`}>
          → {data.outputs.join(", ")}
        </div>
      ) : null}
      {data.missingPiece ? <div className="dn-missing">Piece not installed</div> : null}
      <Handle type="source" position={Position.Right} aria-label={`Connect ${data.taskId} to a downstream task`} />
    </div>
  );
}

export const TaskNode = memo(TaskNodeView);
export const nodeTypes = { task: TaskNode };
