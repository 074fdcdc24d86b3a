/**
 * Which validation problems the form shows: a field's problem once that field was changed, every
 * problem once a save was tried, and, for a workflow that was loaded, those of what was loaded. A new
 * workflow's empty form is not red before anything is typed (issue 12). The header's count and the
 * Problems tab always list every problem; picking one there shows it on its field.
 */
import { useCallback, useMemo, useState } from "react";
import type { LocatedIssues, Segment } from "../../lib/validationPaths";
import type { TaskDoc, WorkflowDoc } from "../../lib/workflowDoc";

/** The part of the document a problem belongs to: `inputs.a` / `secrets.TOKEN` of a task, else a top-level field. */
function part(loc: readonly Segment[]): string {
  return loc[0] === "inputs" || loc[0] === "secrets" ? `${loc[0]}.${String(loc[1] ?? "")}` : String(loc[0] ?? "");
}

/** The parts of `next` that differ from `prev` (by identity: edits replace what they change). */
export function changedParts(prev: WorkflowDoc, next: WorkflowDoc): string[] {
  if (prev === next) return [];
  const out: string[] = [];
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const key of keys) {
    if (key === "tasks" || key === "ui") continue;
    if ((prev as unknown as Record<string, unknown>)[key] !== (next as unknown as Record<string, unknown>)[key]) out.push(`wf:${key}`);
  }
  if (prev.tasks === next.tasks) return out;
  const before = new Map(prev.tasks.map((t) => [t.id, t]));
  for (const task of next.tasks) {
    const old = before.get(task.id);
    if (!old || old === task) continue; // a new task is not touched yet
    for (const key of new Set([...Object.keys(old), ...Object.keys(task)]) as Set<keyof TaskDoc>) {
      if (old[key] === task[key]) continue;
      if (key === "inputs" || key === "secrets") {
        const a = (old[key] ?? {});
        const b = (task[key] ?? {});
        for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[name] !== b[name]) out.push(`task:${task.id}:${key}.${name}`);
      } else out.push(`task:${task.id}:${key}`);
    }
  }
  return out;
}

export interface ShownIssues {
  shown: LocatedIssues;
  /** A save was tried: show every problem. */
  revealAll: () => void;
  /** Show the problems of one task (null: of the workflow settings), e.g. picked in Problems. */
  reveal: (taskId: string | null) => void;
}

export function useShownIssues(doc: WorkflowDoc, initialDoc: WorkflowDoc, isNew: boolean, issues: LocatedIssues): ShownIssues {
  const [all, setAll] = useState(false);
  // Loaded workflows show the problems of what was loaded (a draft's, say); a new one shows none yet.
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(() => new Set(isNew ? [] : ["wf", ...initialDoc.tasks.map((t) => `task:${t.id}`)]));
  // Adjusting state while rendering (React's pattern for "follow a prop"): each new document marks what it changed.
  const [seen, setSeen] = useState(doc);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  if (seen !== doc) {
    setSeen(doc);
    const fresh = changedParts(seen, doc).filter((c) => !touched.has(c));
    if (fresh.length > 0) setTouched(new Set([...touched, ...fresh]));
  }
  const shown = useMemo<LocatedIssues>(() => {
    if (all) return issues;
    const byTask = new Map<string, LocatedIssues["workflow"]>();
    for (const [id, list] of issues.byTask) {
      const keep = revealed.has(`task:${id}`) ? list : list.filter((i) => touched.has(`task:${id}:${part(i.loc)}`));
      if (keep.length > 0) byTask.set(id, keep);
    }
    const workflow = revealed.has("wf") ? issues.workflow : issues.workflow.filter((i) => touched.has(`wf:${String(i.loc[0] ?? "")}`));
    return { byTask, workflow };
  }, [all, issues, revealed, touched]);
  const revealAll = useCallback(() => setAll(true), []);
  const reveal = useCallback((taskId: string | null) => setRevealed((r) => new Set([...r, taskId === null ? "wf" : `task:${taskId}`])), []);
  return { shown, revealAll, reveal };
}
