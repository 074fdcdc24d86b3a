import { createContext, useContext } from "react";
import type { PieceDetail, PieceSummary } from "../../api/pieces";
import type { LocatedIssues } from "../../lib/validationPaths";
import type { PieceRef, TaskDoc, WorkflowDoc } from "../../lib/workflowDoc";

export interface EditorData {
  doc: WorkflowDoc;
  /** Undoable change; quick edits with the same `mergeKey` form one undo step. */
  edit: (next: WorkflowDoc | ((doc: WorkflowDoc) => WorkflowDoc), mergeKey?: string | null) => void;
  readOnly: boolean;
  catalog: readonly PieceSummary[];
  /** Piece details by `repository@version/name`. */
  pieceOf: (ref: PieceRef) => PieceDetail | undefined;
  taskPiece: (task: TaskDoc) => PieceDetail | undefined;
  issues: LocatedIssues;
  /** Warnings of the last validation (e.g. a nullable output feeding an input that refuses null). */
  warnings: LocatedIssues;
  /** Says something on the canvas (refused connection, paste…). */
  notify: (message: string, status?: "info" | "warning" | "error" | "success") => void;
}

export const EditorContext = createContext<EditorData | null>(null);

export function useEditorData(): EditorData {
  const value = useContext(EditorContext);
  if (!value) throw new Error("useEditorData must be used inside the editor");
  return value;
}
