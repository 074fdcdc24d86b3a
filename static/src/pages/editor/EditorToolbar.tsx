import { Badge, Button, HStack, Separator, Text } from "@chakra-ui/react";
import { useRef, type ChangeEvent } from "react";
import { DraftBadge } from "./DraftNotices";
import { EditorRunButton } from "./EditorRunButton";
import type { EditorApi } from "./useEditorState";

interface EditorToolbarProps {
  state: EditorApi;
  readOnly: boolean;
  /** The live validation's state. */
  check: { validationError: string | null; checking: boolean; problemCount: number };
  saving: boolean;
  onShowProblems: () => void;
  onLayout: () => void;
  onFitView: () => void;
  onHistory: () => void;
  onImport: (event: ChangeEvent<HTMLInputElement>) => void;
  onExport: () => void;
  onShortcuts: () => void;
  onSave: () => void;
}

/** The editor's top bar: name, revision and check status; undo, layout, history, files, run and save. */
export function EditorToolbar({ state, readOnly, check, saving, onShowProblems, onLayout, onFitView, onHistory, onImport, onExport, onShortcuts, onSave }: EditorToolbarProps) {
  const { doc, session } = state;
  const isNew = session.workflowId === null;
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <HStack as="nav" aria-label="Editor tools" px="3" py="2" borderBottomWidth="1px" gap="2" wrap="wrap" justify="space-between">
      <HStack gap="2" wrap="wrap">
        <Text fontWeight="semibold" lineClamp={1} maxW="260px" title={doc.name}>
          {doc.name || "Untitled workflow"}
        </Text>
        {session.baseRevision ? <Badge variant="outline">Revision {session.baseRevision.number}</Badge> : <Badge variant="outline">Not saved yet</Badge>}
        <DraftBadge revision={session.baseRevision} deployed={session.deployedRevision ?? null} />
        {state.dirty ? <Badge colorPalette="orange">Unsaved changes</Badge> : null}
        {check.validationError ? (
          <Badge colorPalette="red" title={check.validationError}>
            Could not check
          </Badge>
        ) : check.checking ? (
          <Badge variant="subtle">Checking…</Badge>
        ) : check.problemCount > 0 ? (
          <Button size="xs" variant="subtle" colorPalette="red" onClick={onShowProblems} data-testid="problem-count">
            {check.problemCount} problem(s)
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
        <Button size="xs" variant="ghost" onClick={onLayout} disabled={readOnly || doc.tasks.length === 0}>
          Auto-layout
        </Button>
        <Button size="xs" variant="ghost" onClick={onFitView}>
          Fit view
        </Button>
        <Separator orientation="vertical" h="5" />
        {!isNew ? (
          <Button size="xs" variant="ghost" onClick={onHistory}>
            History
          </Button>
        ) : null}
        {!readOnly ? (
          <Button size="xs" variant="ghost" onClick={() => fileInput.current?.click()}>
            Import
          </Button>
        ) : null}
        <input ref={fileInput} type="file" accept="application/json,.json" hidden aria-label="Import a workflow file" onChange={onImport} data-testid="import-input" />
        <Button size="xs" variant="ghost" onClick={onExport}>
          Export
        </Button>
        <Button size="xs" variant="ghost" onClick={onShortcuts} aria-label="Keyboard shortcuts (?)">
          Shortcuts
        </Button>
        <EditorRunButton workflowId={session.workflowId} dirty={state.dirty} deployedRevision={session.deployedRevision ?? null} />
        {!readOnly ? (
          <Button size="sm" onClick={onSave} disabled={saving}>
            {isNew ? "Create…" : "Save…"}
          </Button>
        ) : (
          <Badge>Read only</Badge>
        )}
      </HStack>
    </HStack>
  );
}
