/**
 * Approval / input steps and sub-workflow tasks (docs/workflows.md): tasks that run no piece.
 *
 * The editor treats them like pieces where it can: each has a synthetic reference (for names
 * and keys) and a synthetic piece description whose input schema drives the Inputs form (the
 * body's `{{ name }}` values, or the child workflow's run parameters) and whose output schema
 * lets downstream tasks bind the response (`chosen`, `approved`, `responded_by`, form fields) or
 * the child's final outputs. The shapes mirror airflow_domino_plugin/workflows/{document,approvals,subflows}.py.
 */
import type { PieceDetail } from "../api/pieces";
import type { JsonSchema } from "./typeCompat";
import type { ParamDef, PieceRef, TaskDoc, WorkflowDoc, XY } from "./workflowDoc";

export type ApprovalKind = "approval" | "input";

export interface ApprovalDoc {
  kind?: ApprovalKind;
  title: string;
  body?: string;
  options?: string[];
  multiple?: boolean;
  fields?: Record<string, ParamDef>;
  respondents?: string[];
  timeout_s?: number | null;
  on_timeout?: string | null;
}

export interface SubWorkflowDoc {
  id: string;
  poll_interval_s?: number;
}

export type TaskKind = "piece" | ApprovalKind | "workflow";
export type StepKind = Exclude<TaskKind, "piece">;
export const STEP_KINDS: readonly StepKind[] = ["approval", "input", "workflow"];

/** What the palette and the node call each kind. */
export const KIND_WORDS: Record<StepKind, string> = { approval: "Approval", input: "Input", workflow: "Sub-workflow" };
export const KIND_HELP: Record<StepKind, string> = {
  approval: "Waits for a person to approve or reject; a rejection skips the tasks after it.",
  input: "Waits for a person to choose an option and/or fill in a form.",
  workflow: "Runs another saved workflow with parameters, waits for it, and returns its final outputs.",
};

/** Synthetic references of the palette's step entries (no repository: no installed piece has an empty one). */
export const STEP_REPOSITORY = "";

export function stepRef(kind: StepKind): PieceRef {
  return { repository: STEP_REPOSITORY, version: "", name: kind };
}

export function isStepRef(ref: PieceRef): ref is PieceRef & { name: StepKind } {
  return ref.repository === STEP_REPOSITORY && (STEP_KINDS as readonly string[]).includes(ref.name);
}

export function taskKind(task: TaskDoc): TaskKind {
  if (task.approval) return task.approval.kind === "input" ? "input" : "approval";
  if (task.workflow) return "workflow";
  return "piece";
}

/** The task's piece, or a synthetic reference naming its kind (“Approval”, “Sub-workflow clean_orders”). */
export function taskRef(task: TaskDoc): PieceRef {
  if (task.piece) return task.piece;
  const kind = taskKind(task);
  if (kind === "workflow") return { repository: STEP_REPOSITORY, version: "", name: `Sub-workflow ${task.workflow?.id || "(none)"}` };
  if (kind === "piece") return { repository: STEP_REPOSITORY, version: "", name: "task" };
  return { repository: STEP_REPOSITORY, version: "", name: KIND_WORDS[kind] };
}

/** What the Inputs section says when a step has no inputs. */
export function noStepInputs(task: TaskDoc): string {
  if (task.approval) return "None: write {{ name }} in the message to show a value; each name becomes an input here.";
  if (task.workflow && !task.workflow.id) return "Choose the workflow to run first: its run parameters are the inputs.";
  return "The workflow takes no run parameters.";
}

/** A new step task (what dropping a palette step entry adds). */
export function newStepTask(kind: StepKind, id: string): TaskDoc {
  if (kind === "workflow") return { id, workflow: { id: "" }, inputs: {}, depends_on: [] };
  const approval: ApprovalDoc =
    kind === "approval" ? { kind: "approval", title: "Approve?", body: "" } : { kind: "input", title: "Your answer", body: "", options: [] };
  return { id, approval, inputs: {}, depends_on: [] };
}

/** The default task id of a new step. */
export function stepIdBase(kind: StepKind): string {
  return kind === "workflow" ? "run_workflow" : kind;
}

export const RESPONSE_OUTPUTS: Record<string, JsonSchema> = {
  chosen: { type: "string", title: "Chosen option", description: "The (first) option chosen." },
  chosen_options: { type: "array", items: { type: "string" }, title: "Chosen options" },
  approved: { type: "boolean", title: "Approved", description: "Whether the option chosen was Approve." },
  responded_by: { type: "string", title: "Responded by", description: "Name of the person who answered." },
  responded_at: { type: "string", format: "date-time", title: "Responded at" },
};

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names used as `{{ name }}` in a body, in order of first use. */
export function placeholders(body: string | undefined): string[] {
  return [...new Set([...(body ?? "").matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** JSON schema of a form field's values (params.py param_json_schema). */
export function fieldSchema(def: ParamDef): JsonSchema {
  const schema: JsonSchema = { type: def.type };
  if (def.enum) schema.enum = [...def.enum];
  if (def.type === "array" && def.items) schema.items = { type: def.items.type };
  if (def.minimum !== undefined && def.minimum !== null) schema.minimum = def.minimum;
  if (def.maximum !== undefined && def.maximum !== null) schema.maximum = def.maximum;
  return schema;
}

/** The options the person picks from (document.py Approval.choices). */
export function approvalChoices(approval: ApprovalDoc): string[] {
  if ((approval.kind ?? "approval") === "approval") return ["Approve", "Reject"];
  return approval.options?.length ? [...approval.options] : ["OK"];
}

/** Inputs: one per `{{ name }}` of the body (any value or binding); outputs: the response and the form fields. */
export function approvalSchemas(approval: ApprovalDoc): { input_schema: JsonSchema; output_schema: JsonSchema } {
  const names = placeholders(approval.body);
  const outputs: Record<string, JsonSchema> = { ...RESPONSE_OUTPUTS };
  for (const [name, def] of Object.entries(approval.fields ?? {})) {
    if (!(name in outputs)) outputs[name] = { ...fieldSchema(def), title: def.title || name };
  }
  return {
    input_schema: {
      type: "object",
      properties: Object.fromEntries(names.map((n) => [n, { description: `Shown in the body as {{ ${n} }}.` }])),
      required: names,
      additionalProperties: true,
    },
    output_schema: { type: "object", properties: outputs, required: Object.keys(outputs) },
  };
}

/** What GET /workflows/{id}/as-task returns: the child's run parameters and final outputs. */
export interface SubWorkflowSpec {
  id: string;
  name: string;
  input_schema: JsonSchema;
  output_schema: JsonSchema;
}

const EMPTY: JsonSchema = { type: "object", properties: {} };

function synthetic(task: TaskDoc, schemas: { input_schema: JsonSchema; output_schema: JsonSchema }, description: string): PieceDetail {
  const ref = taskRef(task);
  return {
    id: -1,
    name: ref.name,
    description,
    repository_id: -1,
    repository: ref.repository,
    version: ref.version,
    tags: [],
    style: {},
    input_schema: schemas.input_schema,
    output_schema: schemas.output_schema,
    secrets_schema: EMPTY,
    dependency: {},
    container_resources: {},
    source_url: "",
  };
}

/**
 * The synthetic piece description of a step task, or undefined for piece tasks. A sub-workflow
 * whose spec is not loaded (or that names no workflow yet) has no inputs and no outputs.
 */
export function stepPiece(task: TaskDoc, subflow: (id: string) => SubWorkflowSpec | undefined): PieceDetail | undefined {
  if (task.approval) {
    const kind = taskKind(task) as ApprovalKind;
    return synthetic(task, approvalSchemas(task.approval), KIND_HELP[kind]);
  }
  if (task.workflow) {
    const spec = task.workflow.id ? subflow(task.workflow.id) : undefined;
    return synthetic(task, spec ?? { input_schema: EMPTY, output_schema: EMPTY }, KIND_HELP.workflow);
  }
  return undefined;
}

/** Replaces the step's approval settings; the inputs follow the body: new `{{ name }}` values get an empty input. */
export function setApproval(doc: WorkflowDoc, taskId: string, patch: Partial<ApprovalDoc>): WorkflowDoc {
  return {
    ...doc,
    tasks: doc.tasks.map((t) => {
      if (t.id !== taskId || !t.approval) return t;
      const approval = cleanApproval({ ...t.approval, ...patch });
      return { ...t, approval };
    }),
  };
}

/** Drops empty optional parts so the stored document stays minimal. */
function cleanApproval(a: ApprovalDoc): ApprovalDoc {
  const out: ApprovalDoc = { ...a };
  if ((out.kind ?? "approval") === "approval") {
    delete out.options;
    delete out.multiple;
  }
  if (out.options && out.options.length === 0) delete out.options;
  if (!out.multiple) delete out.multiple;
  if (out.fields && Object.keys(out.fields).length === 0) delete out.fields;
  if (out.respondents && out.respondents.length === 0) delete out.respondents;
  if (out.timeout_s === null || out.timeout_s === undefined) delete out.timeout_s;
  if (out.on_timeout === null || out.on_timeout === undefined || out.on_timeout === "") delete out.on_timeout;
  return out;
}

/** Points a sub-workflow task at another workflow; inputs that are not parameters of the new one are dropped. */
export function setSubWorkflow(doc: WorkflowDoc, taskId: string, patch: Partial<SubWorkflowDoc>, params?: readonly string[]): WorkflowDoc {
  return {
    ...doc,
    tasks: doc.tasks.map((t) => {
      if (t.id !== taskId || !t.workflow) return t;
      const workflow = { ...t.workflow, ...patch };
      const inputs = params ? Object.fromEntries(Object.entries(t.inputs ?? {}).filter(([k]) => params.includes(k))) : t.inputs;
      return { ...t, workflow, inputs };
    }),
  };
}

/** A list typed as “a, b, c” (options, respondents). */
export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Adds a step task at `position` (rounded), with a unique id; returns the new id. */
export function addStep(doc: WorkflowDoc, kind: StepKind, position: XY, uniqueId: (base: string) => string): { doc: WorkflowDoc; id: string } {
  const id = uniqueId(stepIdBase(kind));
  const task = newStepTask(kind, id);
  return {
    doc: { ...doc, tasks: [...doc.tasks, task], ui: { ...doc.ui, nodes: { ...doc.ui?.nodes, [id]: { x: Math.round(position.x), y: Math.round(position.y) } } } },
    id,
  };
}

/**
 * `stepPiece` with one object per task document and spec: the canvas redraws a node only when
 * its piece object changes, so the same task must yield the same description.
 */
export function stepPieces(subflows: ReadonlyMap<string, SubWorkflowSpec>): (task: TaskDoc) => PieceDetail | undefined {
  const cache = new WeakMap<TaskDoc, PieceDetail | undefined>();
  return (task) => {
    if (!cache.has(task)) cache.set(task, stepPiece(task, (id) => subflows.get(id)));
    return cache.get(task);
  };
}
