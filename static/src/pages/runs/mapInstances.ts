/** A for-each task's mapped instances (the run detail's `map_instances`), in words for the run page. */
import { stateStyle } from "./taskState";

export interface MapInstance {
  map_index: number;
  state: string | null;
  try_number: number;
  start_date: string | null;
  end_date: string | null;
  duration_s: number | null;
}

/** The instances of a run task, in item order; empty for a task that is not a for-each. */
export function instancesOf(task: object | undefined): MapInstance[] {
  const instances = (task as { map_instances?: readonly MapInstance[] | null } | undefined)?.map_instances;
  return [...(instances ?? [])].sort((a, b) => a.map_index - b.map_index);
}

/** `5 instances: 3 success, 2 running` — states in order of first appearance. */
export function instancesSummary(instances: readonly MapInstance[]): string {
  if (instances.length === 0) return "";
  const counts = new Map<string, number>();
  for (const i of instances) {
    const label = stateStyle(i.state).label.toLowerCase();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const states = [...counts].map(([label, n]) => `${n} ${label}`).join(", ");
  return `${instances.length} instance${instances.length === 1 ? "" : "s"}: ${states}`;
}

/** The instance to show: the chosen one while it exists, else the first that failed, else the first. */
export function shownInstance(instances: readonly MapInstance[], chosen: number | null): MapInstance | null {
  if (instances.length === 0) return null;
  return instances.find((i) => i.map_index === chosen) ?? instances.find((i) => i.state === "failed") ?? instances[0]!;
}
