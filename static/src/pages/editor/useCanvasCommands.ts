/**
 * Commands on the canvas's content: adding a piece as a task (dropped or at the centre), deleting the
 * selected tasks and connections, auto-layout.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useAppEnvironment } from "../../api/context";
import { pieceKeys, refKey, type PieceDetail, type PieceSummary } from "../../api/pieces";
import { addTask, disconnect, edgesOf, moveNodes, removeTasks, updateTask } from "../../lib/graph";
import { autoLayout } from "../../lib/layout";
import type { PieceRef, TaskDoc, WorkflowDoc, XY } from "../../lib/workflowDoc";
import { brokenBindingsNotice } from "./Canvas";
import type { EditorData } from "./EditorContext";
import type { FlowCommands } from "./flowBridge";
import { defaultSecretVariable } from "./TaskPanel";

/** A new task's secrets, each read from the Airflow Variable named after the piece's repository and the secret. */
function secretsPrefill(piece: PieceDetail | undefined, ref: PieceRef): TaskDoc["secrets"] {
  const names = Object.keys((piece?.secrets_schema.properties as Record<string, unknown> | undefined) ?? {});
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, { variable: defaultSecretVariable(ref.repository, n) }]));
}

interface CommandOptions {
  doc: WorkflowDoc;
  edit: EditorData["edit"];
  readOnly: boolean;
  catalog: readonly PieceSummary[];
  notify: EditorData["notify"];
  selected: readonly string[];
  /** Selects tasks (one: opens its form). */
  selectTasks: (ids: string[]) => void;
  selectedEdges: readonly string[];
  setSelectedEdges: (ids: string[]) => void;
  flow: FlowCommands;
}

export function useCanvasCommands({ doc, edit, readOnly, catalog, notify, selected, selectTasks, selectedEdges, setSelectedEdges, flow }: CommandOptions) {
  const { api } = useAppEnvironment();
  const queryClient = useQueryClient();

  const addPiece = useCallback(
    async (ref: PieceRef, position: XY) => {
      const summary = catalog.find((p) => refKey(p) === refKey(ref));
      let detail: PieceDetail | undefined;
      if (summary) {
        try {
          detail = await queryClient.fetchQuery({
            queryKey: pieceKeys.detail(summary.id),
            queryFn: ({ signal }) => api.get<PieceDetail>(`/pieces/${summary.id}`, undefined, signal),
            staleTime: 5 * 60_000,
          });
        } catch (error) {
          notify(`Could not load piece ${ref.name}: ${error instanceof Error ? error.message : String(error)}`, "error");
        }
      }
      let newId = "";
      edit((d) => {
        const added = addTask(d, ref, position);
        newId = added.id;
        const secrets = secretsPrefill(detail, ref);
        return secrets ? updateTask(added.doc, added.id, (t) => ({ ...t, secrets })) : added.doc;
      });
      if (newId) selectTasks([newId]);
    },
    [api, catalog, edit, notify, queryClient, selectTasks],
  );

  const addAtCenter = useCallback(
    (piece: PieceSummary) => {
      const el = document.querySelector("[data-testid=editor-canvas]");
      const rect = el?.getBoundingClientRect();
      const at = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
      void addPiece({ repository: piece.repository, version: piece.version, name: piece.name }, { x: at.x - 100 + (doc.tasks.length % 5) * 20, y: at.y - 30 + (doc.tasks.length % 5) * 20 });
    },
    [addPiece, doc.tasks.length, flow],
  );

  const deleteSelection = useCallback(() => {
    if (readOnly) return;
    if (selected.length > 0) {
      edit((d) => removeTasks(d, selected));
      selectTasks([]);
    }
    if (selectedEdges.length > 0) {
      let next = doc;
      const targets = new Set<string>();
      for (const e of edgesOf(doc)) {
        if (selectedEdges.includes(e.id)) {
          next = disconnect(next, e.source, e.target);
          targets.add(e.target);
        }
      }
      edit(next);
      setSelectedEdges([]);
      for (const t of targets) {
        const warning = brokenBindingsNotice(next, t);
        if (warning) notify(warning, "warning");
      }
    }
  }, [doc, edit, notify, readOnly, selected, selectedEdges, selectTasks, setSelectedEdges]);

  const layout = useCallback(async () => {
    if (readOnly || doc.tasks.length === 0) return;
    const nodes = doc.tasks.map((t) => {
      // A node never rendered (out of view in a large workflow) has its estimated size (Canvas withEstimate).
      const n = flow.getNode(t.id);
      return { id: t.id, width: n?.measured?.width ?? n?.initialWidth, height: n?.measured?.height ?? n?.initialHeight };
    });
    const positions = await autoLayout(nodes, edgesOf(doc));
    edit((d) => moveNodes(d, positions));
    setTimeout(() => void flow.fitView({ duration: 300, maxZoom: 1.2 }), 50);
  }, [doc, edit, flow, readOnly]);

  const fitView = useCallback(() => void flow.fitView({ duration: 200, maxZoom: 1.2 }), [flow]);

  return { addPiece, addAtCenter, deleteSelection, layout, fitView };
}
