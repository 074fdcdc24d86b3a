/** Locating server validation errors (`tasks[1].inputs.url`, `/tasks/1/inputs/url`) in the editor. */
import type { WorkflowDoc } from "./workflowDoc";

export interface ValidationIssue {
  path: string;
  pointer?: string;
  message: string;
  code?: string;
}

export type Segment = string | number;

/** `tasks[1].inputs.headers[0].value` → ["tasks", 1, "inputs", "headers", 0, "value"]. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (const match of path.matchAll(re)) {
    if (match[2] !== undefined) out.push(Number(match[2]));
    else if (match[1] !== undefined) out.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
  }
  return out;
}

/** RFC 6901 pointer → segments; digits become indexes. */
export function parsePointer(pointer: string): Segment[] {
  if (!pointer.startsWith("/")) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function issueLoc(issue: ValidationIssue): Segment[] {
  return issue.pointer ? parsePointer(issue.pointer) : parsePath(issue.path);
}

/** "headers[0].value" style, for showing a location inside a task. */
export function formatLoc(loc: readonly Segment[]): string {
  let out = "";
  for (const part of loc) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

export interface TaskIssue extends ValidationIssue {
  /** Location inside the task, e.g. ["inputs", "url"], ["piece"], ["secrets", "TOKEN"]. */
  loc: Segment[];
}

export interface LocatedIssues {
  /** By task id (as the task stood in the validated document). */
  byTask: Map<string, TaskIssue[]>;
  /** Everything outside tasks: settings, params, schedule, ui… with its full location. */
  workflow: TaskIssue[];
}

/** Splits issues between the tasks they concern and the workflow settings. */
export function locateIssues(issues: readonly ValidationIssue[], doc: WorkflowDoc): LocatedIssues {
  const byTask = new Map<string, TaskIssue[]>();
  const workflow: TaskIssue[] = [];
  for (const issue of issues) {
    const loc = issueLoc(issue);
    if (loc[0] === "tasks" && typeof loc[1] === "number") {
      const task = doc.tasks[loc[1]];
      if (task) {
        byTask.set(task.id, [...(byTask.get(task.id) ?? []), { ...issue, loc: loc.slice(2) }]);
        continue;
      }
    }
    if (loc[0] === "ui" && loc[1] === "nodes" && typeof loc[2] === "string" && byTask.has(loc[2])) {
      byTask.set(loc[2], [...(byTask.get(loc[2]) ?? []), { ...issue, loc: loc.slice(1) }]);
      continue;
    }
    workflow.push({ ...issue, loc });
  }
  return { byTask, workflow };
}

/** Whether two located results say the same (same problems, at the same places, of the same tasks). */
export function sameLocatedIssues(a: LocatedIssues, b: LocatedIssues): boolean {
  if (a === b) return true;
  if (a.byTask.size !== b.byTask.size || JSON.stringify(a.workflow) !== JSON.stringify(b.workflow)) return false;
  for (const [id, list] of a.byTask) {
    const other = b.byTask.get(id);
    if (other === undefined || JSON.stringify(list) !== JSON.stringify(other)) return false;
  }
  return true;
}

function sameOrBelow(loc: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.length <= loc.length && prefix.every((p, i) => p === loc[i]);
}

/** The issues of a task at exactly `loc` (e.g. ["inputs", "a"]). */
export function issuesAt(issues: readonly TaskIssue[] | undefined, loc: readonly Segment[]): TaskIssue[] {
  return (issues ?? []).filter((i) => i.loc.length === loc.length && sameOrBelow(i.loc, loc));
}

/** The issues of a task at `loc` or below it. */
export function issuesUnder(issues: readonly TaskIssue[] | undefined, loc: readonly Segment[]): TaskIssue[] {
  return (issues ?? []).filter((i) => sameOrBelow(i.loc, loc));
}
