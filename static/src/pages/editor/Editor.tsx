import "@xyflow/react/dist/style.css";
import { Badge, Box, Flex, Tabs, Text } from "@chakra-ui/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { refKey, usePieceDetails, type PieceSummary } from "../../api/pieces";
import { useSubWorkflowSpecs } from "../../api/subflows";
import { stepPieces } from "../../lib/steps";
import type { TaskIssue } from "../../lib/validationPaths";
import { coerceDocument, type PieceRef, type TaskDoc, type WorkflowDoc } from "../../lib/workflowDoc";
import { CollapsibleAside } from "../../components/CollapsibleAside";
import { Canvas } from "./Canvas";
import { ConflictDialog, SaveDialog, ShortcutsDialog, UnsavedDialog } from "./Dialogs";
import { AutosaveOffer } from "./DraftNotices";
import { EditorContext, type EditorData } from "./EditorContext";
import { EditorNotices } from "./EditorNotices";
import { EditorToolbar } from "./EditorToolbar";
import { useFlowBridge } from "./flowBridge";
import { focusProblem } from "./focusProblem";
import { HistoryDrawer } from "./HistoryDrawer";
import { ImportReport } from "./ImportReport";
import { NodeTestPanel, useNodeTestLink } from "./NodeTestPanel";
import { Palette } from "./Palette";
import { ProblemsPanel } from "./ProblemsPanel";
import { SettingsPanel } from "./SettingsPanel";
import { TaskPanel } from "./TaskPanel";
import { useAutosave } from "./useAutosave";
import { useCanvasCommands } from "./useCanvasCommands";
import { useClipboard } from "./useClipboard";
import { useEditorShortcuts } from "./useEditorShortcuts";
import { useEditorState, type EditorSession } from "./useEditorState";
import { useEditorValidation } from "./useEditorValidation";
import { useLeavePrompt } from "./useLeavePrompt";
import { useNotices } from "./useNotices";
import { useSaveWorkflow } from "./useSaveWorkflow";
import { useShownIssues } from "./useShownIssues";
import { useWorkflowImport } from "./useWorkflowImport";

type PanelTab = "task" | "test" | "settings" | "problems";

interface EditorProps {
  initialDoc: WorkflowDoc;
  initialSession: EditorSession;
  catalog: readonly PieceSummary[];
  readOnly: boolean;
  /** Called after a new workflow was created, to move to its edit URL. */
  onCreated: (id: string) => void;
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

/** The workflow editor: composes the editing state, the hooks for each of its jobs, and the canvas with its panels. */
export function Editor({ initialDoc, initialSession, catalog, readOnly, onCreated }: EditorProps) {
  const state = useEditorState(initialDoc, initialSession);
  const { doc, edit, session, selected, setSelected } = state;
  const { flow, bridge } = useFlowBridge();
  // A User Timing mark for bench/gui_load.py: the editor's first render is in the DOM.
  useLayoutEffect(() => void performance.mark("domino:editor-committed"), []);
  const isNew = session.workflowId === null;
  const { notices, notify, dismiss } = useNotices();

  // ---- pieces, and the described "piece" of approval / input steps and sub-workflows (lib/steps.ts)
  const refs = useMemo(() => doc.tasks.flatMap((t) => (t.piece ? [t.piece] : [])), [doc.tasks]);
  const details = usePieceDetails(refs, catalog);
  const pieceOf = useCallback((ref: PieceRef) => details.get(refKey(ref)), [details]);
  const subflowIds = useMemo(() => doc.tasks.flatMap((t) => (t.workflow?.id ? [t.workflow.id] : [])), [doc.tasks]);
  const subflows = useSubWorkflowSpecs(subflowIds);
  const stepPiece = useMemo(() => stepPieces(subflows), [subflows]);
  const taskPiece = useCallback((task: TaskDoc) => (task.piece ? details.get(refKey(task.piece)) : stepPiece(task)), [details, stepPiece]);

  // ---- validation; the form shows a problem once its field was changed or a save was tried (not red before typing)
  const check = useEditorValidation(doc);
  const { issues, warnings, problemCount, checking } = check;
  const shownIssues = useShownIssues(doc, initialDoc, isNew, issues);

  // ---- panel and selection
  // A new (or empty) workflow opens on its settings, to be named; a stored one on its canvas, with the task tab
  // saying to select a task (as n8n and Domino open one: the form of what is selected). The settings are one click
  // away; not rendering them also keeps them out of opening a large workflow (issue 12).
  const [tab, setTab] = useState<PanelTab>(isNew || initialDoc.tasks.length === 0 ? "settings" : "task");
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

  // ---- commands
  const commands = useCanvasCommands({ doc, edit, readOnly, catalog, notify, selected, selectTasks, selectedEdges, setSelectedEdges, flow });
  const { copy, paste } = useClipboard({ doc, selected, edit, setSelected, readOnly, notify });
  const saver = useSaveWorkflow({ state, notify, showErrors: check.showErrors, onCreated });
  const openSave = () => {
    shownIssues.revealAll();
    saver.openDialog();
  };
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const onLoaded = useCallback(
    (valid: boolean) => {
      if (!valid) setTab("problems");
      setTimeout(() => void flow.fitView({ maxZoom: 1.2 }), 50);
    },
    [flow],
  );
  const files = useWorkflowImport({ workflowId: session.workflowId, edit, setSelected, notify, showErrors: check.showErrors, onLoaded });

  useEditorShortcuts({
    undo: state.undo,
    redo: state.redo,
    copy,
    paste,
    selectAll: () => setSelected(doc.tasks.map((t) => t.id)),
    save: () => !readOnly && openSave(),
    delete: commands.deleteSelection,
    help: () => setShortcutsOpen(true),
    fitView: commands.fitView,
    layout: () => void commands.layout(),
    clearSelection: () => {
      setSelected([]);
      setSelectedEdges([]);
    },
  });

  // ---- leaving with unsaved changes: a local copy, and a question whatever the way out
  const autosave = useAutosave({
    workflowId: session.workflowId,
    doc,
    dirty: state.dirty,
    savedDoc: session.savedDoc,
    baseRevisionNumber: session.baseRevision?.number ?? null,
    enabled: !readOnly,
  });
  const { hasUnsavedChanges } = saver;
  const leavePrompt = useLeavePrompt(
    useCallback(() => hasUnsavedChanges() && !readOnly, [hasUnsavedChanges, readOnly]),
    autosave.flush,
  );

  const data: EditorData = useMemo(
    () => ({ doc, edit, readOnly, catalog, pieceOf, taskPiece, issues: shownIssues.shown, warnings, notify }),
    [catalog, doc, edit, shownIssues.shown, warnings, notify, pieceOf, readOnly, taskPiece],
  );

  // The same elements from render to render while their props stay: an editor render (a selection, a tab) does not
  // render the palette again, nor the settings unless the editor's data changed (each took 25-60 ms at load, issue 12).
  const { addAtCenter } = commands;
  const palette = useMemo(() => (!readOnly ? <Palette pieces={catalog} onAdd={addAtCenter} /> : null), [readOnly, catalog, addAtCenter]);
  const settingsPanel = useMemo(() => <SettingsPanel isNew={isNew} />, [isNew]);

  // A Problems entry opens its task (or the settings), shows its problems there and focuses the field.
  const pickIssue = (taskId: string | null, issue?: TaskIssue) => {
    shownIssues.reveal(taskId);
    if (taskId) {
      selectTasks([taskId]);
      void flow.fitView({ nodes: [{ id: taskId }], duration: 200, maxZoom: 1.2 });
    } else setTab("settings");
    focusProblem(taskId ? "task-panel" : "settings-panel", issue?.loc ?? []);
  };

  return (
    <EditorContext.Provider value={data}>
      {bridge}
      <Flex direction="column" h="calc(100vh - 150px)" minH="560px" borderWidth="1px" rounded="md" overflow="hidden" bg="bg">
        <EditorToolbar
          state={state}
          readOnly={readOnly}
          check={check}
          saving={saver.saving}
          onShowProblems={() => setTab("problems")}
          onLayout={() => void commands.layout()}
          onFitView={commands.fitView}
          onHistory={() => setHistoryOpen(true)}
          onImport={(e) => void files.onImport(e)}
          onExport={() => download(doc)}
          onShortcuts={() => setShortcutsOpen(true)}
          onSave={openSave}
        />
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
          {palette}
          <Box flex="1" minW="0" position="relative">
            <Canvas
              selected={selected}
              setSelected={selectTasks}
              selectedEdges={selectedEdges}
              setSelectedEdges={setSelectedEdges}
              replace={state.replace}
              onDropPiece={(p, at) => void commands.addPiece(p, at)}
            />
            {doc.tasks.length === 0 ? (
              <Box position="absolute" top="40%" left="0" right="0" textAlign="center" pointerEvents="none" color="fg.muted">
                <Text>{readOnly ? "This workflow has no tasks." : "Drag a piece from the left onto the canvas to add a task."}</Text>
              </Box>
            ) : null}
            <EditorNotices notices={notices} onDismiss={dismiss} />
          </Box>
          <CollapsibleAside label="Details" side="end" width={{ base: "340px", xl: "400px" }} reopenOn={selected.length === 1 ? selected[0] : null}>
            <Tabs.Root lazyMount value={tab} onValueChange={(e) => setTab(e.value as PanelTab)} size="sm" variant="line" display="flex" flexDirection="column" minH="0" flex="1">
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
                  {settingsPanel}
                </Tabs.Content>
                <Tabs.Content value="problems" p="3">
                  <ProblemsPanel issues={issues} warnings={warnings} problemCount={problemCount} checking={checking} onPick={pickIssue} />
                </Tabs.Content>
              </Box>
            </Tabs.Root>
          </CollapsibleAside>
        </Flex>
      </Flex>
      <SaveDialog
        key={saver.open ? "open" : "closed"}
        open={saver.open}
        isNew={isNew}
        pending={saver.saving}
        error={saver.error}
        problemCount={problemCount}
        deployedNumber={session.deployedRevision?.number ?? null}
        startNotice={saver.startNotice}
        onSave={(message, draft) => void saver.save(message, draft)}
        onClose={saver.closeDialog}
      />
      <ConflictDialog
        conflict={saver.conflict}
        baseNumber={session.baseRevision?.number ?? null}
        pending={saver.saving}
        onReload={() => void saver.reloadTheirs()}
        onOverwrite={saver.overwrite}
        onExport={() => download(doc)}
        onClose={saver.dismissConflict}
      />
      <UnsavedDialog open={leavePrompt.open} onStay={leavePrompt.stay} onLeave={leavePrompt.leave} />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      <ImportReport report={files.importReport} onClose={files.closeImportReport} />
      {session.workflowId ? (
        <HistoryDrawer
          open={historyOpen}
          workflowId={session.workflowId}
          currentRevisionId={session.baseRevision?.id ?? null}
          onClose={() => setHistoryOpen(false)}
          onOpenRevision={(rid) => void files.openRevision(rid).then((opened) => opened && setHistoryOpen(false))}
        />
      ) : null}
    </EditorContext.Provider>
  );
}
