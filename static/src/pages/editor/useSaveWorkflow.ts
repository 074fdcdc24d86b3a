/**
 * Saving from the editor: the save dialog's state, creating or saving a revision, a refused save's errors
 * (shown on the tasks), a conflict with someone else's newer revision (reload theirs or overwrite).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useAppEnvironment } from "../../api/context";
import { createWorkflow, fetchWorkflow, saveWorkflow, useJsonSender, WriteError, type WorkflowWithDocument } from "../../api/workflows";
import { pastStartNotice } from "../../lib/settingsHints";
import type { ValidationIssue } from "../../lib/validationPaths";
import { coerceDocument, type WorkflowDoc } from "../../lib/workflowDoc";
import type { ConflictInfo } from "./Dialogs";
import type { EditorApi } from "./useEditorState";
import type { EditorData } from "./EditorContext";

/** Whether saving changes when Airflow runs the workflow (a deployed DAG's schedule, start date or catch-up). */
export function scheduleChanged(saved: WorkflowDoc, doc: WorkflowDoc): boolean {
  return saved.schedule !== doc.schedule || saved.start_date !== doc.start_date || saved.catchup !== doc.catchup || saved.schedule_on !== doc.schedule_on;
}

type Conflict = ConflictInfo & { message_: string; draft_: boolean };

interface SaveOptions {
  state: EditorApi;
  notify: EditorData["notify"];
  /** Shows the errors of a refused save on the tasks and fields they concern. */
  showErrors: (doc: WorkflowDoc, errors: ValidationIssue[]) => void;
  /** Called after a new workflow was created, to move to its edit URL. */
  onCreated: (id: string) => void;
}

export function useSaveWorkflow({ state, notify, showErrors, onCreated }: SaveOptions) {
  const { doc, session } = state;
  const isNew = session.workflowId === null;
  const { api } = useAppEnvironment();
  const send = useJsonSender();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  // Read by the leave prompt; cleared at once after creating, so moving to the new workflow's URL does not ask.
  const dirtyRef = useRef(state.dirty);
  useEffect(() => {
    dirtyRef.current = state.dirty;
  }, [state.dirty]);
  const hasUnsavedChanges = useCallback(() => dirtyRef.current, []);

  const afterSave = useCallback(
    (saved: WorkflowWithDocument, sent: WorkflowDoc) => {
      state.markSaved(sent, saved.id, saved.revision, saved.deployed_revision ?? null);
      setOpen(false);
      setError(null);
      setConflict(null);
      void queryClient.invalidateQueries({ queryKey: ["workflows"] });
      notify(
        saved.revision?.draft ? `Saved draft revision ${saved.revision.number}: not deployed until a valid revision is saved.` : `Saved revision ${saved.revision?.number ?? ""}.`,
        "success",
      );
      if (isNew) {
        dirtyRef.current = false;
        onCreated(saved.id);
      }
    },
    [isNew, notify, onCreated, queryClient, state],
  );

  const handleSaveError = useCallback(
    async (failure: unknown, message: string, draft: boolean) => {
      if (failure instanceof WriteError && failure.status === 409 && failure.currentRevision && session.workflowId) {
        const current = failure.currentRevision;
        let author: string | undefined;
        let msg: string | undefined;
        try {
          const theirs = await fetchWorkflow(api, session.workflowId);
          author = theirs.revision?.author;
          msg = theirs.revision?.message;
        } catch {
          /* the dialog still explains without them */
        }
        setOpen(false);
        setConflict({ currentRevisionId: current.id, currentRevisionNumber: current.number, author, message: msg, message_: message, draft_: draft });
        return;
      }
      if (failure instanceof WriteError && failure.issues.length > 0) {
        showErrors(doc, failure.issues);
        setError(`${failure.message} Each problem is shown on the task and the field it concerns (see Problems).`);
        return;
      }
      setError(failure instanceof Error ? failure.message : String(failure));
    },
    [api, doc, session.workflowId, showErrors],
  );

  const save = useCallback(
    async (message: string, draft = false, baseOverride?: number) => {
      setSaving(true);
      setError(null);
      const sent = doc;
      try {
        const saved =
          session.workflowId === null
            ? await createWorkflow(send, sent, message, draft)
            : await saveWorkflow(send, session.workflowId, sent, baseOverride ?? session.baseRevision?.id ?? 0, message, draft);
        afterSave(saved, sent);
      } catch (failure) {
        await handleSaveError(failure, message, draft);
      } finally {
        setSaving(false);
      }
    },
    [afterSave, doc, handleSaveError, send, session.baseRevision, session.workflowId],
  );

  const reloadTheirs = useCallback(async () => {
    if (!session.workflowId) return;
    try {
      const theirs = await fetchWorkflow(api, session.workflowId);
      const loaded = coerceDocument(theirs.document);
      state.reset(loaded, { workflowId: theirs.id, baseRevision: theirs.revision, savedDoc: loaded, deployedRevision: theirs.deployed_revision ?? null });
      setConflict(null);
      notify(`Loaded revision ${theirs.revision?.number ?? ""}.`, "info");
    } catch (failure) {
      notify(`Could not load the current revision: ${failure instanceof Error ? failure.message : String(failure)}`, "error");
    }
  }, [api, notify, session.workflowId, state]);

  const openDialog = useCallback(() => setOpen(true), []);
  const closeDialog = useCallback(() => {
    setOpen(false);
    setError(null);
  }, []);
  const dismissConflict = useCallback(() => setConflict(null), []);

  return {
    /** The save dialog is open. */
    open,
    openDialog,
    closeDialog,
    saving,
    error,
    /** What the save dialog warns about a start date in the past (only when the saved schedule changes). */
    startNotice: open && (!session.deployedRevision || scheduleChanged(session.savedDoc, doc)) ? pastStartNotice(doc) : null,
    save,
    conflict,
    reloadTheirs,
    overwrite: () => conflict && void save(conflict.message_, conflict.draft_, conflict.currentRevisionId),
    dismissConflict,
    hasUnsavedChanges,
  };
}
