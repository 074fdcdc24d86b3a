/** Binding objects (`$param`, `$upstream`) in task inputs, and which ones fit an input. */
import { describeType, incompatibility, nullableWarning, type JsonSchema, type Loc } from "./typeCompat";
import type { ParamDef, TaskDoc, WorkflowDoc } from "./workflowDoc";

export interface ParamBinding {
  $param: string;
}
export interface UpstreamBinding {
  $upstream: { task: string; output: string };
}
export type Binding = ParamBinding | UpstreamBinding;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Any object with a `$upstream` or `$param` key is a binding (as the server reads it). */
export function isBinding(value: unknown): value is Binding {
  return isRecord(value) && ("$upstream" in value || "$param" in value);
}

export function isParamBinding(value: unknown): value is ParamBinding {
  return isRecord(value) && typeof value.$param === "string";
}

export function isUpstreamBinding(value: unknown): value is UpstreamBinding {
  return isRecord(value) && isRecord(value.$upstream) && typeof value.$upstream.task === "string";
}

export const paramBinding = (name: string): ParamBinding => ({ $param: name });
export const upstreamBinding = (task: string, output: string): UpstreamBinding => ({ $upstream: { task, output } });

export function describeBinding(value: Binding): string {
  if (isParamBinding(value)) return `run parameter ${value.$param}`;
  if (isUpstreamBinding(value)) return `${value.$upstream.task} → ${value.$upstream.output}`;
  return "binding";
}

/** The value at `loc` inside `value`, or undefined. */
export function getAt(value: unknown, loc: Loc): unknown {
  let current = value;
  for (const key of loc) {
    if (typeof key === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/**
 * A copy of `value` with `loc` set to `next` (containers are created as needed); `undefined`
 * removes an object key (and leaves null in a list).
 */
export function setAt(value: unknown, loc: Loc, next: unknown): unknown {
  if (loc.length === 0) return next;
  const [head, ...rest] = loc;
  if (typeof head === "number") {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    while (list.length < head) list.push(null);
    const child = setAt(list[head], rest, next);
    list[head] = child === undefined ? null : child;
    return list;
  }
  const record: Record<string, unknown> = isRecord(value) && !isBinding(value) ? { ...value } : {};
  const child = setAt(record[head!], rest, next);
  if (child === undefined) delete record[head!];
  else record[head!] = child;
  return record;
}

/** Removes item `index` of the list at `loc`. */
export function removeItemAt(value: unknown, loc: Loc, index: number): unknown {
  const list = getAt(value, loc);
  if (!Array.isArray(list)) return value;
  return setAt(value, loc, list.filter((_, i) => i !== index));
}

export interface FoundBinding {
  loc: (string | number)[];
  binding: Binding;
}

/** Every binding inside `value`, with its location, in document order. */
export function findBindings(value: unknown, base: (string | number)[] = []): FoundBinding[] {
  if (isBinding(value)) return [{ loc: base, binding: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => findBindings(item, [...base, i]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => findBindings(v, [...base, k]));
  return [];
}

/** Rewrites every `$upstream` in `value` with `map` (return null to drop the binding). */
export function mapUpstream(value: unknown, map: (b: UpstreamBinding) => UpstreamBinding | null): unknown {
  if (isUpstreamBinding(value)) {
    const next = map(value);
    return next ?? undefined;
  }
  if (isBinding(value)) return value;
  if (Array.isArray(value)) return value.map((item) => mapUpstream(item, map) ?? null);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const mapped = mapUpstream(v, map);
      if (mapped !== undefined) out[k] = mapped;
    }
    return out;
  }
  return value;
}

/** All tasks `taskId` depends on, directly or through others. */
export function ancestors(tasks: readonly TaskDoc[], taskId: string): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out = new Set<string>();
  const stack = [...(byId.get(taskId)?.depends_on ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id) || id === taskId) continue;
    out.add(id);
    stack.push(...(byId.get(id)?.depends_on ?? []));
  }
  return out;
}

/** JSON schema of a parameter's values (mirror of params.param_json_schema). */
export function paramSchema(param: ParamDef): JsonSchema {
  const schema: JsonSchema = { type: param.type };
  if (param.enum != null) schema.enum = [...param.enum];
  if (param.type === "array" && param.items != null) schema.items = { type: param.items.type };
  if (param.minimum != null) schema.minimum = param.minimum;
  if (param.maximum != null) schema.maximum = param.maximum;
  return schema;
}

export interface Candidate<T> {
  value: T;
  /** e.g. "integer", "array of string". */
  type: string;
  /** Why it does not fit the input, or null when it does. */
  reason: string | null;
  /** It fits, but may be null where the input does not accept null (saved with a warning). */
  warning?: string | null;
}

/** The run parameters of `doc`, each with whether it fits `target`. */
export function paramCandidates(doc: WorkflowDoc, target: JsonSchema | null, targetRoot: JsonSchema): Candidate<string>[] {
  return Object.entries(doc.params ?? {}).map(([name, param]) => {
    const source = paramSchema(param);
    return {
      value: name,
      type: describeType(source),
      reason: target === null ? "this place does not exist in the input" : incompatibility(source, target, { targetRoot }),
    };
  });
}

export interface OutputRef {
  task: string;
  output: string;
}

/** Output schemas of a task (declared outputs included), by task id; undefined while its piece is not loaded. */
export type OutputSchemaOf = (taskId: string) => JsonSchema | undefined;

/** The outputs of `taskId`'s ancestors, each with whether it fits `target`. */
export function upstreamCandidates(
  doc: WorkflowDoc,
  taskId: string,
  target: JsonSchema | null,
  targetRoot: JsonSchema,
  outputSchemaOf: OutputSchemaOf,
): Candidate<OutputRef>[] {
  const up = ancestors(doc.tasks, taskId);
  const out: Candidate<OutputRef>[] = [];
  for (const task of doc.tasks) {
    if (!up.has(task.id)) continue;
    const root = outputSchemaOf(task.id);
    if (!root) continue;
    const props = root.properties;
    if (typeof props !== "object" || props === null) continue;
    for (const [output, source] of Object.entries(props as Record<string, unknown>)) {
      let reason = target === null ? "this place does not exist in the input" : incompatibility(source, target, { sourceRoot: root, targetRoot });
      let warning: string | null = null;
      if (reason !== null && target !== null) {
        warning = nullableWarning(source, target, { sourceRoot: root, targetRoot });
        if (warning !== null) reason = null;
      }
      out.push({ value: { task: task.id, output }, type: describeType(source, root), reason, warning });
    }
  }
  return out;
}

export type FromUpstream = "allowed" | "always" | "never";

export function fromUpstreamMode(schema: JsonSchema | null | undefined): FromUpstream {
  return declaredMode(schema) ?? "allowed";
}

/** The mode a place declares itself, or null: then the enclosing place's mode applies (as the server checks). */
export function declaredMode(schema: JsonSchema | null | undefined): FromUpstream | null {
  const mode = schema?.from_upstream;
  return mode === "always" || mode === "never" || mode === "allowed" ? mode : null;
}
