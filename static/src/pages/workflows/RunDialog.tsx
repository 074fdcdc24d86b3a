import { Alert, Box, Checkbox, Code, Dialog, Field, HStack, Input, NativeSelect, Spinner, Stack, Text, Textarea } from "@chakra-ui/react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../../api/client";
import { useTriggerRun, type RunOut } from "../../api/runs";
import { useWorkflowActions, useWorkflowDetail, type ParamDef } from "../../api/workflowList";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ActionError } from "../../components/ActionError";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { AppDialog, DialogActions } from "../../components/AppDialog";
import { initialValues, paramKind, serverFieldErrors, valuesToParams, type FormValues } from "./paramForm";

interface RunDialogProps {
  workflowId: string;
  open: boolean;
  onClose: () => void;
  /** Values of an earlier run, for "re-run with other parameters". */
  previousParams?: Record<string, unknown>;
  onStarted: (run: RunOut) => void;
  /** Said above the form (the editor: "your unsaved changes are not part of this run"). */
  notice?: ReactNode;
}

function defaultText(def: ParamDef): string | null {
  if (def.default === undefined) return null;
  return typeof def.default === "string" ? def.default : JSON.stringify(def.default);
}

/** The description's Markdown rendered (it is the author's prose); the default shown as code, verbatim. */
function ParamHelp({ def, kind }: { def: ParamDef; kind: ReturnType<typeof paramKind> }) {
  const shown = defaultText(def);
  const parts: ReactNode[] = [];
  if (def.description) parts.push(<InlineMarkdown key="description" text={def.description} />);
  if (kind === "json") parts.push(`JSON ${def.type === "array" ? "list" : "object"}`);
  if (shown !== null) parts.push(<span key="default">Default: <Code size="sm">{shown}</Code></span>);
  if (parts.length === 0) return null;
  return <Field.HelperText>{parts.flatMap((part, index) => (index === 0 ? [part] : [" · ", part]))}</Field.HelperText>;
}

function ParamField({ name, def, value, error, onChange }: { name: string; def: ParamDef; value: string | boolean; error?: string; onChange: (v: string | boolean) => void }) {
  const kind = paramKind(def);
  const label = def.title || name;
  const required = def.default === undefined && kind !== "boolean";
  const help = <ParamHelp def={def} kind={kind} />;
  if (kind === "boolean") {
    return (
      <Field.Root invalid={Boolean(error)}>
        <Checkbox.Root checked={value === true} onCheckedChange={(event) => onChange(event.checked === true)}>
          <Checkbox.HiddenInput name={name} />
          <Checkbox.Control />
          <Checkbox.Label>{label}</Checkbox.Label>
        </Checkbox.Root>
        {help}
        <Field.ErrorText>{error}</Field.ErrorText>
      </Field.Root>
    );
  }
  return (
    <Field.Root invalid={Boolean(error)} required={required}>
      <Field.Label>
        {label}
        <Text as="span" color="fg.muted" fontWeight="normal" fontFamily="mono" textStyle="xs">
          {def.title ? ` ${name}` : ""} ({def.type ?? "string"})
        </Text>
        <Field.RequiredIndicator />
      </Field.Label>
      {kind === "enum" ? (
        <NativeSelect.Root>
          <NativeSelect.Field name={name} value={String(value)} onChange={(event) => onChange(event.currentTarget.value)}>
            {(def.enum ?? []).map((option) => {
              const text = typeof option === "string" ? option : JSON.stringify(option);
              return (
                <option key={text} value={text}>
                  {text}
                </option>
              );
            })}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      ) : kind === "json" ? (
        <Textarea name={name} fontFamily="mono" rows={3} value={String(value)} onChange={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <Input
          name={name}
          type={kind === "integer" || kind === "number" ? "number" : "text"}
          step={kind === "integer" ? 1 : "any"}
          min={def.minimum}
          max={def.maximum}
          value={String(value)}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      )}
      {help}
      <Field.ErrorText>{error}</Field.ErrorText>
    </Field.Root>
  );
}

function RunForm({ workflowId, previousParams, onClose, onStarted, notice }: Omit<RunDialogProps, "open">) {
  const detail = useWorkflowDetail(workflowId);
  const trigger = useTriggerRun(workflowId);
  const { setPaused } = useWorkflowActions();
  const formId = useId();
  const defs = detail.data?.document.params ?? {};
  const [values, setValues] = useState<FormValues | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [unpause, setUnpause] = useState(true);

  if (detail.isPending) {
    return (
      <Dialog.Body>
        <HStack role="status" color="fg.muted">
          <Spinner size="sm" /> <Text>Loading the run parameters…</Text>
        </HStack>
      </Dialog.Body>
    );
  }
  if (detail.isError) {
    return (
      <Dialog.Body>
        <ErrorNotice error={detail.error} what="workflow" onRetry={() => void detail.refetch()} />
      </Dialog.Body>
    );
  }
  const current = values ?? initialValues(defs, previousParams);
  const names = Object.keys(defs);
  const apiErrors = trigger.error instanceof ApiError && trigger.error.status === 422 ? serverFieldErrors(trigger.error.errors, names) : null;
  const paused = detail.data.is_paused === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { params, errors } = valuesToParams(defs, current);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (paused && unpause) {
      try {
        await setPaused.mutateAsync({ id: workflowId, paused: false });
      } catch {
        return;
      }
    }
    trigger.mutate(params, { onSuccess: onStarted });
  }

  return (
    <>
      <Dialog.Body>
        <form id={formId} onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="4">
          {notice}
          {names.length === 0 ? (
            <Text color="fg.muted">This workflow has no run parameters.</Text>
          ) : (
            names.map((name) => (
              <ParamField
                key={name}
                name={name}
                def={defs[name] as ParamDef}
                value={current[name] ?? ""}
                error={clientErrors[name] ?? apiErrors?.byField[name]}
                onChange={(value) => setValues({ ...current, [name]: value })}
              />
            ))
          )}
          {paused && (
            <Alert.Root status="warning">
              <Alert.Indicator />
              <Alert.Content>
                <Alert.Title>This workflow is paused</Alert.Title>
                <Alert.Description>
                  A run of a paused workflow waits until the workflow is unpaused.
                  <Box mt="2">
                    <Checkbox.Root checked={unpause} onCheckedChange={(event) => setUnpause(event.checked === true)}>
                      <Checkbox.HiddenInput />
                      <Checkbox.Control />
                      <Checkbox.Label>Unpause it so the run starts now</Checkbox.Label>
                    </Checkbox.Root>
                  </Box>
                </Alert.Description>
              </Alert.Content>
            </Alert.Root>
          )}
          <ActionError error={setPaused.error} title="Could not unpause the workflow" />
          {trigger.isError && (!apiErrors || apiErrors.other.length > 0 || Object.keys(apiErrors.byField).length === 0) && (
            <ActionError
              error={apiErrors ? new ApiError(422, trigger.error.message, apiErrors.other) : trigger.error}
              title="The run was not started"
            />
          )}
        </Stack>
        </form>
      </Dialog.Body>
      <Dialog.Footer>
        <DialogActions onCancel={onClose} confirmLabel="Start run" form={formId} pending={trigger.isPending || setPaused.isPending} />
      </Dialog.Footer>
    </>
  );
}

/** "Run" with a form for the workflow's run parameters (types, defaults, enums); 422s land on their fields. */
export function RunDialog({ workflowId, open, onClose, previousParams, onStarted, notice }: RunDialogProps) {
  return (
    <AppDialog
      open={open}
      onClose={onClose}
      size="md"
      scrollBehavior="inside"
      body={false}
      title={
        <>
          Run <code>{workflowId}</code>
        </>
      }
    >
      {open && <RunForm workflowId={workflowId} previousParams={previousParams} onClose={onClose} onStarted={onStarted} notice={notice} />}
    </AppDialog>
  );
}
