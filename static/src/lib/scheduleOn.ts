/** Data-aware schedules (`schedule_on`): what triggers a workflow, in words. */

export interface ScheduleOn {
  workflows?: string[];
  assets?: string[];
  match?: "all" | "any";
}

function list(items: string[], joiner: string): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

/** A sentence saying what starts a run, e.g. "Runs after every run of fetch_orders completes". */
export function describeScheduleOn(on: ScheduleOn | null | undefined): string {
  const workflows = on?.workflows ?? [];
  const assets = on?.assets ?? [];
  if (workflows.length === 0 && assets.length === 0) return "Pick at least one workflow or asset.";
  const joiner = on?.match === "any" ? "or" : "and";
  const parts: string[] = [];
  if (workflows.length) parts.push(`${list(workflows, joiner)} ${workflows.length > 1 && joiner === "and" ? "have" : "has"} completed`);
  if (assets.length) parts.push(`${assets.length > 1 ? "assets" : "asset"} ${list(assets, joiner)} ${assets.length > 1 && joiner === "and" ? "have" : "has"} been updated`);
  const when = parts.join(` ${joiner} `);
  const many = workflows.length + assets.length > 1;
  return many && joiner === "and"
    ? `Runs once ${when} since its last run.`
    : `Runs when ${when}.`;
}

/** The assets the tasks of a document say they update (`outlets`), for the schedule form to offer. */
export function declaredAssets(tasks: readonly { outlets?: string[] | null }[]): string[] {
  return [...new Set(tasks.flatMap((t) => t.outlets ?? []))].sort();
}
