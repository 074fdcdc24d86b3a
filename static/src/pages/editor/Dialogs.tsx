import { Alert, Box, Button, Field, Kbd, Stack, Table, Text, Textarea } from "@chakra-ui/react";
import { useState } from "react";
import { AppDialog, DialogActions } from "../../components/AppDialog";
import { InlineMarkdown } from "../../components/InlineMarkdown";

export function SaveDialog({
  open,
  isNew,
  pending,
  error,
  problemCount,
  deployedNumber,
  startNotice,
  onSave,
  onClose,
}: {
  open: boolean;
  isNew: boolean;
  pending: boolean;
  error: string | null;
  problemCount: number;
  /** The revision the DAG runs now (null: none, only drafts or a new workflow). */
  deployedNumber: number | null;
  /** What Airflow starts right after the save (a past start date), said before saving. */
  startNotice?: string | null;
  onSave: (message: string, draft: boolean) => void;
  onClose: () => void;
}) {
  const [message, setMessage] = useState("");
  // With problems the server refuses a normal save: offer the draft instead.
  const draft = problemCount > 0;
  const confirmLabel = draft ? "Save as draft" : isNew ? "Create" : "Save";
  return (
    <AppDialog
      open={open}
      onClose={onClose}
      title={draft ? "Save as a draft" : isNew ? "Create the workflow" : "Save a new revision"}
      footer={<DialogActions onCancel={onClose} confirmLabel={confirmLabel} onConfirm={() => onSave(message, draft)} pending={pending} />}
    >
      <Stack
        as="form"
        gap="3"
        onSubmit={(e) => {
          e.preventDefault();
          onSave(message, draft);
        }}
      >
        <Field.Root>
          <Field.Label>What changed?</Field.Label>
          <Textarea autoFocus value={message} onChange={(e) => setMessage(e.currentTarget.value)} placeholder="e.g. Add the summary step" rows={3} />
          <Field.HelperText>Kept with the revision and shown in its history.</Field.HelperText>
        </Field.Root>
        {draft ? (
          <Alert.Root status="warning" data-testid="draft-explanation">
            <Alert.Indicator />
            <Alert.Description>
              The workflow has {problemCount} problem{problemCount > 1 ? "s" : ""}, so it is saved as a <strong>draft</strong>: kept in the history and
              editable, but not deployed.{" "}
              {deployedNumber !== null
                ? `Airflow keeps running revision ${deployedNumber} until a valid revision is saved.`
                : "It has no DAG and cannot run until a valid revision is saved."}
            </Alert.Description>
          </Alert.Root>
        ) : null}
        {startNotice && !draft ? (
          <Alert.Root status="info" data-testid="save-start-notice">
            <Alert.Indicator />
            <Alert.Description>{startNotice}</Alert.Description>
          </Alert.Root>
        ) : null}
        {error ? (
          <Alert.Root status="error" role="alert">
            <Alert.Indicator />
            <Alert.Description>
              <InlineMarkdown text={error} />
            </Alert.Description>
          </Alert.Root>
        ) : null}
      </Stack>
    </AppDialog>
  );
}

export interface ConflictInfo {
  currentRevisionId: number;
  currentRevisionNumber: number;
  author?: string;
  message?: string;
}

export function ConflictDialog({
  conflict,
  baseNumber,
  pending,
  onReload,
  onOverwrite,
  onExport,
  onClose,
}: {
  conflict: ConflictInfo | null;
  baseNumber: number | null;
  pending: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onExport: () => void;
  onClose: () => void;
}) {
  return (
    <AppDialog
      open={conflict !== null}
      onClose={onClose}
      role="alertdialog"
      title="Someone else saved this workflow"
      footer={
        <Stack direction={{ base: "column", md: "row" }} gap="2">
          <Button variant="outline" onClick={onExport}>
            Export my version
          </Button>
          <Button variant="outline" onClick={onReload} disabled={pending}>
            Discard mine, load theirs
          </Button>
          <Button colorPalette="red" onClick={onOverwrite} loading={pending}>
            Save mine on top of theirs
          </Button>
        </Stack>
      }
    >
      {conflict ? (
        <Stack gap="2">
          <Text>
            You started from revision {baseNumber ?? "?"}, but revision {conflict.currentRevisionNumber}
            {conflict.author ? ` by ${conflict.author}` : ""} was saved since{conflict.message ? ` (“${conflict.message}”)` : ""}. Saving now would
            silently undo their changes, so it was refused.
          </Text>
          <Text textStyle="sm" color="fg.muted">
            Load theirs to continue from their version (your unsaved changes are lost unless you export them first), or save yours
            as the next revision, replacing theirs (their revision stays in the history).
          </Text>
        </Stack>
      ) : null}
    </AppDialog>
  );
}

export function UnsavedDialog({ open, onStay, onLeave }: { open: boolean; onStay: () => void; onLeave: () => void }) {
  return (
    <AppDialog
      open={open}
      onClose={onStay}
      role="alertdialog"
      title="Leave without saving?"
      footer={<DialogActions onCancel={onStay} cancelLabel="Stay" confirmLabel="Leave" onConfirm={onLeave} danger />}
    >
      <Stack gap="2">
        <Text>This workflow has changes that are not saved.</Text>
        <Text textStyle="sm" color="fg.muted">
          A copy stays in this browser: opening the workflow here again offers to restore it.
        </Text>
      </Stack>
    </AppDialog>
  );
}

export const SHORTCUTS: [string, string][] = [
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "Redo"],
  ["Ctrl+C", "Copy the selected tasks"],
  ["Ctrl+V", "Paste"],
  ["Delete / Backspace", "Delete the selected tasks and connections"],
  ["Ctrl+A", "Select every task"],
  ["Ctrl+S", "Save"],
  ["Shift+F", "Fit the graph in view"],
  ["Shift+L", "Arrange automatically"],
  ["Escape", "Clear the selection"],
  ["?", "This help"],
  ["Shift+click / drag", "Select several tasks"],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <AppDialog open={open} onClose={onClose} title="Keyboard shortcuts" footer={<Button onClick={onClose}>Close</Button>}>
      <Box>
        <Table.Root size="sm">
          <Table.Body>
            {SHORTCUTS.map(([keys, what]) => (
              <Table.Row key={keys}>
                <Table.Cell>
                  <Kbd>{keys}</Kbd>
                </Table.Cell>
                <Table.Cell>{what}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
        <Text textStyle="xs" color="fg.muted" mt="2">
          On macOS, use ⌘ instead of Ctrl. Shortcuts do not apply while typing in a field.
        </Text>
      </Box>
    </AppDialog>
  );
}
