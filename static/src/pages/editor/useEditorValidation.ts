/**
 * The editor's live validation: the server checks the document 600 ms after the last change. Keyed on the
 * document without its `ui` part: panning, zooming and moving nodes change only `ui` and do not validate
 * again (large workflows, issue 12). A refused save or an import can show the server's errors at once.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { useJsonSender, validateWorkflow } from "../../api/workflows";
import { locateIssues, sameLocatedIssues, type LocatedIssues, type ValidationIssue } from "../../lib/validationPaths";
import type { WorkflowDoc } from "../../lib/workflowDoc";

/** Whether two versions of a document differ at most in `ui` (positions, viewport): top-level parts compared by identity. */
export function sameExceptUi(a: WorkflowDoc, b: WorkflowDoc): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key !== "ui" && (a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

interface Validation {
  doc: WorkflowDoc;
  errors: ValidationIssue[];
  warnings?: ValidationIssue[];
  /** The document this result is for; null before the first answer. */
  at: WorkflowDoc | null;
}

export function useEditorValidation(doc: WorkflowDoc) {
  const send = useJsonSender();
  const [content, setContent] = useState(doc);
  if (!sameExceptUi(content, doc)) setContent(doc);
  const [validation, setValidation] = useState<Validation>({ doc, errors: [], at: null });
  const [validationError, setValidationError] = useState<string | null>(null);
  useEffect(() => {
    const handle = setTimeout(() => {
      validateWorkflow(send, content)
        .then((result) => {
          setValidation({ doc: content, errors: result.errors, warnings: result.warnings ?? [], at: content });
          setValidationError(null);
        })
        .catch((error: unknown) => setValidationError(error instanceof Error ? error.message : String(error)));
    }, 600);
    return () => clearTimeout(handle);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `send` is recreated per render but stable in effect
  }, [content]);

  /** Shows errors the server gave for `at` otherwise (a refused save, an imported file). */
  const showErrors = useCallback((at: WorkflowDoc, errors: ValidationIssue[]) => setValidation({ doc: at, errors, at }), []);

  // The same objects while the answers say the same: each answer (600 ms after the editor opens, then after each
  // edit) made new ones, and every part of the editor that reads them rendered again (issue 12).
  const issues = useSameWhileEqual(useMemo(() => locateIssues(validation.errors, validation.doc), [validation]));
  const warnings = useSameWhileEqual(useMemo(() => locateIssues(validation.warnings ?? [], validation.doc), [validation]));
  return {
    issues,
    warnings,
    problemCount: validation.errors.length,
    /** A check of the current document is pending. */
    checking: validation.at !== content && validationError === null,
    /** Why the server could not check (network, server error), or null. */
    validationError,
    showErrors,
  };
}

/**
 * `located`, or the earlier result while it says the same. Compared once per new `located` (React's pattern for
 * state that follows a value), not on every render of the editor.
 */
function useSameWhileEqual(located: LocatedIssues): LocatedIssues {
  const [state, setState] = useState({ seen: located, kept: located });
  if (state.seen === located) return state.kept;
  const kept = sameLocatedIssues(state.kept, located) ? state.kept : located;
  setState({ seen: located, kept });
  return kept;
}
