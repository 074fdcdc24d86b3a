/** The workflow document (docs/workflows.md), as the editor reads and writes it. */

import type { ScheduleOn } from "./scheduleOn";
import type { ApprovalDoc, SubWorkflowDoc } from "./steps";

export type Runner = "subprocess" | "docker" | "kubernetes";
export const RUNNERS: readonly Runner[] = ["subprocess", "docker", "kubernetes"];

export interface PieceRef {
  repository: string;
  version: string;
  name: string;
}

export type SecretSource = { variable: string } | { connection: string; field?: string };

export interface Resources {
  cpu?: string | number | null;
  memory?: string | null;
  gpu?: number;
  [key: string]: unknown;
}

export type { ScheduleOn };

export interface TaskDoc {
  id: string;
  label?: string | null;
  /** Exactly one of `piece`, `workflow` (a sub-workflow) and `approval` (an approval or input step). */
  piece?: PieceRef;
  workflow?: SubWorkflowDoc;
  approval?: ApprovalDoc;
  inputs?: Record<string, unknown>;
  secrets?: Record<string, SecretSource>;
  depends_on?: string[];
  retries?: number | null;
  retry_delay_s?: number | null;
  timeout_s?: number | null;
  runner?: Runner | null;
  resources?: Resources | null;
  /** Assets the task updates when it succeeds (Airflow outlets). */
  outlets?: string[];
}

export type ParamType = "string" | "integer" | "number" | "boolean" | "array" | "object";
export const PARAM_TYPES: readonly ParamType[] = ["string", "integer", "number", "boolean", "array", "object"];

export interface ParamDef {
  type: ParamType;
  default?: unknown;
  enum?: unknown[] | null;
  title?: string | null;
  description?: string | null;
  minimum?: number | null;
  maximum?: number | null;
  items?: { type: ParamType } | null;
}

export interface TaskDefaults {
  retries?: number;
  retry_delay_s?: number;
  timeout_s?: number | null;
  runner?: Runner | null;
}

export interface XY {
  x: number;
  y: number;
}

export interface Viewport extends XY {
  zoom: number;
}

export interface UiBlock {
  nodes?: Record<string, XY>;
  viewport?: Viewport;
  [key: string]: unknown;
}

export interface WorkflowDoc {
  schema_version: 1;
  id: string;
  name: string;
  description?: string;
  schedule?: string | null;
  /** Data-aware schedule: run when other workflows complete or assets are updated. */
  schedule_on?: ScheduleOn | null;
  start_date?: string | null;
  end_date?: string | null;
  timezone?: string;
  catchup?: boolean;
  max_active_runs?: number | null;
  tags?: string[];
  params?: Record<string, ParamDef>;
  defaults?: TaskDefaults;
  tasks: TaskDoc[];
  ui?: UiBlock;
}

export function emptyWorkflow(): WorkflowDoc {
  return {
    schema_version: 1,
    id: "",
    name: "",
    description: "",
    schedule: null,
    start_date: null,
    end_date: null,
    timezone: "UTC",
    catchup: false,
    max_active_runs: null,
    tags: [],
    params: {},
    defaults: { retries: 0, retry_delay_s: 300, timeout_s: null, runner: null },
    tasks: [],
    ui: { nodes: {} },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads an imported or fetched JSON value as a document, filling what the editor needs
 * (`tasks`, `ui.nodes`) without dropping anything: the server validates the rest.
 */
export function coerceDocument(value: unknown): WorkflowDoc {
  if (!isRecord(value)) throw new Error("A workflow document is a JSON object.");
  const tasks = Array.isArray(value.tasks) ? value.tasks : [];
  for (const [index, task] of tasks.entries()) {
    const kinds = isRecord(task) ? [task.piece, task.workflow, task.approval].filter(isRecord).length : 0;
    if (!isRecord(task) || typeof task.id !== "string" || kinds === 0) {
      throw new Error(`tasks[${index}] is not a task: it needs an "id" and a "piece" (or a "workflow" or an "approval").`);
    }
  }
  const ui = isRecord(value.ui) ? value.ui : {};
  return {
    ...(value as unknown as WorkflowDoc),
    tasks: tasks as TaskDoc[],
    ui: { ...ui, nodes: isRecord(ui.nodes) ? (ui.nodes as Record<string, XY>) : {} },
  };
}

/** The label a node shows: its own, else the piece's name (an approval's title, “Run <workflow>”). */
export function taskLabel(task: TaskDoc): string {
  if (task.label?.trim()) return task.label;
  if (task.piece) return task.piece.name;
  if (task.approval) return task.approval.title || task.id;
  if (task.workflow) return task.workflow.id ? `Run ${task.workflow.id}` : "Sub-workflow";
  return task.id;
}

export function pieceKey(piece: PieceRef): string {
  return `${piece.repository}@${piece.version}/${piece.name}`;
}
