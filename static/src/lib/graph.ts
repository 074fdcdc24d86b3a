/** Graph edits on a workflow document. Every function returns a new document. */
import { ancestors, mapUpstream } from "./bindings";
import { renameFlowRefs } from "./flowForm";
import { addStep, isStepRef } from "./steps";
import type { PieceRef, TaskDoc, WorkflowDoc, XY } from "./workflowDoc";

export const TASK_ID_PATTERN = /^[a-z][a-z0-9_]{0,99}$/;
export const WORKFLOW_ID_PATTERN = /^[a-z][a-z0-9_]{0,199}$/;

/** "HttpRequestPiece" → "http_request"; always a valid task id. */
export function slugFromName(name: string): string {
  const base = name
    .replace(/Piece$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 90);
  return base || "task";
}

/** `base`, or `base_2`, `base_3`… — the first one not in `taken`. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

export function taskIds(doc: WorkflowDoc): string[] {
  return doc.tasks.map((t) => t.id);
}

function withNodes(doc: WorkflowDoc, nodes: Record<string, XY>): WorkflowDoc {
  return { ...doc, ui: { ...doc.ui, nodes } };
}

export function addTask(doc: WorkflowDoc, piece: PieceRef, position: XY): { doc: WorkflowDoc; id: string } {
  // The palette's approval / input / sub-workflow entries (lib/steps.ts).
  if (isStepRef(piece)) return addStep(doc, piece.name, position, (base) => uniqueId(base, taskIds(doc)));
  const id = uniqueId(slugFromName(piece.name), taskIds(doc));
  const task: TaskDoc = { id, piece: { ...piece }, inputs: {}, depends_on: [] };
  const next = withNodes({ ...doc, tasks: [...doc.tasks, task] }, { ...doc.ui?.nodes, [id]: roundXY(position) });
  return { doc: next, id };
}

function roundXY(p: XY): XY {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

export function updateTask(doc: WorkflowDoc, id: string, update: (task: TaskDoc) => TaskDoc): WorkflowDoc {
  return { ...doc, tasks: doc.tasks.map((t) => (t.id === id ? update(t) : t)) };
}

/**
 * Removes tasks with their dependencies, layout entries, and the bindings that used their
 * outputs (a binding to a task that no longer exists could never run).
 */
export function removeTasks(doc: WorkflowDoc, ids: Iterable<string>): WorkflowDoc {
  const gone = new Set(ids);
  if (gone.size === 0) return doc;
  const tasks = doc.tasks
    .filter((t) => !gone.has(t.id))
    .map((t) => {
      const deps = t.depends_on ?? [];
      const inputs = t.inputs ?? {};
      const refersToGone = deps.some((d) => gone.has(d));
      if (!refersToGone && !JSON.stringify(inputs).includes('"$upstream"')) return t;
      return {
        ...t,
        depends_on: deps.filter((d) => !gone.has(d)),
        inputs: mapUpstream(inputs, (b) => (gone.has(b.$upstream.task) ? null : b)) as Record<string, unknown>,
      };
    });
  const nodes = Object.fromEntries(Object.entries(doc.ui?.nodes ?? {}).filter(([id]) => !gone.has(id)));
  return withNodes({ ...doc, tasks }, nodes);
}

/** A path of dependencies from `from` down to `to` (following dependents), or null. */
export function dependencyPath(doc: WorkflowDoc, from: string, to: string): string[] | null {
  const dependents = new Map<string, string[]>();
  for (const t of doc.tasks) {
    for (const d of t.depends_on ?? []) dependents.set(d, [...(dependents.get(d) ?? []), t.id]);
  }
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === to) {
      const path = [to];
      while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
      return path;
    }
    for (const next of dependents.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        previous.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}

export type ConnectResult = { ok: true; doc: WorkflowDoc } | { ok: false; reason: string };

/** Makes `target` depend on `source`, unless that is impossible; the reason says why. */
export function connect(doc: WorkflowDoc, source: string, target: string): ConnectResult {
  const ids = new Set(taskIds(doc));
  if (!ids.has(source) || !ids.has(target)) return { ok: false, reason: "Both ends must be tasks of this workflow." };
  if (source === target) return { ok: false, reason: `A task cannot depend on itself (\`${source}\`).` };
  const task = doc.tasks.find((t) => t.id === target)!;
  if ((task.depends_on ?? []).includes(source)) {
    return { ok: false, reason: `\`${target}\` already depends on \`${source}\`.` };
  }
  const path = dependencyPath(doc, target, source);
  if (path) {
    const loop = [...path, target].map((id) => `\`${id}\``).join(" → ");
    return { ok: false, reason: `This connection would make a cycle: ${loop}. A workflow runs each task once, so dependencies cannot loop.` };
  }
  return { ok: true, doc: updateTask(doc, target, (t) => ({ ...t, depends_on: [...(t.depends_on ?? []), source] })) };
}

export function disconnect(doc: WorkflowDoc, source: string, target: string): WorkflowDoc {
  return updateTask(doc, target, (t) => ({ ...t, depends_on: (t.depends_on ?? []).filter((d) => d !== source) }));
}

/** Bindings in `taskId`'s inputs that name a task which is (no longer) an ancestor. */
export function bindingsOutsideAncestors(doc: WorkflowDoc, taskId: string): string[] {
  const task = doc.tasks.find((t) => t.id === taskId);
  if (!task) return [];
  const up = ancestors(doc.tasks, taskId);
  const out: string[] = [];
  mapUpstream(task.inputs ?? {}, (b) => {
    if (!up.has(b.$upstream.task)) out.push(b.$upstream.task);
    return b;
  });
  return [...new Set(out)];
}

export function moveNodes(doc: WorkflowDoc, positions: Record<string, XY>): WorkflowDoc {
  const nodes = { ...doc.ui?.nodes };
  for (const [id, p] of Object.entries(positions)) nodes[id] = roundXY(p);
  return withNodes(doc, nodes);
}

/** Renames a task everywhere: dependencies, bindings and layout. */
export function renameTask(doc: WorkflowDoc, from: string, to: string): WorkflowDoc {
  if (from === to) return doc;
  const tasks = doc.tasks.map((t) => ({
    ...renameFlowRefs(t, from, to),
    id: t.id === from ? to : t.id,
    depends_on: (t.depends_on ?? []).map((d) => (d === from ? to : d)),
    inputs: mapUpstream(t.inputs ?? {}, (b) =>
      b.$upstream.task === from ? { $upstream: { ...b.$upstream, task: to } } : b,
    ) as Record<string, unknown>,
  }));
  const nodes = Object.fromEntries(Object.entries(doc.ui?.nodes ?? {}).map(([id, p]) => [id === from ? to : id, p]));
  return withNodes({ ...doc, tasks }, nodes);
}

/** What Ctrl+C puts on the clipboard: the tasks and where they were. */
export interface Clipboard {
  kind: "domino-tasks";
  tasks: TaskDoc[];
  positions: Record<string, XY>;
}

export function copyTasks(doc: WorkflowDoc, ids: Iterable<string>): Clipboard | null {
  const wanted = new Set(ids);
  const tasks = doc.tasks.filter((t) => wanted.has(t.id));
  if (tasks.length === 0) return null;
  const positions = Object.fromEntries(tasks.map((t) => [t.id, doc.ui?.nodes?.[t.id] ?? { x: 0, y: 0 }]));
  return { kind: "domino-tasks", tasks: structuredClone(tasks), positions };
}

/**
 * Adds copies of the clipboard's tasks under fresh ids. Dependencies and bindings among the
 * copied tasks point to the copies; those on other tasks still present are kept; the rest drop.
 */
export function pasteTasks(doc: WorkflowDoc, clip: Clipboard, offset: XY = { x: 40, y: 40 }): { doc: WorkflowDoc; ids: string[] } {
  const taken = new Set(taskIds(doc));
  const rename = new Map<string, string>();
  for (const t of clip.tasks) {
    const id = uniqueId(t.id, taken);
    taken.add(id);
    rename.set(t.id, id);
  }
  const existing = new Set(taskIds(doc));
  const mapId = (id: string): string | null => rename.get(id) ?? (existing.has(id) ? id : null);
  const copies = clip.tasks.map((t) => ({
    ...structuredClone(t),
    id: rename.get(t.id)!,
    depends_on: (t.depends_on ?? []).map(mapId).filter((d): d is string => d !== null),
    inputs: mapUpstream(structuredClone(t.inputs ?? {}), (b) => {
      const task = mapId(b.$upstream.task);
      return task ? { $upstream: { ...b.$upstream, task } } : null;
    }) as Record<string, unknown>,
  }));
  const nodes = { ...doc.ui?.nodes };
  for (const t of clip.tasks) {
    const p = clip.positions[t.id] ?? { x: 0, y: 0 };
    nodes[rename.get(t.id)!] = roundXY({ x: p.x + offset.x, y: p.y + offset.y });
  }
  return { doc: withNodes({ ...doc, tasks: [...doc.tasks, ...copies] }, nodes), ids: copies.map((c) => c.id) };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

/** Edges of the document (`target` depends on `source`), skipping unknown task ids. */
export function edgesOf(doc: WorkflowDoc): GraphEdge[] {
  const ids = new Set(taskIds(doc));
  return doc.tasks.flatMap((t) =>
    (t.depends_on ?? []).filter((d) => ids.has(d)).map((d) => ({ id: edgeId(d, t.id), source: d, target: t.id })),
  );
}

export const edgeId = (source: string, target: string) => `${source}->${target}`;

/** Positions for tasks the layout does not know yet: a row under the others. */
export function positionOf(doc: WorkflowDoc, taskId: string, index: number): XY {
  return doc.ui?.nodes?.[taskId] ?? { x: 40 + (index % 5) * 240, y: 40 + Math.floor(index / 5) * 140 };
}
