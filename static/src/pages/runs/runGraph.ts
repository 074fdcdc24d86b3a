import dagre from "@dagrejs/dagre";
import type { TaskOut } from "../../api/runs";
import type { WorkflowDocument } from "../../api/workflowList";
import { branchEdgeLabels } from "../../lib/flowForm";
import { taskLabel, type TaskDoc } from "../../lib/workflowDoc";

export const NODE_W = 210;
export const NODE_H = 64;

export interface GraphTask {
  id: string;
  label: string;
  piece: string;
  x: number;
  y: number;
}

export interface GraphModel {
  tasks: GraphTask[];
  /** `label`: the branch rule that chooses the target ("if total > 3", "else"). */
  edges: { source: string; target: string; label?: string }[];
}

/**
 * The graph of the revision a run executed: tasks and `depends_on` edges, placed where the
 * editor left them (`ui.nodes`), with dagre laying out left to right whatever has no position.
 * Falls back to the run's task list when the document is missing.
 */
export function buildRunGraph(document: WorkflowDocument | null | undefined, runTasks: readonly TaskOut[]): GraphModel {
  const docTasks = document?.tasks ?? [];
  const source = docTasks.length
    ? docTasks.map((task) => ({ id: task.id, label: taskLabel(task as TaskDoc), piece: task.piece?.name ?? "", depends: task.depends_on ?? [] }))
    : runTasks.map((task) => ({ id: task.task_id, label: task.label || task.task_id, piece: typeof task.piece === "string" ? task.piece : (task.piece?.name ?? ""), depends: [] as string[] }));
  const ids = new Set(source.map((task) => task.id));
  const ruleLabels = new Map(docTasks.map((task) => [task.id, branchEdgeLabels(task as unknown as TaskDoc)]));
  const edges = source.flatMap((task) =>
    task.depends.filter((dep) => ids.has(dep)).map((dep) => {
      const label = ruleLabels.get(dep)?.get(task.id);
      return label ? { source: dep, target: task.id, label } : { source: dep, target: task.id };
    }),
  );
  const saved = document?.ui?.nodes ?? {};
  const missing = source.filter((task) => !saved[task.id]);
  let placed: Record<string, { x: number; y: number }> = {};
  if (missing.length > 0) {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 70, marginx: 10, marginy: 10 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const task of source) g.setNode(task.id, { width: NODE_W, height: NODE_H });
    for (const edge of edges) g.setEdge(edge.source, edge.target);
    dagre.layout(g);
    placed = Object.fromEntries(
      source.map((task) => {
        const node = g.node(task.id) as { x: number; y: number } | undefined;
        return [task.id, node ? { x: node.x - NODE_W / 2, y: node.y - NODE_H / 2 } : { x: 0, y: 0 }];
      }),
    );
  }
  // Only lay out automatically when positions are missing: mixing saved and computed ones would overlap.
  const positions = missing.length > 0 ? placed : saved;
  return {
    tasks: source.map((task) => ({ id: task.id, label: task.label, piece: task.piece, x: positions[task.id]?.x ?? 0, y: positions[task.id]?.y ?? 0 })),
    edges,
  };
}

/** Smallest text size in a run-graph node (px, at zoom 1): the state line. */
export const NODE_SMALLEST_TEXT_PX = 12;
/** Below this many on-screen pixels node text is not readable. */
export const READABLE_TEXT_PX = 11;
const FIT_PADDING = 0.2;
const FIT_MAX_ZOOM = 1.1;

/** The zoom React Flow's fit view picks for `graph` in a `width`×`height` box (padding 20 %, at most 1.1). */
export function fitZoom(graph: GraphModel, width: number, height: number): number {
  if (graph.tasks.length === 0 || width <= 0 || height <= 0) return FIT_MAX_ZOOM;
  const xs = graph.tasks.map((t) => t.x);
  const ys = graph.tasks.map((t) => t.y);
  const w = Math.max(...xs) + NODE_W - Math.min(...xs);
  const h = Math.max(...ys) + NODE_H - Math.min(...ys);
  const zoom = Math.min(width / (w * (1 + FIT_PADDING)), height / (h * (1 + FIT_PADDING)));
  return Math.min(zoom, FIT_MAX_ZOOM);
}

/** Is every node's text at least 11 px on screen when the graph is fitted to the box? */
export function readableAtFit(graph: GraphModel, width: number, height: number): boolean {
  return fitZoom(graph, width, height) * NODE_SMALLEST_TEXT_PX >= READABLE_TEXT_PX;
}

/** Tasks in dependency order (each after everything it depends on; ties keep document order), with their direct upstreams. */
export function tasksInOrder(graph: GraphModel): { task: GraphTask; after: string[] }[] {
  const upstream = new Map<string, string[]>(graph.tasks.map((t) => [t.id, []]));
  for (const e of graph.edges) upstream.get(e.target)?.push(e.source);
  const done = new Set<string>();
  const out: { task: GraphTask; after: string[] }[] = [];
  let progress = true;
  while (out.length < graph.tasks.length && progress) {
    progress = false;
    for (const task of graph.tasks) {
      if (done.has(task.id)) continue;
      const after = upstream.get(task.id) ?? [];
      if (after.every((id) => done.has(id))) {
        done.add(task.id);
        out.push({ task, after });
        progress = true;
      }
    }
  }
  // A cycle cannot come from a valid document; list whatever is left rather than drop it.
  for (const task of graph.tasks) if (!done.has(task.id)) out.push({ task, after: upstream.get(task.id) ?? [] });
  return out;
}
