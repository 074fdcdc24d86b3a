/** Importing a workflow file into the editor: ours as is, Domino's converted by the server (nothing is saved). */
import type { ValidationIssue } from "../lib/validationPaths";
import { coerceDocument, type WorkflowDoc } from "../lib/workflowDoc";
import { WriteError, type JsonSender } from "./workflows";

export type ImportFormat = "workflow" | "domino-api" | "domino-stored" | "domino-editor";

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  workflow: "workflow document",
  "domino-api": "Domino workflow (API body)",
  "domino-stored": "Domino workflow (stored)",
  "domino-editor": "Domino editor export",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The same rules as the server's `detect_format`, so only Domino files make a round trip. */
export function detectImportFormat(value: unknown): ImportFormat | null {
  if (!isRecord(value)) return null;
  if ("schema_version" in value || Array.isArray(value.tasks)) return "workflow";
  if ("workflowNodes" in value || "workflowPiecesData" in value) return "domino-editor";
  if (isRecord(value.tasks)) return "domino-api";
  if (isRecord(value.schema) && isRecord(value.schema.tasks)) return "domino-stored";
  return null;
}

interface ConvertOut {
  format: ImportFormat;
  document: unknown;
  warnings: ValidationIssue[];
  task_ids: Record<string, string>;
}

export type ImportOutcome =
  | { kind: "loaded"; format: ImportFormat; doc: WorkflowDoc; warnings: ValidationIssue[]; taskIds: Record<string, string> }
  | { kind: "refused"; format: ImportFormat; message: string; issues: ValidationIssue[] };

/**
 * Read a workflow file's text. A Domino workflow is converted by `POST /workflows/import/convert`;
 * when it cannot be mapped the outcome lists every node or field the server named, with its path
 * in the file. `workflowId` keeps the id of the workflow being edited.
 */
export async function readWorkflowFile(send: JsonSender, text: string, workflowId: string | null): Promise<ImportOutcome> {
  const parsed: unknown = JSON.parse(text);
  const format = detectImportFormat(parsed);
  if (format === null) {
    throw new Error("this is neither a workflow document nor a Domino workflow (API body, stored workflow or editor export).");
  }
  if (format === "workflow") return { kind: "loaded", format, doc: coerceDocument(parsed), warnings: [], taskIds: {} };
  try {
    const converted = await send<ConvertOut>("POST", "/workflows/import/convert", { document: parsed, id: workflowId ?? undefined });
    return { kind: "loaded", format, doc: coerceDocument(converted.document), warnings: converted.warnings ?? [], taskIds: converted.task_ids ?? {} };
  } catch (error) {
    if (error instanceof WriteError && error.status === 422) return { kind: "refused", format, message: error.message, issues: error.issues };
    throw error;
  }
}
