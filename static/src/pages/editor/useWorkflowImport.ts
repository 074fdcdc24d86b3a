/**
 * Loading another document into the editor as an undoable change: an imported file (checked at once,
 * its problems listed) or an older revision from the history.
 */
import { useCallback, useState, type ChangeEvent } from "react";
import { useAppEnvironment } from "../../api/context";
import { fetchRevision, useJsonSender, validateWorkflow } from "../../api/workflows";
import { FORMAT_LABELS, readWorkflowFile } from "../../api/workflowImport";
import type { ValidationIssue } from "../../lib/validationPaths";
import { coerceDocument, type WorkflowDoc } from "../../lib/workflowDoc";
import type { EditorData } from "./EditorContext";
import type { ImportReportData } from "./ImportReport";

interface ImportOptions {
  workflowId: string | null;
  edit: EditorData["edit"];
  setSelected: (ids: string[]) => void;
  notify: EditorData["notify"];
  showErrors: (doc: WorkflowDoc, errors: ValidationIssue[]) => void;
  /** After a document was loaded, with whether it is valid. */
  onLoaded: (valid: boolean) => void;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useWorkflowImport({ workflowId, edit, setSelected, notify, showErrors, onLoaded }: ImportOptions) {
  const { api } = useAppEnvironment();
  const send = useJsonSender();
  const [importReport, setImportReport] = useState<ImportReportData | null>(null);

  const onImport = useCallback(
    async (event: ChangeEvent<HTMLInputElement>) => {
      const file = event.currentTarget.files?.[0];
      event.currentTarget.value = "";
      if (!file) return;
      let imported: WorkflowDoc;
      try {
        // Domino workflows are converted by the server; what cannot be mapped is listed, nothing is loaded.
        const outcome = await readWorkflowFile(send, await file.text(), workflowId);
        if (outcome.kind === "refused") {
          const summary = `${outcome.message} Install or map the pieces it needs, then import it again.`;
          setImportReport({ fileName: file.name, kind: "refused", summary, issues: outcome.issues });
          return;
        }
        imported = outcome.doc;
        if (outcome.format !== "workflow" && outcome.warnings.length > 0) {
          const summary = `Converted from a ${FORMAT_LABELS[outcome.format]}. Check what was left out, then save to keep it.`;
          setImportReport({ fileName: file.name, kind: "warnings", summary, issues: outcome.warnings });
        }
      } catch (error) {
        notify(`Could not import ${file.name}: ${reason(error)}`, "error");
        return;
      }
      if (workflowId && imported.id !== workflowId) {
        notify(`The file is for workflow \`${imported.id}\`; it was imported as \`${workflowId}\`, whose id cannot change.`, "warning");
        imported = { ...imported, id: workflowId };
      }
      try {
        const result = await validateWorkflow(send, imported);
        edit(imported);
        setSelected([]);
        showErrors(imported, result.errors);
        notify(
          result.valid ? `Imported ${file.name}: the workflow is valid. Save to keep it.` : `Imported ${file.name} with ${result.errors.length} problem(s), listed under Problems.`,
          result.valid ? "success" : "warning",
        );
        onLoaded(result.valid);
      } catch (error) {
        notify(`Could not check ${file.name}: ${reason(error)}`, "error");
      }
    },
    [edit, notify, onLoaded, send, setSelected, showErrors, workflowId],
  );

  /** Opens a revision from the history; true once it is loaded. */
  const openRevision = useCallback(
    async (revisionId: number): Promise<boolean> => {
      if (!workflowId) return false;
      try {
        const revision = await fetchRevision(api, workflowId, revisionId);
        edit(coerceDocument(revision.document));
        setSelected([]);
        notify(`Opened revision ${revision.number}. Save to make it the current revision; undo to go back.`, "info");
        return true;
      } catch (error) {
        notify(`Could not open the revision: ${reason(error)}`, "error");
        return false;
      }
    },
    [api, edit, notify, setSelected, workflowId],
  );

  const closeImportReport = useCallback(() => setImportReport(null), []);
  return { onImport, openRevision, importReport, closeImportReport };
}
