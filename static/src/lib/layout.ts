/** Automatic left-to-right layout with dagre, loaded only when the user asks for it. */
import type { GraphEdge } from "./graph";
import type { XY } from "./workflowDoc";

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

export async function autoLayout(nodes: readonly { id: string; width?: number; height?: number }[], edges: readonly GraphEdge[]): Promise<Record<string, XY>> {
  const { default: dagre } = await import("@dagrejs/dagre");
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width ?? NODE_WIDTH, height: n.height ?? NODE_HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Record<string, XY> = {};
  for (const n of nodes) {
    const placed = g.node(n.id) as { x: number; y: number } | undefined;
    if (placed) out[n.id] = { x: Math.round(placed.x - (n.width ?? NODE_WIDTH) / 2), y: Math.round(placed.y - (n.height ?? NODE_HEIGHT) / 2) };
  }
  return out;
}
