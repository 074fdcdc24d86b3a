import { Field, Input, Stack } from "@chakra-ui/react";
import { AppDialog, DialogActions } from "../../components/AppDialog";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { useWorkflowActions, type WorkflowListItem } from "../../api/workflowList";
import { ActionError } from "../../components/ActionError";

export function DuplicateDialog({ workflow, onClose }: { workflow: WorkflowListItem; onClose: () => void }) {
  const { duplicate } = useWorkflowActions();
  const [newId, setNewId] = useState(`${workflow.id}_copy`.slice(0, 200));
  const [name, setName] = useState(`${workflow.name} (copy)`);
  const formId = useId();
  const navigate = useNavigate();
  return (
    <AppDialog
      open
      onClose={onClose}
      title={<>Duplicate “{workflow.name}”</>}
      footer={<DialogActions onCancel={onClose} confirmLabel="Duplicate" form={formId} pending={duplicate.isPending} />}
    >
      <Stack
        as="form"
        id={formId}
        gap="3"
        onSubmit={(event) => {
          event.preventDefault();
          duplicate.mutate(
            { id: workflow.id, newId: newId.trim(), name: name.trim() },
            { onSuccess: () => void navigate(`/workflows?search=${encodeURIComponent(newId.trim())}`) },
          );
        }}
      >
        <Field.Root required>
          <Field.Label>
            New id <Field.RequiredIndicator />
          </Field.Label>
          <Input value={newId} onChange={(event) => setNewId(event.currentTarget.value)} fontFamily="mono" />
          <Field.HelperText>Becomes the DAG id: a lowercase letter, then lowercase letters, digits or _.</Field.HelperText>
        </Field.Root>
        <Field.Root>
          <Field.Label>New name</Field.Label>
          <Input value={name} onChange={(event) => setName(event.currentTarget.value)} />
        </Field.Root>
        <ActionError error={duplicate.error} title="The workflow was not duplicated" />
      </Stack>
    </AppDialog>
  );
}
