import { Box } from "@chakra-ui/react";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type Viewport,
} from "@xyflow/react";
import { useCallback, useMemo, useState, type DragEvent } from "react";
import { useAirflowColorMode } from "../../theme/colorMode";
import { bindingsOutsideAncestors, connect, edgesOf, moveNodes, positionOf } from "../../lib/graph";
import { taskLabel, type PieceRef, type WorkflowDoc, type XY } from "../../lib/workflowDoc";
import { useEditorData } from "./EditorContext";
import { nodeTypes, outputsOf, type TaskFlowNode } from "./TaskNode";

export const PIECE_MIME = "application/x-domino-piece";

interface CanvasProps {
  selected: string[];
  setSelected: (ids: string[]) => void;
  selectedEdges: string[];
  setSelectedEdges: (ids: string[]) => void;
  replace: (next: (doc: WorkflowDoc) => WorkflowDoc) => void;
  onDropPiece: (piece: PieceRef, position: XY) => void;
}

export function Canvas({ selected, setSelected, selectedEdges, setSelectedEdges, replace, onDropPiece }: CanvasProps) {
  const { doc, edit, readOnly, taskPiece, issues, warnings, notify } = useEditorData();
  const colorMode = useAirflowColorMode();
  const flow = useReactFlow();
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [dragging, setDragging] = useState<Record<string, XY>>({});

  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const nodes = useMemo<TaskFlowNode[]>(
    () =>
      doc.tasks.map((task, index) => ({
        id: task.id,
        type: "task",
        position: dragging[task.id] ?? positionOf(doc, task.id, index),
        selected: selectedSet.has(task.id),
        measured: measured[task.id],
        data: {
          taskId: task.id,
          label: taskLabel(task),
          pieceName: task.piece.name,
          repository: task.piece.repository,
          errorCount: issues.byTask.get(task.id)?.length ?? 0,
          warningCount: warnings.byTask.get(task.id)?.length ?? 0,
          missingPiece: taskPiece(task) === undefined,
          outputs: outputsOf(taskPiece(task), task),
        },
      })),
    [doc, dragging, selectedSet, measured, issues, warnings, taskPiece],
  );

  const selectedEdgeSet = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  const edges = useMemo<Edge[]>(
    () => edgesOf(doc).map((e) => ({ ...e, selected: selectedEdgeSet.has(e.id), ariaLabel: `${e.source} to ${e.target}` })),
    [doc, selectedEdgeSet],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<TaskFlowNode>[]) => {
      const sizes: Record<string, { width: number; height: number }> = {};
      const moving: Record<string, XY> = {};
      const finished: Record<string, XY> = {};
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === "dimensions" && change.dimensions) sizes[change.id] = change.dimensions;
        else if (change.type === "position" && change.position) {
          if (change.dragging) moving[change.id] = change.position;
          else finished[change.id] = change.position;
        } else if (change.type === "position" && !change.dragging) {
          finished[change.id] = dragging[change.id] ?? flow.getNode(change.id)?.position ?? { x: 0, y: 0 };
        } else if (change.type === "select") {
          selection ??= new Set(selected);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));
      if (Object.keys(moving).length > 0) setDragging((d) => ({ ...d, ...moving }));
      if (Object.keys(finished).length > 0) {
        edit((d) => moveNodes(d, finished));
        setDragging((d) => Object.fromEntries(Object.entries(d).filter(([id]) => !(id in finished))));
      }
      if (selection) setSelected([...selection]);
    },
    [dragging, edit, flow, selected, setSelected],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === "select") {
          selection ??= new Set(selectedEdges);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (selection) setSelectedEdges([...selection]);
    },
    [selectedEdges, setSelectedEdges],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (readOnly) return;
      const result = connect(doc, connection.source, connection.target);
      if (!result.ok) {
        notify(`Connection refused. ${result.reason}`, "error");
        return;
      }
      edit(result.doc);
    },
    [doc, edit, notify, readOnly],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PIECE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const raw = event.dataTransfer.getData(PIECE_MIME);
      if (!raw || readOnly) return;
      event.preventDefault();
      try {
        const piece = JSON.parse(raw) as PieceRef;
        const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
        onDropPiece(piece, { x: at.x - 100, y: at.y - 30 });
      } catch {
        notify("Could not read the dragged piece.", "error");
      }
    },
    [flow, notify, onDropPiece, readOnly],
  );

  const onMoveEnd = useCallback(
    (_event: unknown, viewport: Viewport) => {
      replace((d) => ({ ...d, ui: { ...d.ui, viewport: { x: Math.round(viewport.x), y: Math.round(viewport.y), zoom: Number(viewport.zoom.toFixed(3)) } } }));
    },
    [replace],
  );

  const initialViewport = doc.ui?.viewport;
  return (
    <Box flex="1" minW="0" h="full" position="relative" onDragOver={onDragOver} onDrop={onDrop} data-testid="editor-canvas">
      <ReactFlow<TaskFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onMoveEnd={onMoveEnd}
        deleteKeyCode={null}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        colorMode={colorMode}
        defaultViewport={initialViewport ?? { x: 0, y: 0, zoom: 1 }}
        fitView={!initialViewport && doc.tasks.length > 0}
        fitViewOptions={{ maxZoom: 1.2 }}
        minZoom={0.1}
        onlyRenderVisibleElements={doc.tasks.length > 150}
        defaultEdgeOptions={{ type: "smoothstep" }}
        proOptions={{ hideAttribution: true }}
        aria-label="Workflow graph"
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Overview of the workflow graph" />
      </ReactFlow>
    </Box>
  );
}

/** After removing a dependency, warn about bindings that now name a non-ancestor. */
export function brokenBindingsNotice(doc: WorkflowDoc, target: string): string | null {
  const broken = bindingsOutsideAncestors(doc, target);
  if (broken.length === 0) return null;
  return `Task \`${target}\` still uses outputs of ${broken.map((b) => `\`${b}\``).join(", ")}, which no longer run before it; reconnect them or change those inputs.`;
}
