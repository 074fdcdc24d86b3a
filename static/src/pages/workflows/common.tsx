import { Alert, Button, CloseButton, Dialog, Heading, List, Portal, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";
import { ApiError } from "../../api/client";
import { errorLines } from "../../lib/errorText";

/** The reason a change was refused, shown where the change was attempted. */
export function ActionError({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  const raw = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error);
  const { message, items: errors } = errorLines(raw, error instanceof ApiError ? [...error.errors] : []);
  const forbidden = error instanceof ApiError && error.status === 403 && !error.isSessionExpired;
  return (
    <Alert.Root status="error" role="alert" alignItems="flex-start">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>
          {forbidden ? `Your Airflow role does not allow this (${message}).` : message}
          {errors.length > 0 && (
            <List.Root ps="5" mt="1">
              {errors.map((item, index) => (
                <List.Item key={index}>
                  {item.path ? <code>{item.path}: </code> : null}
                  {item.message}
                </List.Item>
              ))}
            </List.Root>
          )}
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: unknown;
  errorTitle?: string;
  onConfirm: () => void;
  onClose: () => void;
}

/** A destructive action asks first; a refusal stays visible inside the dialog. */
export function ConfirmDialog({ open, title, children, confirmLabel, pending, error, errorTitle, onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={(event) => !event.open && onClose()} role="alertdialog" placement="center">
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{title}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body display="flex" flexDirection="column" gap="3">
              <Text as="div">{children}</Text>
              <ActionError error={error} title={errorTitle ?? "That did not work"} />
            </Dialog.Body>
            <Dialog.Footer>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button colorPalette="red" loading={pending} onClick={onConfirm}>
                {confirmLabel}
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

export function PageHeading({ title, children, description }: { title: ReactNode; description?: ReactNode; children?: ReactNode }) {
  return (
    <div style={{ display: "flex", alignItems: "flex-start", justifyContent: "space-between", gap: "1rem", flexWrap: "wrap" }}>
      <div>
        <Heading as="h2" size="xl">
          {title}
        </Heading>
        {description ? (
          <Text color="fg.muted" textStyle="sm">
            {description}
          </Text>
        ) : null}
      </div>
      {children ? <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "center" }}>{children}</div> : null}
    </div>
  );
}
