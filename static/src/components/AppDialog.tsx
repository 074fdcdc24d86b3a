import { Button, CloseButton, Dialog, Portal, Text, type DialogRootProps } from "@chakra-ui/react";
import type { ReactNode } from "react";
import { ActionError } from "./ActionError";
import { useOpenedOnce } from "./useOpenedOnce";

interface AppDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  /** Buttons; leave out when `children` bring their own Dialog.Body and Dialog.Footer (a form that owns both). */
  footer?: ReactNode;
  role?: "dialog" | "alertdialog";
  size?: DialogRootProps["size"];
  scrollBehavior?: DialogRootProps["scrollBehavior"];
  /** false: `children` go straight into the dialog's content, not into a Dialog.Body. */
  body?: boolean;
}

/** Every dialog of the app: centred, a title, a body, a footer and a close button, closed by Escape. */
export function AppDialog({ open, onClose, title, children, footer, role, size, scrollBehavior, body = true }: AppDialogProps) {
  if (!useOpenedOnce(open)) return null;
  return (
    <Dialog.Root open={open} onOpenChange={(event) => !event.open && onClose()} placement="center" role={role} size={size} scrollBehavior={scrollBehavior}>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{title}</Dialog.Title>
            </Dialog.Header>
            {body ? <Dialog.Body>{children}</Dialog.Body> : children}
            {footer !== undefined ? <Dialog.Footer>{footer}</Dialog.Footer> : null}
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

interface DialogActionsProps {
  onCancel: () => void;
  confirmLabel: ReactNode;
  /** The form the confirm button submits; without it the button calls `onConfirm`. */
  form?: string;
  onConfirm?: () => void;
  pending?: boolean;
  disabled?: boolean;
  cancelLabel?: string;
  danger?: boolean;
}

/** "Cancel" and the dialog's one action (a submit button when `form` is given). */
export function DialogActions({ onCancel, confirmLabel, form, onConfirm, pending, disabled, cancelLabel = "Cancel", danger }: DialogActionsProps) {
  return (
    <>
      <Button variant="outline" onClick={onCancel}>
        {cancelLabel}
      </Button>
      <Button
        type={form ? "submit" : "button"}
        form={form}
        onClick={form ? undefined : onConfirm}
        loading={pending}
        disabled={disabled}
        colorPalette={danger ? "red" : undefined}
      >
        {confirmLabel}
      </Button>
    </>
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
    <AppDialog
      open={open}
      onClose={onClose}
      role="alertdialog"
      title={title}
      footer={<DialogActions onCancel={onClose} confirmLabel={confirmLabel} onConfirm={onConfirm} pending={pending} danger />}
    >
      <Text as="div">{children}</Text>
      <ActionError error={error} title={errorTitle ?? "That did not work"} />
    </AppDialog>
  );
}
