import { Box, Button, HStack, NativeSelect, Stack, Text } from "@chakra-ui/react";
import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  type Connection,
  type DefaultEdgeOptions,
  type Edge,
  type EdgeChange,
  type FitViewOptions,
  type NodeChange,
  type Viewport,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import type { PieceDetail } from "../../api/pieces";
import { useAirflowColorMode } from "../../theme/colorMode";
import { branchEdgeLabels, flowOutputSchema, nodeFlowBadges } from "../../lib/flowForm";
import { applyEdgeBindings, defaultChoices, edgeBindingSuggestions, type BindingSuggestion } from "../../lib/edgeBindings";
import { bindingsOutsideAncestors, connect, edgesOf, moveNodes, positionOf } from "../../lib/graph";
import { taskKind, taskRef } from "../../lib/steps";
import { taskLabel, type PieceRef, type TaskDoc, type WorkflowDoc, type XY } from "../../lib/workflowDoc";
import { useEditorData } from "./EditorContext";
import { estimatedNodeSize, nodeTypes, outputsOf, type TaskFlowNode } from "./TaskNode";

export const PIECE_MIME = "application/x-domino-piece";

/** Above this many tasks a saved viewport is kept on opening (fitting would render every node, too small to read). */
export const FIT_ON_OPEN_MAX_TASKS = 150;
/**
 * From this many tasks only the nodes in view are rendered. Measured with bench/gui_load.py (load
 * ~6 on 2 cores): at 500 tasks, rendering all of them panned at p95 67 ms a frame and answered a
 * click after 6.3 s; rendering those in view, 17 ms and 3.6-4.2 s.
 */
const RENDER_VISIBLE_ONLY_FROM = 200;
/** The minimap is shown from the start only when the canvas is at least this wide (it would cover nodes). */
const MINIMAP_MIN_CANVAS_WIDTH = 720;

// Module-level so React Flow sees the same objects on every render.
const DEFAULT_EDGE_OPTIONS: DefaultEdgeOptions = { type: "smoothstep", markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };
const FIT_VIEW_OPTIONS: FitViewOptions = { maxZoom: 1.2, padding: 0.15 };
const PRO_OPTIONS = { hideAttribution: true };
const MINIMAP_STYLE = { width: 150, height: 100 };

interface CanvasProps {
  selected: string[];
  setSelected: (ids: string[]) => void;
  selectedEdges: string[];
  setSelectedEdges: (ids: string[]) => void;
  replace: (next: (doc: WorkflowDoc) => WorkflowDoc) => void;
  onDropPiece: (piece: PieceRef, position: XY) => void;
}

interface CachedNode {
  task: TaskDoc;
  piece: PieceDetail | undefined;
  errors: number;
  warnings: number;
  x: number;
  y: number;
  selected: boolean;
  measured: { width: number; height: number } | undefined;
  /** Whether React Flow is given an estimated size for the node until it measures it (large workflows). */
  estimate: boolean;
  showSource: boolean;
  node: TaskFlowNode;
}

interface BindOfferState {
  source: string;
  target: string;
  suggestions: BindingSuggestion[];
}

/** Piece names shipped by more than one installed repository or version (or used so in the document). */
function ambiguousNames(catalog: readonly PieceRef[], tasks: readonly TaskDoc[]): Set<string> {
  const sources = new Map<string, Set<string>>();
  for (const p of [...catalog, ...tasks.flatMap((t) => (t.piece ? [t.piece] : []))]) {
    const set = sources.get(p.name) ?? new Set<string>();
    set.add(`${p.repository}@${p.version}`);
    sources.set(p.name, set);
  }
  return new Set([...sources].filter(([, set]) => set.size > 1).map(([name]) => name));
}

/**
 * React Flow renders every node it has not measured, to measure it, even when it renders only the
 * nodes in view: opening a large workflow rendered all of its nodes once. A node not measured yet is
 * given the size and handles it will have (estimatedNodeSize), so only those in view are rendered;
 * each is measured when it is, and its measured size then replaces the estimate.
 */
function withEstimate(estimate: boolean, node: TaskFlowNode): TaskFlowNode {
  if (!estimate) return node;
  const { width, height, handles } = estimatedNodeSize(node.data);
  return { ...node, initialWidth: width, initialHeight: height, handles };
}

export function Canvas({ selected, setSelected, selectedEdges, setSelectedEdges, replace, onDropPiece }: CanvasProps) {
  const { doc, edit, readOnly, catalog, taskPiece, issues, warnings, notify } = useEditorData();
  const colorMode = useAirflowColorMode();
  const flow = useReactFlow();
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [dragging, setDragging] = useState<Record<string, XY>>({});
  const [offer, setOffer] = useState<BindOfferState | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [showMap, setShowMap] = useState(false);
  // Decided from the canvas's first size, read by a ResizeObserver once the browser has laid the page out:
  // reading clientWidth in a layout effect forced a layout of the whole editor in the middle of its first
  // commit (20-27 ms of the editor's first render with a 500-task workflow, issue 12).
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      observer.disconnect();
      setShowMap(box.clientWidth >= MINIMAP_MIN_CANVAS_WIDTH); // laid out by now: no extra layout
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const ambiguous = useMemo(() => ambiguousNames(catalog, doc.tasks), [catalog, doc.tasks]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  // Node objects are reused while nothing they show changed, so React Flow and the memoised
  // node component skip them: a selection or a drag re-renders one node, not all of them.
  const [cache] = useState(() => new Map<string, CachedNode>());
  const visibleOnly = doc.tasks.length > RENDER_VISIBLE_ONLY_FROM;
  const nodes = useMemo<TaskFlowNode[]>(() => {
    const next = new Map<string, CachedNode>();
    const out = doc.tasks.map((task, index) => {
      const at = dragging[task.id] ?? positionOf(doc, task.id, index);
      const entry: Omit<CachedNode, "node"> = {
        task,
        piece: taskPiece(task),
        errors: issues.byTask.get(task.id)?.length ?? 0,
        warnings: warnings.byTask.get(task.id)?.length ?? 0,
        x: at.x,
        y: at.y,
        selected: selectedSet.has(task.id),
        measured: measured[task.id],
        estimate: visibleOnly && measured[task.id] === undefined,
        showSource: task.piece !== undefined && ambiguous.has(task.piece.name),
      };
      const prev = cache.get(task.id);
      const same =
        prev !== undefined &&
        prev.task === entry.task &&
        prev.piece === entry.piece &&
        prev.errors === entry.errors &&
        prev.warnings === entry.warnings &&
        prev.x === entry.x &&
        prev.y === entry.y &&
        prev.selected === entry.selected &&
        prev.measured === entry.measured &&
        prev.estimate === entry.estimate &&
        prev.showSource === entry.showSource;
      const node: TaskFlowNode = same
        ? prev.node
        : withEstimate(entry.estimate, {
            id: task.id,
            type: "task",
            position: { x: at.x, y: at.y },
            selected: entry.selected,
            measured: entry.measured,
            data: {
              taskId: task.id,
              label: taskLabel(task),
              pieceName: taskRef(task).name,
              repository: taskRef(task).repository,
              version: taskRef(task).version,
              kind: taskKind(task),
              showSource: entry.showSource,
              errorCount: entry.errors,
              warningCount: entry.warnings,
              missingPiece: entry.piece === undefined,
              outputs: outputsOf(entry.piece, task),
              flow: nodeFlowBadges(task),
            },
          });
      next.set(task.id, { ...entry, node });
      return node;
    });
    cache.clear();
    for (const [id, entry] of next) cache.set(id, entry);
    return out;
  }, [cache, doc, dragging, selectedSet, measured, issues, warnings, taskPiece, ambiguous, visibleOnly]);

  const selectedEdgeSet = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  const [edgeCache] = useState(() => new Map<string, Edge>());
  const edges = useMemo<Edge[]>(() => {
    const next = new Map<string, Edge>();
    const ruleLabels = new Map(doc.tasks.filter((t) => "branch" in t).map((t) => [t.id, branchEdgeLabels(t)]));
    const out = edgesOf(doc).map((e) => {
      const isSelected = selectedEdgeSet.has(e.id);
      const prev = edgeCache.get(e.id);
      // A branch task's edges carry the rule that chooses their target ("if total > 3", "else").
      const label = ruleLabels.get(e.source)?.get(e.target);
      const edge =
        prev && prev.selected === isSelected && prev.label === label
          ? prev
          : { ...e, selected: isSelected, ariaLabel: `${e.source} to ${e.target}${label ? `, ${label}` : ""}`, ...(label ? { label, className: "dn-branch-edge" } : {}) };
      next.set(e.id, edge);
      return edge;
    });
    edgeCache.clear();
    for (const [id, edge] of next) edgeCache.set(id, edge);
    return out;
  }, [edgeCache, doc, selectedEdgeSet]);

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
      const target = result.doc.tasks.find((t) => t.id === connection.target);
      const targetPiece = target ? taskPiece(target) : undefined;
      const suggestions = edgeBindingSuggestions(result.doc, connection.source, connection.target, targetPiece?.input_schema, (tid) => {
        const t = result.doc.tasks.find((x) => x.id === tid);
        const piece = t ? taskPiece(t) : undefined;
        return t && piece ? flowOutputSchema(piece, t) : undefined;
      });
      setOffer(suggestions.length > 0 ? { source: connection.source, target: connection.target, suggestions } : null);
    },
    [doc, edit, notify, readOnly, taskPiece],
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

  const onPaneClick = useCallback(() => setOffer(null), []);
  // Read once: the view opened with, not the one each pan stores.
  const [initialViewport] = useState(doc.ui?.viewport);
  const [fitOnOpen] = useState(doc.tasks.length > 0 && (!initialViewport || doc.tasks.length <= FIT_ON_OPEN_MAX_TASKS));
  const stillConnected = offer !== null && doc.tasks.find((t) => t.id === offer.target)?.depends_on?.includes(offer.source) === true;
  return (
    <Box ref={boxRef} flex="1" minW="0" h="full" position="relative" onDragOver={onDragOver} onDrop={onDrop} data-testid="editor-canvas">
      <ReactFlow<TaskFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onMoveEnd={onMoveEnd}
        onPaneClick={onPaneClick}
        deleteKeyCode={null}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        colorMode={colorMode}
        defaultViewport={initialViewport ?? { x: 0, y: 0, zoom: 1 }}
        fitView={fitOnOpen}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        connectionRadius={30}
        onlyRenderVisibleElements={visibleOnly}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
        aria-label="Workflow graph"
      >
        <Background gap={16} />
        <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS}>
          <ControlButton onClick={() => setShowMap((v) => !v)} aria-label={showMap ? "Hide the overview map" : "Show the overview map"} title={showMap ? "Hide the overview map" : "Show the overview map"}>
            ▦
          </ControlButton>
        </Controls>
        {showMap ? <MiniMap pannable zoomable ariaLabel="Overview of the workflow graph" style={MINIMAP_STYLE} /> : null}
        {offer && stillConnected && !readOnly ? (
          <Panel position="bottom-center">
            <BindOffer
              key={`${offer.source}->${offer.target}`}
              offer={offer}
              onBind={(choices) => {
                edit((d) => applyEdgeBindings(d, offer.source, offer.target, choices));
                const n = Object.keys(choices).length;
                notify(`Bound ${n} input(s) of \`${offer.target}\` to outputs of \`${offer.source}\`.`, "success");
                setOffer(null);
              }}
              onDismiss={() => setOffer(null)}
            />
          </Panel>
        ) : null}
      </ReactFlow>
    </Box>
  );
}

/** The one-click offer after drawing an edge: bind the new downstream's unset inputs to the upstream's outputs. */
function BindOffer({ offer, onBind, onDismiss }: { offer: BindOfferState; onBind: (choices: Record<string, string>) => void; onDismiss: () => void }) {
  const [choices, setChoices] = useState(() => defaultChoices(offer.suggestions));
  return (
    <Stack
      role="group"
      aria-label={`Bind inputs of ${offer.target}`}
      data-testid="bind-offer"
      gap="2"
      bg="bg.panel"
      borderWidth="1px"
      rounded="md"
      shadow="lg"
      p="3"
      maxW="min(440px, 90vw)"
      textStyle="sm"
    >
      <Text>
        Use outputs of <code>{offer.source}</code> for the inputs <code>{offer.target}</code> still needs?
      </Text>
      <Stack as="ul" gap="1" listStyleType="none" ps="0">
        {offer.suggestions.map((s) => (
          <HStack as="li" key={s.input} gap="2" wrap="wrap">
            <code>{s.input}</code>
            <Text color="fg.muted">←</Text>
            {s.options.length === 1 ? (
              <Text>
                <code>{s.options[0]!.output}</code> ({s.options[0]!.type}){s.options[0]!.warning ? " — may be null" : ""}
              </Text>
            ) : (
              <NativeSelect.Root size="xs" width="auto">
                <NativeSelect.Field
                  aria-label={`Output for ${s.input}`}
                  value={choices[s.input]}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setChoices((c) => ({ ...c, [s.input]: value }));
                  }}
                >
                  {s.options.map((o) => (
                    <option key={o.output} value={o.output}>
                      {o.output} ({o.type}){o.warning ? " — may be null" : ""}
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            )}
          </HStack>
        ))}
      </Stack>
      <HStack gap="2" justify="flex-end">
        <Button size="xs" variant="ghost" onClick={onDismiss}>
          Not now
        </Button>
        <Button size="xs" onClick={() => onBind(choices)}>
          Bind
        </Button>
      </HStack>
    </Stack>
  );
}

/** After removing a dependency, warn about bindings that now name a non-ancestor. */
export function brokenBindingsNotice(doc: WorkflowDoc, target: string): string | null {
  const broken = bindingsOutsideAncestors(doc, target);
  if (broken.length === 0) return null;
  return `Task \`${target}\` still uses outputs of ${broken.map((b) => `\`${b}\``).join(", ")}, which no longer run before it; reconnect them or change those inputs.`;
}
