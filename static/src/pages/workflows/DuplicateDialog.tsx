import { Button, CloseButton, Dialog, Field, Input, Portal, Stack } from "@chakra-ui/react";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { useWorkflowActions, type WorkflowListItem } from "../../api/workflowList";
import { ActionError } from "./common";

export function DuplicateDialog({ workflow, onClose }: { workflow: WorkflowListItem; onClose: () => void }) {
  const { duplicate } = useWorkflowActions();
  const [newId, setNewId] = useState(`${workflow.id}_copy`.slice(0, 200));
  const [name, setName] = useState(`${workflow.name} (copy)`);
  const formId = useId();
  const navigate = useNavigate();
  return (
    <Dialog.Root open onOpenChange={(event) => !event.open && onClose()} placement="center">
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>Duplicate “{workflow.name}”</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
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
            </Dialog.Body>
            <Dialog.Footer>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" form={formId} loading={duplicate.isPending}>
                Duplicate
              </Button>
            </Dialog.Footer>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
