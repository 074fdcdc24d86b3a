/**
 * What to bind when an edge is drawn: the downstream task's required inputs that have no value
 * yet, each paired with a type-compatible output of the new upstream task.
 *
 * Compatibility is `upstreamCandidates` (bindings.ts, i.e. the server's type rules); this module
 * only decides which inputs need a value and which output to propose first.
 */
import { declaredMode, upstreamBinding, upstreamCandidates, type OutputRef, type OutputSchemaOf } from "./bindings";
import { updateTask } from "./graph";
import { describeType, normaliseSchema, type JsonSchema } from "./typeCompat";
import type { WorkflowDoc } from "./workflowDoc";

export interface BindingOption {
  output: string;
  /** e.g. "integer", "array of string". */
  type: string;
  /** Fits, but may be null where the input refuses null (saved with a warning). */
  warning: string | null;
}

export interface BindingSuggestion {
  input: string;
  /** The input's type, in words. */
  inputType: string;
  /** Compatible outputs of the upstream task, the proposed one first. */
  options: BindingOption[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An input still needs a value when it is absent (or null / an empty string: nothing typed). */
function unset(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/**
 * Suggestions for binding `target`'s inputs to outputs of `source`, in input-schema order.
 *
 * `doc` is the document after the edge was added (so `source` is an ancestor of `target`).
 * Only required inputs that are unset and may come from upstream are listed, and only when at
 * least one output of `source` fits. Per input, an output with the same name comes first, then
 * exact fits before ones with a nullable warning, then output order.
 */
export function edgeBindingSuggestions(
  doc: WorkflowDoc,
  source: string,
  target: string,
  inputSchema: JsonSchema | undefined,
  outputSchemaOf: OutputSchemaOf,
): BindingSuggestion[] {
  const task = doc.tasks.find((t) => t.id === target);
  if (!task || !inputSchema || !isRecord(inputSchema.properties)) return [];
  const required = new Set(Array.isArray(inputSchema.required) ? (inputSchema.required as unknown[]) : []);
  const forEachInput = (task as { for_each?: { input?: string } }).for_each?.input;
  const out: BindingSuggestion[] = [];
  for (const [input, prop] of Object.entries(inputSchema.properties)) {
    if (!required.has(input) || input === forEachInput || !unset(task.inputs?.[input])) continue;
    const node = normaliseSchema(prop, inputSchema);
    if (declaredMode(isRecord(prop) ? prop : null) === "never" || declaredMode(node) === "never") continue;
    const fits = upstreamCandidates(doc, target, node, inputSchema, outputSchemaOf).filter((c) => c.value.task === source && c.reason === null);
    if (fits.length === 0) continue;
    const ranked = fits
      .map((c, index) => ({ c, index }))
      .sort((a, b) => rank(a.c.value, a.c.warning, input) - rank(b.c.value, b.c.warning, input) || a.index - b.index)
      .map(({ c }) => ({ output: c.value.output, type: c.type, warning: c.warning ?? null }));
    out.push({ input, inputType: describeType(prop, inputSchema), options: ranked });
  }
  return out;
}

function rank(ref: OutputRef, warning: string | null | undefined, input: string): number {
  return (ref.output === input ? 0 : 2) + (warning ? 1 : 0);
}

/** `doc` with each `input → output` of `choices` bound to `source`'s output on `target`. */
export function applyEdgeBindings(doc: WorkflowDoc, source: string, target: string, choices: Readonly<Record<string, string>>): WorkflowDoc {
  const entries = Object.entries(choices);
  if (entries.length === 0) return doc;
  return updateTask(doc, target, (task) => {
    const inputs = { ...(task.inputs ?? {}) };
    for (const [input, output] of entries) inputs[input] = upstreamBinding(source, output);
    return { ...task, inputs };
  });
}

/** The proposed choice per suggestion: its first option. */
export function defaultChoices(suggestions: readonly BindingSuggestion[]): Record<string, string> {
  return Object.fromEntries(suggestions.map((s) => [s.input, s.options[0]!.output]));
}
