import "@xyflow/react/dist/style.css";
import { Alert, Badge, Box, Button, CloseButton, Flex, HStack, Separator, Tabs, Text } from "@chakra-ui/react";
import { useQueryClient } from "@tanstack/react-query";
import { useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import { useAppEnvironment } from "../../api/context";
import { pieceKeys, refKey, usePieceDetails, type PieceDetail, type PieceSummary } from "../../api/pieces";
import {
  createWorkflow,
  fetchRevision,
  fetchWorkflow,
  saveWorkflow,
  useJsonSender,
  validateWorkflow,
  WriteError,
  type WorkflowWithDocument,
} from "../../api/workflows";
import { FORMAT_LABELS, readWorkflowFile } from "../../api/workflowImport";
import { addTask, copyTasks, disconnect, edgeId, edgesOf, moveNodes, pasteTasks, removeTasks, updateTask, type Clipboard } from "../../lib/graph";
import { autoLayout } from "../../lib/layout";
import { stepPieces } from "../../lib/steps";
import { useSubWorkflowSpecs } from "../../api/subflows";
import { locateIssues, type TaskIssue, type ValidationIssue } from "../../lib/validationPaths";
import { coerceDocument, type PieceRef, type TaskDoc, type WorkflowDoc, type XY } from "../../lib/workflowDoc";
import { brokenBindingsNotice, Canvas } from "./Canvas";
import { ConflictDialog, SaveDialog, ShortcutsDialog, UnsavedDialog, type ConflictInfo } from "./Dialogs";
import { CollapsibleAside } from "../../components/CollapsibleAside";
import { EditorContext, type EditorData } from "./EditorContext";
import { HistoryDrawer } from "./HistoryDrawer";
import { ImportReport, type ImportReportData } from "./ImportReport";
import { Palette } from "./Palette";
import { SettingsPanel } from "./SettingsPanel";
import { IssueList, TaskPanel, defaultSecretVariable } from "./TaskPanel";
import { NodeTestPanel, useNodeTestLink } from "./NodeTestPanel";
import { EditorRunButton } from "./EditorRunButton";
import { AutosaveOffer, DraftBadge } from "./DraftNotices";
import { useAutosave } from "./useAutosave";
import { useEditorState, type EditorSession } from "./useEditorState";
import { useLeavePrompt } from "./useLeavePrompt";
import { focusProblem } from "./focusProblem";
import { pastStartNotice } from "../../lib/settingsHints";
import { useShownIssues } from "./useShownIssues";

type Notice = { id: number; message: string; status: "info" | "warning" | "error" | "success" };
type PanelTab = "task" | "test" | "settings" | "problems";

interface EditorProps {
  initialDoc: WorkflowDoc;
  initialSession: EditorSession;
  catalog: readonly PieceSummary[];
  readOnly: boolean;
  /** Called after a new workflow was created, to move to its edit URL. */
  onCreated: (id: string) => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("[role=dialog],[role=alertdialog]") !== null;
}

function download(doc: WorkflowDoc) {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${doc.id || "workflow"}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Whether two versions of a document differ at most in `ui` (positions, viewport): top-level parts compared by identity. */
function sameExceptUi(a: WorkflowDoc, b: WorkflowDoc): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key !== "ui" && (a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** Whether saving changes when Airflow runs the workflow (a deployed DAG's schedule, start date or catch-up). */
function scheduleChanged(saved: WorkflowDoc, doc: WorkflowDoc): boolean {
  return saved.schedule !== doc.schedule || saved.start_date !== doc.start_date || saved.catchup !== doc.catchup || saved.schedule_on !== doc.schedule_on;
}

/** Input schema etc. of every piece in the document, keyed by piece reference. */
function secretsPrefill(piece: PieceDetail | undefined, ref: PieceRef): TaskDoc["secrets"] {
  const names = Object.keys((piece?.secrets_schema.properties as Record<string, unknown> | undefined) ?? {});
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, { variable: defaultSecretVariable(ref.repository, n) }]));
}

export function Editor({ initialDoc, initialSession, catalog, readOnly, onCreated }: EditorProps) {
  const state = useEditorState(initialDoc, initialSession);
  const { doc, edit, session, selected, setSelected } = state;
  const { api } = useAppEnvironment();
  const send = useJsonSender();
  const queryClient = useQueryClient();
  const flow = useReactFlow();
  const isNew = session.workflowId === null;

  // ---- pieces
  const refs = useMemo(() => doc.tasks.flatMap((t) => (t.piece ? [t.piece] : [])), [doc.tasks]);
  const details = usePieceDetails(refs, catalog);
  const pieceOf = useCallback((ref: PieceRef) => details.get(refKey(ref)), [details]);
  // Approval / input steps and sub-workflows: a described "piece" of their own (lib/steps.ts).
  const subflowIds = useMemo(() => doc.tasks.flatMap((t) => (t.workflow?.id ? [t.workflow.id] : [])), [doc.tasks]);
  const subflows = useSubWorkflowSpecs(subflowIds);
  const stepPiece = useMemo(() => stepPieces(subflows), [subflows]);
  const taskPiece = useCallback((task: TaskDoc) => (task.piece ? details.get(refKey(task.piece)) : stepPiece(task)), [details, stepPiece]);

  // ---- notices on the canvas
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);
  const notify = useCallback((message: string, status: Notice["status"] = "info") => {
    const id = ++noticeId.current;
    setNotices((n) => [...n.slice(-2), { id, message, status }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), status === "error" ? 12_000 : 6_000);
  }, []);

  // ---- live validation (debounced), and errors from a refused save. Keyed on the document without its `ui` part:
  // panning, zooming and moving nodes change only `ui` and do not validate again (large workflows, issue 12).
  const [content, setContent] = useState(doc);
  if (!sameExceptUi(content, doc)) setContent(doc);
  const [validation, setValidation] = useState<{ doc: WorkflowDoc; errors: ValidationIssue[]; warnings?: ValidationIssue[]; at: WorkflowDoc | null }>({ doc, errors: [], at: null });
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
  const checking = validation.at !== content && validationError === null;
  const issues = useMemo(() => locateIssues(validation.errors, validation.doc), [validation]);
  const warnings = useMemo(() => locateIssues(validation.warnings ?? [], validation.doc), [validation]);
  const problemCount = validation.errors.length;
  // The form shows a problem once its field was changed or a save was tried (not red before typing).
  const shownIssues = useShownIssues(doc, initialDoc, isNew, issues);

  // ---- panel
  const [tab, setTab] = useState<PanelTab>(initialDoc.tasks.length === 0 ? "settings" : "settings");
  const selectTasks = useCallback(
    (ids: string[]) => {
      setSelected(ids);
      if (ids.length === 1) setTab("task");
    },
    [setSelected],
  );
  const [selectedEdges, setSelectedEdges] = useState<string[]>([]);
  const selectedTask = selected.length === 1 ? doc.tasks.find((t) => t.id === selected[0]) : undefined;
  // "Test again with edited inputs" on a run's task panel opens the editor at that task's test.
  const testLink = useNodeTestLink();
  const testLinkFollowed = useRef(false);
  useEffect(() => {
    if (testLinkFollowed.current || !testLink.taskId || !doc.tasks.some((t) => t.id === testLink.taskId)) return;
    testLinkFollowed.current = true;
    setSelected([testLink.taskId]);
    setTab("test");
  }, [doc.tasks, setSelected, testLink.taskId]);

  // ---- adding pieces
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

  // ---- edit commands
  const clipboard = useRef<Clipboard | null>(null);
  const deleteSelection = useCallback(() => {
    if (readOnly) return;
    if (selected.length > 0) {
      edit((d) => removeTasks(d, selected));
      setSelected([]);
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
  }, [doc, edit, notify, readOnly, selected, selectedEdges, setSelected]);

  const copy = useCallback(() => {
    const clip = copyTasks(doc, selected);
    if (clip) {
      clipboard.current = clip;
      notify(`Copied ${clip.tasks.length} task(s).`, "info");
    }
  }, [doc, notify, selected]);

  const paste = useCallback(() => {
    if (readOnly || !clipboard.current) return;
    const clip = clipboard.current;
    let ids: string[] = [];
    edit((d) => {
      const out = pasteTasks(d, clip);
      ids = out.ids;
      return out.doc;
    });
    // Pasting again offsets again.
    clipboard.current = { ...clip, positions: Object.fromEntries(Object.entries(clip.positions).map(([k, p]) => [k, { x: p.x + 40, y: p.y + 40 }])) };
    setSelected(ids);
  }, [edit, readOnly, setSelected]);

  const layout = useCallback(async () => {
    if (readOnly || doc.tasks.length === 0) return;
    const nodes = doc.tasks.map((t) => {
      const n = flow.getNode(t.id);
      return { id: t.id, width: n?.measured?.width, height: n?.measured?.height };
    });
    const positions = await autoLayout(nodes, edgesOf(doc));
    edit((d) => moveNodes(d, positions));
    setTimeout(() => void flow.fitView({ duration: 300, maxZoom: 1.2 }), 50);
  }, [doc, edit, flow, readOnly]);

  // ---- saving
  const [saveOpen, setSaveOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<(ConflictInfo & { message_: string; draft_: boolean }) | null>(null);
  const dirtyRef = useRef(state.dirty);
  useEffect(() => {
    dirtyRef.current = state.dirty;
  }, [state.dirty]);

  const afterSave = useCallback(
    (saved: WorkflowWithDocument, sent: WorkflowDoc) => {
      state.markSaved(sent, saved.id, saved.revision, saved.deployed_revision ?? null);
      setSaveOpen(false);
      setSaveError(null);
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
    async (error: unknown, message: string, draft: boolean) => {
      if (error instanceof WriteError && error.status === 409 && error.currentRevision && session.workflowId) {
        const current = error.currentRevision;
        let author: string | undefined;
        let msg: string | undefined;
        try {
          const theirs = await fetchWorkflow(api, session.workflowId);
          author = theirs.revision?.author;
          msg = theirs.revision?.message;
        } catch {
          /* the dialog still explains without them */
        }
        setSaveOpen(false);
        setConflict({ currentRevisionId: current.id, currentRevisionNumber: current.number, author, message: msg, message_: message, draft_: draft });
        return;
      }
      if (error instanceof WriteError && error.issues.length > 0) {
        setValidation({ doc, errors: error.issues, at: doc });
        setSaveError(`${error.message} Each problem is shown on the task and the field it concerns (see Problems).`);
        return;
      }
      setSaveError(error instanceof Error ? error.message : String(error));
    },
    [api, doc, session.workflowId],
  );

  const save = useCallback(
    async (message: string, draft = false, baseOverride?: number) => {
      setSaving(true);
      setSaveError(null);
      const sent = doc;
      try {
        const saved =
          session.workflowId === null
            ? await createWorkflow(send, sent, message, draft)
            : await saveWorkflow(send, session.workflowId, sent, baseOverride ?? session.baseRevision?.id ?? 0, message, draft);
        afterSave(saved, sent);
      } catch (error) {
        await handleSaveError(error, message, draft);
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
    } catch (error) {
      notify(`Could not load the current revision: ${error instanceof Error ? error.message : String(error)}`, "error");
    }
  }, [api, notify, session.workflowId, state]);

  // ---- leaving with unsaved changes: a local copy, and a question whatever the way out
  const autosave = useAutosave({
    workflowId: session.workflowId,
    doc,
    dirty: state.dirty,
    savedDoc: session.savedDoc,
    baseRevisionNumber: session.baseRevision?.number ?? null,
    enabled: !readOnly,
  });
  const leavePrompt = useLeavePrompt(
    useCallback(() => dirtyRef.current && !readOnly, [readOnly]),
    autosave.flush,
  );

  // ---- import / export / history
  const fileInput = useRef<HTMLInputElement>(null);
  const [importReport, setImportReport] = useState<ImportReportData | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  const onImport = useCallback(
    async (event: ChangeEvent<HTMLInputElement>) => {
      const file = event.currentTarget.files?.[0];
      event.currentTarget.value = "";
      if (!file) return;
      let imported: WorkflowDoc;
      try {
        // Domino workflows are converted by the server; what cannot be mapped is listed, nothing is loaded.
        const outcome = await readWorkflowFile(send, await file.text(), session.workflowId);
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
        notify(`Could not import ${file.name}: ${error instanceof Error ? error.message : String(error)}`, "error");
        return;
      }
      if (session.workflowId && imported.id !== session.workflowId) {
        notify(`The file is for workflow \`${imported.id}\`; it was imported as \`${session.workflowId}\`, whose id cannot change.`, "warning");
        imported = { ...imported, id: session.workflowId };
      }
      try {
        const result = await validateWorkflow(send, imported);
        edit(imported);
        setSelected([]);
        setValidation({ doc: imported, errors: result.errors, at: imported });
        notify(
          result.valid ? `Imported ${file.name}: the workflow is valid. Save to keep it.` : `Imported ${file.name} with ${result.errors.length} problem(s), listed under Problems.`,
          result.valid ? "success" : "warning",
        );
        if (!result.valid) setTab("problems");
        setTimeout(() => void flow.fitView({ maxZoom: 1.2 }), 50);
      } catch (error) {
        notify(`Could not check ${file.name}: ${error instanceof Error ? error.message : String(error)}`, "error");
      }
    },
    [edit, flow, notify, send, session.workflowId, setSelected],
  );

  const openRevision = useCallback(
    async (revisionId: number) => {
      if (!session.workflowId) return;
      try {
        const revision = await fetchRevision(api, session.workflowId, revisionId);
        edit(coerceDocument(revision.document));
        setSelected([]);
        setHistoryOpen(false);
        notify(`Opened revision ${revision.number}. Save to make it the current revision; undo to go back.`, "info");
      } catch (error) {
        notify(`Could not open the revision: ${error instanceof Error ? error.message : String(error)}`, "error");
      }
    },
    [api, edit, notify, session.workflowId, setSelected],
  );

  // ---- keyboard
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "z" && !event.shiftKey) state.undo();
      else if (mod && ((key === "z" && event.shiftKey) || key === "y")) state.redo();
      else if (mod && key === "c") copy();
      else if (mod && key === "v") paste();
      else if (mod && key === "a") setSelected(doc.tasks.map((t) => t.id));
      else if (mod && key === "s") {
        if (!readOnly) {
          shownIssues.revealAll();
          setSaveOpen(true);
        }
      } else if (!mod && (event.key === "Delete" || event.key === "Backspace")) deleteSelection();
      else if (!mod && event.key === "?") setShortcutsOpen(true);
      else if (!mod && event.shiftKey && key === "f") void flow.fitView({ duration: 200, maxZoom: 1.2 });
      else if (!mod && event.shiftKey && key === "l") void layout();
      else if (event.key === "Escape") {
        setSelected([]);
        setSelectedEdges([]);
      } else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [copy, deleteSelection, doc.tasks, flow, layout, paste, readOnly, setSelected, shownIssues, state]);

  const data: EditorData = useMemo(
    () => ({ doc, edit, readOnly, catalog, pieceOf, taskPiece, issues: shownIssues.shown, warnings, notify }),
    [catalog, doc, edit, shownIssues.shown, warnings, notify, pieceOf, readOnly, taskPiece],
  );

  // A Problems entry opens its task (or the settings), shows its problems there and focuses the field.
  const pickIssue = (taskId: string | null, issue?: TaskIssue) => {
    shownIssues.reveal(taskId);
    if (taskId) {
      selectTasks([taskId]);
      void flow.fitView({ nodes: [{ id: taskId }], duration: 200, maxZoom: 1.2 });
    } else setTab("settings");
    focusProblem(taskId ? "task-panel" : "settings-panel", issue?.loc ?? []);
  };
  const allTaskIssues = [...issues.byTask.entries()];

  return (
    <EditorContext.Provider value={data}>
      <Flex direction="column" h="calc(100vh - 150px)" minH="560px" borderWidth="1px" rounded="md" overflow="hidden" bg="bg">
        <HStack as="nav" aria-label="Editor tools" px="3" py="2" borderBottomWidth="1px" gap="2" wrap="wrap" justify="space-between">
          <HStack gap="2" wrap="wrap">
            <Text fontWeight="semibold" lineClamp={1} maxW="260px" title={doc.name}>
              {doc.name || "Untitled workflow"}
            </Text>
            {session.baseRevision ? <Badge variant="outline">Revision {session.baseRevision.number}</Badge> : <Badge variant="outline">Not saved yet</Badge>}
            <DraftBadge revision={session.baseRevision} deployed={session.deployedRevision ?? null} />
            {state.dirty ? <Badge colorPalette="orange">Unsaved changes</Badge> : null}
            {validationError ? (
              <Badge colorPalette="red" title={validationError}>
                Could not check
              </Badge>
            ) : checking ? (
              <Badge variant="subtle">Checking…</Badge>
            ) : problemCount > 0 ? (
              <Button size="xs" variant="subtle" colorPalette="red" onClick={() => setTab("problems")} data-testid="problem-count">
                {problemCount} problem(s)
              </Button>
            ) : (
              <Badge colorPalette="green">Valid</Badge>
            )}
          </HStack>
          <HStack gap="1" wrap="wrap">
            <Button size="xs" variant="ghost" onClick={state.undo} disabled={!state.canUndo || readOnly} aria-label="Undo (Ctrl+Z)">
              Undo
            </Button>
            <Button size="xs" variant="ghost" onClick={state.redo} disabled={!state.canRedo || readOnly} aria-label="Redo (Ctrl+Shift+Z)">
              Redo
            </Button>
            <Separator orientation="vertical" h="5" />
            <Button size="xs" variant="ghost" onClick={() => void layout()} disabled={readOnly || doc.tasks.length === 0}>
              Auto-layout
            </Button>
            <Button size="xs" variant="ghost" onClick={() => void flow.fitView({ duration: 200, maxZoom: 1.2 })}>
              Fit view
            </Button>
            <Separator orientation="vertical" h="5" />
            {!isNew ? (
              <Button size="xs" variant="ghost" onClick={() => setHistoryOpen(true)}>
                History
              </Button>
            ) : null}
            {!readOnly ? (
              <Button size="xs" variant="ghost" onClick={() => fileInput.current?.click()}>
                Import
              </Button>
            ) : null}
            <input ref={fileInput} type="file" accept="application/json,.json" hidden aria-label="Import a workflow file" onChange={(e) => void onImport(e)} data-testid="import-input" />
            <Button size="xs" variant="ghost" onClick={() => download(doc)}>
              Export
            </Button>
            <Button size="xs" variant="ghost" onClick={() => setShortcutsOpen(true)} aria-label="Keyboard shortcuts (?)">
              Shortcuts
            </Button>
            <EditorRunButton workflowId={session.workflowId} dirty={state.dirty} deployedRevision={session.deployedRevision ?? null} />
            {!readOnly ? (
              <Button
                size="sm"
                onClick={() => {
                  shownIssues.revealAll();
                  setSaveOpen(true);
                }}
                disabled={saving}
              >
                {isNew ? "Create…" : "Save…"}
              </Button>
            ) : (
              <Badge>Read only</Badge>
            )}
          </HStack>
        </HStack>
        <AutosaveOffer
          offer={autosave.offer}
          currentRevisionNumber={session.baseRevision?.number ?? null}
          onRestore={() => {
            const restored = autosave.accept();
            if (restored) edit(coerceDocument(restored));
          }}
          onDiscard={autosave.discard}
        />
        <Flex flex="1" minH="0">
          {!readOnly ? <Palette pieces={catalog} onAdd={addAtCenter} /> : null}
          <Box flex="1" minW="0" position="relative">
            <Canvas
              selected={selected}
              setSelected={selectTasks}
              selectedEdges={selectedEdges}
              setSelectedEdges={setSelectedEdges}
              replace={state.replace}
              onDropPiece={(p, at) => void addPiece(p, at)}
            />
            {doc.tasks.length === 0 ? (
              <Box position="absolute" top="40%" left="0" right="0" textAlign="center" pointerEvents="none" color="fg.muted">
                <Text>{readOnly ? "This workflow has no tasks." : "Drag a piece from the left onto the canvas to add a task."}</Text>
              </Box>
            ) : null}
            <Box position="absolute" top="2" left="2" right="2" zIndex="10" display="flex" flexDirection="column" gap="2" pointerEvents="none">
              {notices.map((n) => (
                <Alert.Root key={n.id} status={n.status} role={n.status === "error" ? "alert" : "status"} pointerEvents="auto" shadow="md" data-testid="editor-notice">
                  <Alert.Indicator />
                  <Alert.Description>{n.message}</Alert.Description>
                  <CloseButton size="xs" ms="auto" aria-label="Dismiss" onClick={() => setNotices((all) => all.filter((x) => x.id !== n.id))} />
                </Alert.Root>
              ))}
            </Box>
          </Box>
          <CollapsibleAside label="Details" side="end" width={{ base: "340px", xl: "400px" }} reopenOn={selected.length === 1 ? selected[0] : null}>
            <Tabs.Root value={tab} onValueChange={(e) => setTab(e.value as PanelTab)} size="sm" variant="line" display="flex" flexDirection="column" minH="0" flex="1">
              <Tabs.List ps="8" pe="2">
                <Tabs.Trigger value="task">Task</Tabs.Trigger>
                <Tabs.Trigger value="test">Test</Tabs.Trigger>
                <Tabs.Trigger value="settings">Settings</Tabs.Trigger>
                <Tabs.Trigger value="problems">
                  Problems
                  {problemCount > 0 ? (
                    <Badge size="xs" colorPalette="red" variant="solid">
                      {problemCount}
                    </Badge>
                  ) : null}
                </Tabs.Trigger>
              </Tabs.List>
              <Box flex="1" overflowY="auto" minH="0">
                <Tabs.Content value="task" p="3">
                  {selectedTask ? (
                    <TaskPanel key={selectedTask.id} task={selectedTask} />
                  ) : (
                    <Text color="fg.muted">{selected.length > 1 ? `${selected.length} tasks selected.` : "Select a task on the canvas to edit it."}</Text>
                  )}
                </Tabs.Content>
                <Tabs.Content value="test" p="3">
                  {selectedTask ? (
                    <NodeTestPanel
                      key={selectedTask.id}
                      workflowId={session.workflowId}
                      task={selectedTask}
                      doc={doc}
                      dirty={state.dirty}
                      initialPinned={testLink.taskId === selectedTask.id ? testLink.pinnedRunId : null}
                    />
                  ) : (
                    <Text color="fg.muted">Select a task on the canvas to test it on its own.</Text>
                  )}
                </Tabs.Content>
                <Tabs.Content value="settings" p="3">
                  <SettingsPanel isNew={isNew} />
                </Tabs.Content>
                <Tabs.Content value="problems" p="3">
                  {problemCount === 0 ? (
                    <Text color="fg.muted">{checking ? "Checking…" : "No problems found."}</Text>
                  ) : (
                    <Box data-testid="problems-list" display="flex" flexDirection="column" gap="3">
                      {issues.workflow.length > 0 ? (
                        <Box>
                          <Text fontWeight="semibold" textStyle="sm" mb="1">
                            Workflow
                          </Text>
                          <IssueList issues={issues.workflow} onPick={(issue) => pickIssue(null, issue)} />
                        </Box>
                      ) : null}
                      {allTaskIssues.map(([taskId, list]: [string, TaskIssue[]]) => (
                        <Box key={taskId}>
                          <Text fontWeight="semibold" textStyle="sm" mb="1">
                            Task {taskId}
                          </Text>
                          <IssueList issues={list} onPick={(issue) => pickIssue(taskId, issue)} />
                        </Box>
                      ))}
                    </Box>
                  )}
                  {warnings.byTask.size > 0 ? (
                    <Box data-testid="warnings-list" display="flex" flexDirection="column" gap="3" mt="3">
                      {[...warnings.byTask.entries()].map(([taskId, list]) => (
                        <Box key={taskId}>
                          <Text fontWeight="semibold" textStyle="sm" mb="1">
                            Warnings of task {taskId} (they do not prevent saving)
                          </Text>
                          <IssueList issues={list} status="warning" onPick={() => pickIssue(taskId)} />
                        </Box>
                      ))}
                    </Box>
                  ) : null}
                </Tabs.Content>
              </Box>
            </Tabs.Root>
          </CollapsibleAside>
        </Flex>
      </Flex>
      <SaveDialog
        key={saveOpen ? "open" : "closed"}
        open={saveOpen}
        isNew={isNew}
        pending={saving}
        error={saveError}
        problemCount={problemCount}
        deployedNumber={session.deployedRevision?.number ?? null}
        startNotice={saveOpen && (!session.deployedRevision || scheduleChanged(session.savedDoc, doc)) ? pastStartNotice(doc) : null}
        onSave={(message, draft) => void save(message, draft)}
        onClose={() => {
          setSaveOpen(false);
          setSaveError(null);
        }}
      />
      <ConflictDialog
        conflict={conflict}
        baseNumber={session.baseRevision?.number ?? null}
        pending={saving}
        onReload={() => void reloadTheirs()}
        onOverwrite={() => conflict && void save(conflict.message_, conflict.draft_, conflict.currentRevisionId)}
        onExport={() => download(doc)}
        onClose={() => setConflict(null)}
      />
      <UnsavedDialog open={leavePrompt.open} onStay={leavePrompt.stay} onLeave={leavePrompt.leave} />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      <ImportReport report={importReport} onClose={() => setImportReport(null)} />
      {session.workflowId ? (
        <HistoryDrawer
          open={historyOpen}
          workflowId={session.workflowId}
          currentRevisionId={session.baseRevision?.id ?? null}
          onClose={() => setHistoryOpen(false)}
          onOpenRevision={(rid) => void openRevision(rid)}
        />
      ) : null}
    </EditorContext.Provider>
  );
}

export { edgeId };
