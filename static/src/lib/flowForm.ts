/**
 * The editor's control-flow form: for-each, branch rules and trigger rules as choices in words,
 * and the document edits behind them. The server validates the result (workflows/validation);
 * this module only offers what can be valid: list outputs whose items fit an input (the same type
 * rules, lib/typeCompat.ts), direct downstream tasks as branch targets, known trigger rules.
 */
import { ancestors, isParamBinding, isUpstreamBinding, mapUpstream, type OutputSchemaOf } from "./bindings";
import { taskOutputSchema, type PieceSchemas } from "./dynamicOutputs";
import type { BranchDoc, BranchRuleDoc, FlowFields, ForEachDoc } from "./flow";
import { baseType, describeType, incompatibility, normaliseSchema, type JsonSchema } from "./typeCompat";
import type { TaskDoc, WorkflowDoc } from "./workflowDoc";

export type FlowTask = TaskDoc & FlowFields;

// graph.ts's updateTask, repeated: graph.ts imports this module (renames), so it cannot be imported back.
function updateTask(doc: WorkflowDoc, id: string, update: (task: TaskDoc) => TaskDoc): WorkflowDoc {
  return { ...doc, tasks: doc.tasks.map((t) => (t.id === id ? update(t) : t)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ------------------------------------------------------------------ trigger rules

/** Airflow's trigger rules the document accepts (document.TriggerRuleName), in words, most useful first. */
export const TRIGGER_RULES: readonly { value: string; words: string }[] = [
  { value: "all_success", words: "All upstream tasks succeeded (default)" },
  { value: "none_failed_min_one_success", words: "None failed and at least one succeeded (a join after a branch)" },
  { value: "one_success", words: "Any upstream task succeeded" },
  { value: "all_done", words: "All upstream tasks are done, whatever happened" },
  { value: "all_done_min_one_success", words: "All done and at least one succeeded" },
  { value: "none_failed", words: "None failed (the others succeeded or were skipped)" },
  { value: "none_skipped", words: "None was skipped" },
  { value: "one_done", words: "Any upstream task is done" },
  { value: "one_failed", words: "Any upstream task failed" },
  { value: "all_failed", words: "All upstream tasks failed" },
  { value: "all_skipped", words: "All upstream tasks were skipped" },
  { value: "always", words: "Always, whatever happened upstream" },
];

export function triggerRuleWords(rule: string | null | undefined): string {
  return TRIGGER_RULES.find((r) => r.value === (rule || "all_success"))?.words ?? rule ?? "";
}

/** `doc` with the task's trigger rule set; the default (`all_success`) is left out of the document. */
export function setTriggerRule(doc: WorkflowDoc, taskId: string, rule: string): WorkflowDoc {
  return updateTask(doc, taskId, (t) => {
    const next: FlowTask = { ...t };
    if (rule === "all_success") delete next.trigger_rule;
    else next.trigger_rule = rule;
    return next;
  });
}

// ------------------------------------------------------------------ for-each

/** A for-each task's outputs reach downstream tasks as lists, one value per instance (as validation types them). */
export function mappedOutputSchema(schema: JsonSchema): JsonSchema {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const mapped = Object.fromEntries(Object.entries(props).map(([name, prop]) => [name, { type: "array", items: prop }]));
  return { ...schema, properties: mapped, required: Object.keys(mapped) };
}

/** The output schema of `task` as its downstream tasks see it (declared outputs included, lists for a for-each task). */
export function flowOutputSchema(piece: PieceSchemas, task: TaskDoc): JsonSchema {
  const schema = taskOutputSchema(piece, task.inputs);
  return (task as FlowTask).for_each ? mappedOutputSchema(schema) : schema;
}

export interface ItemsOption {
  task: string;
  output: string;
  /** `numbers → values (array of integer)`. */
  text: string;
  /** The inputs of the task's piece that an item fits, in schema order. */
  inputs: string[];
}

export const itemsKey = (task: string, output: string) => `${task}\u0000${output}`;

/**
 * The list outputs of the task's ancestors whose items fit at least one input of its piece.
 * `current` (the list already chosen) is always listed, fitting or not, so the form can show it.
 */
export function forEachOptions(doc: WorkflowDoc, taskId: string, inputSchema: JsonSchema | undefined, outputSchemaOf: OutputSchemaOf): ItemsOption[] {
  const inputProps = inputSchema && isRecord(inputSchema.properties) ? inputSchema.properties : {};
  const up = ancestors(doc.tasks, taskId);
  const out: ItemsOption[] = [];
  for (const task of doc.tasks) {
    if (!up.has(task.id)) continue;
    const root = outputSchemaOf(task.id);
    if (!root || !isRecord(root.properties)) continue;
    for (const [output, prop] of Object.entries(root.properties)) {
      const source = normaliseSchema(prop, root);
      if (baseType(source, root) !== "array") continue;
      const item = source.items;
      const inputs = Object.entries(inputProps)
        .filter(([, target]) => incompatibility(isRecord(item) ? item : {}, target, { sourceRoot: root, targetRoot: inputSchema }) === null)
        .map(([name]) => name);
      if (inputs.length === 0) continue;
      out.push({ task: task.id, output, text: `${task.id} → ${output} (${describeType(source, root)})`, inputs });
    }
  }
  return out;
}

/** The task's for-each set (or removed with null); the input that receives the item loses its own value. */
export function setForEach(doc: WorkflowDoc, taskId: string, forEach: ForEachDoc | null): WorkflowDoc {
  return updateTask(doc, taskId, (t) => {
    const next: FlowTask = { ...t };
    if (forEach === null) {
      delete next.for_each;
      return next;
    }
    next.for_each = { ...forEach };
    if (next.for_each.max_parallel == null) delete next.for_each.max_parallel;
    if (t.inputs && forEach.input in t.inputs) {
      const inputs = { ...t.inputs };
      delete inputs[forEach.input];
      next.inputs = inputs;
    }
    return next;
  });
}

/** A for-each over the first option (and its first fitting input), or null when nothing fits. */
export function defaultForEach(options: readonly ItemsOption[]): ForEachDoc | null {
  const first = options[0];
  if (!first) return null;
  return { items: { $upstream: { task: first.task, output: first.output } }, input: first.inputs[0]! };
}

// ------------------------------------------------------------------ branches

export const BRANCH_OPS: readonly { value: string; words: string; unary?: boolean; list?: boolean }[] = [
  { value: "eq", words: "equals" },
  { value: "ne", words: "does not equal" },
  { value: "gt", words: "is greater than" },
  { value: "ge", words: "is at least" },
  { value: "lt", words: "is less than" },
  { value: "le", words: "is at most" },
  { value: "in", words: "is one of", list: true },
  { value: "not_in", words: "is not one of", list: true },
  { value: "contains", words: "contains" },
  { value: "truthy", words: "is true / not empty", unary: true },
  { value: "falsy", words: "is false / empty", unary: true },
];

export const isUnaryOp = (op: string) => BRANCH_OPS.some((o) => o.value === op && o.unary);
const isListOp = (op: string) => BRANCH_OPS.some((o) => o.value === op && o.list);

/** Tasks that directly wait for `taskId` (depend on it, bind its outputs or map over them): the possible branch targets. */
export function directDownstreams(doc: WorkflowDoc, taskId: string): string[] {
  return doc.tasks
    .filter((t) => {
      if (t.id === taskId) return false;
      if ((t.depends_on ?? []).includes(taskId)) return true;
      if ((t as FlowTask).for_each?.items.$upstream.task === taskId) return true;
      let binds = false;
      mapUpstream(t.inputs ?? {}, (b) => {
        if (b.$upstream.task === taskId) binds = true;
        return b;
      });
      return binds;
    })
    .map((t) => t.id);
}

export interface ValueOption {
  /** `up:<task>\0<output>` or `param:<name>`. */
  key: string;
  text: string;
  value: BranchRuleDoc["value"];
}

/** What a rule may compare: outputs of the task itself and of its ancestors, and run parameters. */
export function branchValueOptions(doc: WorkflowDoc, taskId: string, outputSchemaOf: OutputSchemaOf): ValueOption[] {
  const up = ancestors(doc.tasks, taskId);
  const out: ValueOption[] = [];
  const ordered = [...doc.tasks.filter((t) => t.id === taskId), ...doc.tasks.filter((t) => up.has(t.id))];
  for (const task of ordered) {
    const root = outputSchemaOf(task.id);
    if (!root || !isRecord(root.properties)) continue;
    for (const [output, prop] of Object.entries(root.properties)) {
      const who = task.id === taskId ? `this task (${task.id})` : task.id;
      out.push({ key: valueKey({ $upstream: { task: task.id, output } }), text: `${who} → ${output} (${describeType(prop, root)})`, value: { $upstream: { task: task.id, output } } });
    }
  }
  for (const [name, param] of Object.entries(doc.params ?? {})) {
    out.push({ key: valueKey({ $param: name }), text: `run parameter ${name} (${param.type})`, value: { $param: name } });
  }
  return out;
}

export function valueKey(value: unknown): string {
  if (isUpstreamBinding(value)) return `up:${itemsKey(value.$upstream.task, value.$upstream.output)}`;
  if (isParamBinding(value)) return `param:${value.$param}`;
  return "";
}

function parseOne(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}

/**
 * The operand typed in the form: a number, true/false/null or JSON as such, other text as a
 * string; for "is one of" a comma-separated list (or a JSON list). Unary operators take none.
 */
export function parseOperand(op: string, text: string): unknown {
  if (isUnaryOp(op)) return undefined;
  if (isListOp(op)) {
    const parsed = parseOne(text);
    if (Array.isArray(parsed)) return parsed;
    return text.trim() === "" ? [] : text.split(",").map(parseOne);
  }
  return parseOne(text);
}

/** The text the form shows for an operand (the inverse of parseOperand for what it produces). */
export function operandText(op: string, operand: unknown): string {
  if (operand === undefined) return "";
  // A string is shown as typed unless it would read back as something else ("3", "true", "a, b" in a list).
  const one = (v: unknown) => (typeof v === "string" ? (parseOne(v) === v && v === v.trim() ? v : JSON.stringify(v)) : JSON.stringify(v));
  if (isListOp(op) && Array.isArray(operand)) {
    // A string with a comma cannot be written as a comma-separated item: show the list as JSON.
    if (operand.some((v) => typeof v === "string" && v.includes(","))) return JSON.stringify(operand);
    return operand.map(one).join(", ");
  }
  return one(operand);
}

/** The rule with a new operator; the operand is dropped for unary operators and turned into a list for list ones. */
export function withOp(rule: BranchRuleDoc, op: string): BranchRuleDoc {
  const next: BranchRuleDoc = { ...rule, op };
  if (isUnaryOp(op)) delete next.operand;
  else if (isListOp(op) && !Array.isArray(rule.operand)) next.operand = rule.operand === undefined ? [] : [rule.operand];
  else if (!isListOp(op) && Array.isArray(rule.operand)) next.operand = rule.operand[0] ?? "";
  else if (rule.operand === undefined) next.operand = "";
  return next;
}

/** A first rule: the task's first output is true / not empty → the first downstream task; the others otherwise. */
export function defaultBranch(values: readonly ValueOption[], downstream: readonly string[]): BranchDoc | null {
  const value = values[0];
  if (!value || downstream.length === 0) return null;
  return { when: [{ value: value.value, op: "truthy", then: [downstream[0]!] }], else: downstream.slice(1) };
}

export function setBranch(doc: WorkflowDoc, taskId: string, branch: BranchDoc | null): WorkflowDoc {
  return updateTask(doc, taskId, (t) => {
    const next: FlowTask = { ...t };
    if (branch === null) delete next.branch;
    else next.branch = branch;
    return next;
  });
}

/** A one-line rule for an edge label: `total > 3`, `else`. */
function ruleLabel(rule: BranchRuleDoc): string {
  const op = { eq: "=", ne: "≠", gt: ">", ge: "≥", lt: "<", le: "≤" }[rule.op] ?? BRANCH_OPS.find((o) => o.value === rule.op)?.words ?? rule.op;
  const what = isUpstreamBinding(rule.value) ? rule.value.$upstream.output : isParamBinding(rule.value) ? rule.value.$param : "?";
  return isUnaryOp(rule.op) ? `${what} ${op}` : `${what} ${op} ${operandText(rule.op, rule.operand)}`;
}

/** Labels for the edges leaving a branch task, by target: `if total > 3`, `else`; empty for other tasks. */
export function branchEdgeLabels(task: TaskDoc): Map<string, string> {
  const branch = (task as FlowTask).branch;
  const labels = new Map<string, string[]>();
  if (!branch) return new Map();
  const add = (target: string, text: string) => labels.set(target, [...(labels.get(target) ?? []), text]);
  branch.when.forEach((rule) => rule.then.forEach((t) => add(t, `if ${ruleLabel(rule)}`)));
  (branch.else ?? []).forEach((t) => add(t, "else"));
  return new Map([...labels].map(([target, texts]) => [target, texts.join(" / ")]));
}

/** What a node shows of its control flow: `for each`, `branch`, and a non-default trigger rule in short words. */
export function nodeFlowBadges(task: TaskDoc): { kind: "for_each" | "branch" | "trigger"; text: string; title: string }[] {
  const t = task as FlowTask;
  const out: { kind: "for_each" | "branch" | "trigger"; text: string; title: string }[] = [];
  if (t.for_each) {
    const up = t.for_each.items.$upstream;
    out.push({ kind: "for_each", text: "⟳ for each", title: `Runs once per item of ${up.task} → ${up.output}, each given to input ${t.for_each.input}` });
  }
  if (t.branch) out.push({ kind: "branch", text: "⑂ branch", title: `Chooses which downstream tasks run (${t.branch.when.length} rule(s))` });
  if (t.trigger_rule && t.trigger_rule !== "all_success") out.push({ kind: "trigger", text: "⋈ join", title: `Runs when: ${triggerRuleWords(t.trigger_rule)}` });
  return out;
}

/** Rename `from` to `to` in other tasks' for-each lists and branch targets/values. */
export function renameFlowRefs(task: TaskDoc, from: string, to: string): TaskDoc {
  const t = task as FlowTask;
  if (!t.for_each && !t.branch) return task;
  const swap = (id: string) => (id === from ? to : id);
  const next: FlowTask = { ...t };
  if (t.for_each && t.for_each.items.$upstream.task === from) {
    next.for_each = { ...t.for_each, items: { $upstream: { ...t.for_each.items.$upstream, task: to } } };
  }
  if (t.branch) {
    next.branch = {
      ...t.branch,
      when: t.branch.when.map((r) => ({
        ...r,
        value: isUpstreamBinding(r.value) && r.value.$upstream.task === from ? { $upstream: { ...r.value.$upstream, task: to } } : r.value,
        then: r.then.map(swap),
      })),
      ...(t.branch.else ? { else: t.branch.else.map(swap) } : {}),
    };
  }
  return next;
}
