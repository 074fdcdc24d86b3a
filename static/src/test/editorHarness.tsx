/** Shared harness of the editor's component tests: the editor's context around one component, the document held in state. */
import { render } from "@testing-library/react";
import { useEffect, useState, type ReactNode } from "react";
import { AppProviders } from "../App";
import { createApiClient } from "../api/client";
import type { PieceDetail } from "../api/pieces";
import { createQueryClient } from "../api/queries";
import { appUrlsFromPathname } from "../api/urls";
import { locateIssues, type ValidationIssue } from "../lib/validationPaths";
import { emptyWorkflow, type PieceRef, type TaskDoc, type WorkflowDoc } from "../lib/workflowDoc";
import { EditorContext, type EditorData } from "../pages/editor/EditorContext";
import type { JsonSchema } from "../lib/typeCompat";

/** The latest document the harness holds (updated after every edit). */
export const editorDoc: { latest: WorkflowDoc | null } = { latest: null };

/** A piece's details as GET /pieces/{id} answers them. */
export function pieceDetail(ref: PieceRef, input: JsonSchema = { type: "object", properties: {} }, more: Partial<PieceDetail> = {}): PieceDetail {
  return {
    id: 1,
    repository_id: 1,
    description: "",
    tags: [],
    style: {},
    input_schema: input,
    output_schema: { type: "object", properties: {} },
    secrets_schema: { type: "object", properties: {} },
    dependency: {},
    container_resources: {},
    source_url: "",
    ...ref,
    ...more,
  };
}

export interface HarnessOptions {
  doc?: WorkflowDoc;
  issues?: ValidationIssue[];
  pieces?: PieceDetail[];
  readOnly?: boolean;
  notify?: EditorData["notify"];
}

function Harness({ doc: initial, issues = [], pieces = [], readOnly = false, notify = () => undefined, children }: HarnessOptions & { children: (doc: WorkflowDoc) => ReactNode }) {
  const [doc, setDoc] = useState<WorkflowDoc>(() => initial ?? emptyWorkflow());
  useEffect(() => {
    editorDoc.latest = doc;
  }, [doc]);
  const find = (ref: PieceRef) => pieces.find((p) => p.repository === ref.repository && p.version === ref.version && p.name === ref.name);
  const data: EditorData = {
    doc,
    edit: (next) => setDoc((d) => (typeof next === "function" ? next(d) : next)),
    readOnly,
    catalog: pieces,
    pieceOf: find,
    taskPiece: (task: TaskDoc) => (task.piece ? find(task.piece) : undefined),
    issues: locateIssues(issues, doc),
    warnings: locateIssues([], doc),
    notify,
  };
  return <EditorContext.Provider value={data}>{children(doc)}</EditorContext.Provider>;
}

/** Renders `children(doc)` inside the app's providers and the editor's context. */
export function renderInEditor(children: (doc: WorkflowDoc) => ReactNode, options: HarnessOptions = {}, path = "/airflow/domino/ui/workflows/new") {
  editorDoc.latest = options.doc ?? null;
  const urls = appUrlsFromPathname(path);
  return render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
      <Harness {...options}>{children}</Harness>
    </AppProviders>,
  );
}
