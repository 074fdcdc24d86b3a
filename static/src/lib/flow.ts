/** For-each and branch settings of a task, in words for the editor (the server validates and compiles them). */
import type { TaskDoc } from "./workflowDoc";

export interface UpstreamRefDoc {
  $upstream: { task: string; output: string };
}

export interface ForEachDoc {
  items: UpstreamRefDoc;
  input: string;
  max_parallel?: number | null;
}

export interface BranchRuleDoc {
  value: unknown;
  op: string;
  operand?: unknown;
  then: string[];
}

export interface BranchDoc {
  when: BranchRuleDoc[];
  else?: string[];
}

/** The optional control-flow fields of a task document (kept by the editor as it edits other fields). */
export interface FlowFields {
  for_each?: ForEachDoc | null;
  branch?: BranchDoc | null;
  trigger_rule?: string | null;
}

const OP_WORDS: Record<string, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  ge: "≥",
  lt: "<",
  le: "≤",
  in: "is one of",
  not_in: "is not one of",
  contains: "contains",
  truthy: "is true / non-empty",
  falsy: "is false / empty",
};

function describeValue(value: unknown): string {
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const up = record.$upstream as { task?: unknown; output?: unknown } | undefined;
    if (up && typeof up === "object") return `${String(up.task)}.${String(up.output)}`;
    if (typeof record.$param === "string") return `param ${record.$param}`;
  }
  return JSON.stringify(value);
}

function targets(ids: string[] | undefined): string {
  return ids && ids.length > 0 ? ids.join(", ") : "nothing";
}

/** A one-line badge text for a for-each task, or null. */
export function forEachText(task: TaskDoc & FlowFields): string | null {
  const each = task.for_each;
  if (!each) return null;
  const limit = each.max_parallel ? `, at most ${each.max_parallel} at once` : "";
  return `For each item of ${describeValue(each.items)} → input ${each.input}${limit}`;
}

/** The branch rules as lines ("if … then run …", "else run …"), or an empty list. */
export function branchLines(task: TaskDoc & FlowFields): string[] {
  const branch = task.branch;
  if (!branch) return [];
  const lines = branch.when.map((rule, index) => {
    const unary = rule.op === "truthy" || rule.op === "falsy";
    const operand = unary ? "" : ` ${JSON.stringify(rule.operand ?? null)}`;
    const word = index === 0 ? "If" : "Else if";
    return `${word} ${describeValue(rule.value)} ${OP_WORDS[rule.op] ?? rule.op}${operand}: run ${targets(rule.then)}`;
  });
  lines.push(`Otherwise: run ${targets(branch.else)}`);
  return lines;
}

/** The trigger rule in words when it is not the default. */
export function triggerRuleText(task: TaskDoc & FlowFields): string | null {
  const rule = task.trigger_rule;
  return rule && rule !== "all_success" ? `Runs when: ${rule.replaceAll("_", " ")}` : null;
}
