import { useCallback, useMemo, useState } from "react";
import { canRedo, canUndo, createHistory, pushHistory, redo, replacePresent, undo, type History } from "../../lib/history";
import type { WorkflowDoc } from "../../lib/workflowDoc";
import type { RevisionSummary } from "../../api/types";

export interface EditorSession {
  /** Id of the stored workflow, null until a new one is first saved. */
  workflowId: string | null;
  /** The revision edits are based on (sent as base_revision_id). */
  baseRevision: RevisionSummary | null;
  /** The document as last loaded or saved, to tell whether there are unsaved changes. */
  savedDoc: WorkflowDoc;
  /** The revision the DAG runs (the last one saved valid); null while there are only drafts. */
  deployedRevision?: RevisionSummary | null;
}

/** The layout's viewport moves constantly and is not worth a "you have unsaved changes". */
function comparable(doc: WorkflowDoc): string {
  const { ui, ...rest } = doc;
  return JSON.stringify({ ...rest, nodes: ui?.nodes ?? {} });
}

export function useEditorState(initialDoc: WorkflowDoc, initialSession: EditorSession) {
  const [history, setHistory] = useState<History<WorkflowDoc>>(() => createHistory(initialDoc));
  const [session, setSession] = useState<EditorSession>(initialSession);
  const [selected, setSelected] = useState<string[]>([]);

  const doc = history.present;

  /** An undoable change; `mergeKey` merges quick edits of one field into one step. */
  const edit = useCallback((next: WorkflowDoc | ((doc: WorkflowDoc) => WorkflowDoc), mergeKey: string | null = null) => {
    setHistory((h) => pushHistory(h, typeof next === "function" ? next(h.present) : next, mergeKey));
  }, []);

  /** A change that is not worth an undo step (viewport). */
  const replace = useCallback((next: (doc: WorkflowDoc) => WorkflowDoc) => {
    setHistory((h) => replacePresent(h, next(h.present)));
  }, []);

  const onUndo = useCallback(() => setHistory((h) => undo(h)), []);
  const onRedo = useCallback(() => setHistory((h) => redo(h)), []);

  /** Starts over from a document (loaded revision, reload after a conflict). */
  const reset = useCallback((next: WorkflowDoc, nextSession: EditorSession) => {
    setHistory(createHistory(next));
    setSession(nextSession);
    setSelected([]);
  }, []);

  const markSaved = useCallback(
    (savedDoc: WorkflowDoc, workflowId: string, baseRevision: RevisionSummary | null, deployedRevision: RevisionSummary | null = null) => {
      setSession({ savedDoc, workflowId, baseRevision, deployedRevision });
    },
    [],
  );

  const dirty = useMemo(() => comparable(doc) !== comparable(session.savedDoc), [doc, session.savedDoc]);

  // Selected ids that no longer exist (after undo or delete) are dropped.
  const existing = useMemo(() => new Set(doc.tasks.map((t) => t.id)), [doc]);
  const liveSelection = useMemo(() => selected.filter((id) => existing.has(id)), [selected, existing]);

  return {
    doc,
    edit,
    replace,
    undo: onUndo,
    redo: onRedo,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    reset,
    session,
    setSession,
    markSaved,
    dirty,
    selected: liveSelection,
    setSelected,
  };
}

export type EditorApi = ReturnType<typeof useEditorState>;
