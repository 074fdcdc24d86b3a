import { Alert, Badge, Button, CloseButton, Field, HStack, Input, Stack, Text } from "@chakra-ui/react";
import { useId, useState } from "react";
import { ApiError } from "../../api/client";
import { useSecretActions, useSecrets, type DeclaredSecret } from "../../api/secrets";
import { actionsColumn, DataTable, SMALL, type DataColumn } from "../../components/DataTable";
import { QueryContent } from "../../components/QueryContent";
import { ActionError } from "../../components/ActionError";
import { AppDialog, ConfirmDialog, DialogActions } from "../../components/AppDialog";
import { PageHeading } from "../../components/PageHeading";

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && !error.isSessionExpired;
}

function RoleNotice() {
  return (
    <Alert.Root status="info">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>Secrets need the Op or Admin role</Alert.Title>
        <Alert.Description>
          Secret values are stored as Airflow Variables. Ask an Airflow administrator for the Op or Admin role to see and set them.
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}

function SetSecretDialog({ secret, onClose, onSaved }: { secret: DeclaredSecret; onClose: () => void; onSaved: () => void }) {
  const { set } = useSecretActions();
  const [value, setValue] = useState("");
  const formId = useId();
  return (
    <AppDialog
      open
      onClose={onClose}
      title={
        <>
          {secret.is_set ? "Replace" : "Set"} {secret.name}
        </>
      }
      footer={<DialogActions onCancel={onClose} confirmLabel="Save secret" form={formId} disabled={value === ""} pending={set.isPending} />}
    >
      <form
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          set.mutate({ repository: secret.repository, name: secret.name, value }, { onSuccess: onSaved });
        }}
      >
        <Stack gap="3">
          <Field.Root required invalid={set.isError}>
            <Field.Label>
              Value <Field.RequiredIndicator />
            </Field.Label>
            <Input type="password" autoComplete="new-password" value={value} onChange={(event) => setValue(event.currentTarget.value)} />
            <Field.HelperText>
              Stored in the Airflow Variable <code>{secret.variable}</code>. It is write-only: nobody can read it back here.
              {secret.is_set ? " Saving replaces the current value." : ""}
            </Field.HelperText>
          </Field.Root>
          <ActionError error={set.error} title="The secret was not saved" />
        </Stack>
      </form>
    </AppDialog>
  );
}

function secretColumns({ onSet, onDelete }: { onSet: (secret: DeclaredSecret) => void; onDelete: (secret: DeclaredSecret) => void }): DataColumn<DeclaredSecret>[] {
  return [
    {
      key: "secret",
      header: "Secret",
      cell: (secret) => (
        <>
          <HStack gap="2">
            <Text fontFamily="mono" fontWeight="semibold" textStyle="sm">
              {secret.name}
            </Text>
            {secret.required && (
              <Badge size="xs" colorPalette="orange">
                required
              </Badge>
            )}
          </HStack>
          {secret.description && (
            <Text textStyle="xs" color="fg.muted">
              {secret.description}
            </Text>
          )}
          <Text textStyle="xs" color="fg.muted">
            Variable <code>{secret.variable}</code>
          </Text>
        </>
      ),
    },
    { key: "repository", header: "Repository", cellProps: SMALL, cell: (secret) => secret.repository },
    { key: "pieces", header: "Used by", cellProps: SMALL, cell: (secret) => secret.pieces.join(", ") },
    {
      key: "status",
      header: "Status",
      cell: (secret) => <Badge colorPalette={secret.is_set ? "green" : secret.required ? "red" : "gray"}>{secret.is_set ? "Set" : "Not set"}</Badge>,
    },
    actionsColumn((secret) => (
      <>
        <Button size="xs" onClick={() => onSet(secret)} aria-label={`${secret.is_set ? "Replace" : "Set"} ${secret.name}`}>
          {secret.is_set ? "Replace" : "Set"}
        </Button>
        <Button size="xs" variant="outline" colorPalette="red" disabled={!secret.is_set} onClick={() => onDelete(secret)} aria-label={`Delete ${secret.name}`}>
          Delete
        </Button>
      </>
    )),
  ];
}

export function SecretsPage() {
  const secrets = useSecrets();
  const { remove } = useSecretActions();
  const [editing, setEditing] = useState<DeclaredSecret | null>(null);
  const [deleting, setDeleting] = useState<DeclaredSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Stack gap="4">
      <PageHeading
        title="Secrets"
        description="Secrets the installed pieces declare. Values are write-only: once saved they are never shown again."
      />
      {notice && (
        <Alert.Root status="success" role="status" alignItems="center">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Description>{notice}</Alert.Description>
          </Alert.Content>
          <CloseButton size="sm" aria-label="Dismiss" onClick={() => setNotice(null)} />
        </Alert.Root>
      )}
      {isForbidden(secrets.error) ? (
        <RoleNotice />
      ) : (
        <QueryContent
          query={secrets}
          what="secrets"
          isEmpty={(data) => data.items.length === 0}
          empty={<Text color="fg.muted">No installed piece declares a secret.</Text>}
        >
          {(data) => (
            <DataTable
              label="Secrets"
              interactive
              bordered
              columns={secretColumns({
                onSet: (secret) => {
                  setNotice(null);
                  setEditing(secret);
                },
                onDelete: setDeleting,
              })}
              rows={data.items}
              rowKey={(secret) => `${secret.repository}/${secret.name}`}
              rowProps={(secret) => ({ "data-secret": secret.name })}
            />
          )}
        </QueryContent>
      )}
      {isForbidden(remove.error) && !deleting && <RoleNotice />}
      {editing && (
        <SetSecretDialog
          secret={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setNotice(`${editing.name} saved${editing.is_set ? " (the old value was replaced)" : ""}. Tasks that need it use it from their next run.`);
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          open
          title={`Delete the value of ${deleting.name}?`}
          confirmLabel="Delete value"
          pending={remove.isPending}
          error={remove.error}
          errorTitle="The secret was not deleted"
          onClose={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() => remove.mutate({ repository: deleting.repository, name: deleting.name }, {
              onSuccess: () => {
                setNotice(`The value of ${deleting.name} was deleted.`);
                setDeleting(null);
              },
            })}
        >
          Tasks of pieces that need {deleting.name} will fail until a new value is set.
        </ConfirmDialog>
      )}
    </Stack>
  );
}
