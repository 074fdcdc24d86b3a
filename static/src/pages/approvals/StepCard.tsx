import { Badge, Box, Button, Checkbox, Field, HStack, Heading, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useState } from "react";
import Markdown from "react-markdown";
import { useRespond, type StepField, type StepOut } from "../../api/approvals";
import { ActionError } from "../../components/ActionError";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { DateTime } from "../../components/DateTime";

function fieldType(field: StepField): string {
  const type = field.schema?.type;
  return (Array.isArray(type) ? type.find((t) => t !== "null") : type) ?? "string";
}

/** Field values as typed: numbers from their text, JSON for arrays and objects. */
export function parseFieldValue(field: StepField, text: string): unknown {
  const type = fieldType(field);
  if (type === "integer" || type === "number") return text.trim() === "" ? null : Number(text);
  if (type === "array" || type === "object") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function initialText(field: StepField): string {
  const value = field.value;
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);
}

function FieldInput({ name, field, value, onChange }: { name: string; field: StepField; value: unknown; onChange: (value: unknown) => void }) {
  const type = fieldType(field);
  const label = field.schema?.title ?? name;
  if (type === "boolean") {
    return (
      <Checkbox.Root size="sm" checked={value === true} onCheckedChange={(event) => onChange(event.checked === true)}>
        <Checkbox.HiddenInput />
        <Checkbox.Control />
        <Checkbox.Label>{label}</Checkbox.Label>
      </Checkbox.Root>
    );
  }
  const text = typeof value === "string" ? value : value === undefined || value === null ? "" : typeof value === "number" ? String(value) : JSON.stringify(value);
  return (
    <Field.Root>
      <Field.Label>{label}</Field.Label>
      {field.schema?.enum ? (
        <NativeSelect.Root size="sm">
          <NativeSelect.Field value={text} onChange={(event) => onChange(parseFieldValue(field, event.currentTarget.value))}>
            {field.schema.enum.map((option) => (
              <option key={String(option)} value={String(option)}>
                {String(option)}
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      ) : type === "array" || type === "object" ? (
        <Textarea size="sm" fontFamily="mono" value={text} onChange={(event) => onChange(parseFieldValue(field, event.currentTarget.value))} />
      ) : (
        <Input
          size="sm"
          type={type === "integer" || type === "number" ? "number" : "text"}
          value={text}
          onChange={(event) => onChange(parseFieldValue(field, event.currentTarget.value))}
        />
      )}
      {field.description ? (
        <Field.HelperText>
          <InlineMarkdown text={field.description} />
        </Field.HelperText>
      ) : null}
    </Field.Root>
  );
}

function Answer({ step }: { step: StepOut }) {
  const respond = useRespond(step);
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(Object.entries(step.fields).map(([name, field]) => [name, fieldType(field) === "boolean" ? field.value === true : parseFieldValue(field, initialText(field))])),
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const send = (options: string[]) => respond.mutate({ chosen_options: options, params_input: values });
  return (
    <Stack gap="3">
      {Object.entries(step.fields).map(([name, field]) => (
        <FieldInput key={name} name={name} field={field} value={values[name]} onChange={(value) => setValues((old) => ({ ...old, [name]: value }))} />
      ))}
      {step.multiple ? (
        <Stack gap="2">
          {step.options.map((option) => (
            <Checkbox.Root
              key={option}
              size="sm"
              checked={chosen.includes(option)}
              onCheckedChange={(event) => setChosen((old) => (event.checked === true ? [...old, option] : old.filter((o) => o !== option)))}
            >
              <Checkbox.HiddenInput />
              <Checkbox.Control />
              <Checkbox.Label>{option}</Checkbox.Label>
            </Checkbox.Root>
          ))}
          <Button size="sm" alignSelf="flex-start" loading={respond.isPending} disabled={chosen.length === 0} onClick={() => send(chosen)}>
            Send answer
          </Button>
        </Stack>
      ) : (
        <HStack gap="2" wrap="wrap">
          {step.options.map((option) => (
            <Button
              key={option}
              size="sm"
              variant={option === "Reject" ? "outline" : "solid"}
              colorPalette={option === "Reject" ? "red" : undefined}
              loading={respond.isPending && respond.variables?.chosen_options[0] === option}
              disabled={respond.isPending}
              onClick={() => send([option])}
            >
              {option}
            </Button>
          ))}
        </HStack>
      )}
      <ActionError error={respond.error} title="The answer was not sent" />
    </Stack>
  );
}

/** One approval or input step: its request, and the answer form when the user may answer it. */
export function StepCard({ step, showRun = false }: { step: StepOut; showRun?: boolean }) {
  const answered = step.responded_at !== null;
  return (
    <Stack as="article" aria-label={step.title} gap="2" borderWidth="1px" borderRadius="md" p="3" bg="bg.panel">
      <HStack justify="space-between" align="flex-start" wrap="wrap">
        <Heading as="h4" size="sm">
          {step.title}
        </Heading>
        {answered ? <Badge colorPalette="green">Answered</Badge> : <Badge colorPalette="orange">Waiting for an answer</Badge>}
      </HStack>
      {showRun ? (
        <Text textStyle="xs" color="fg.muted">
          {step.workflow_name} · run {step.run_id} · task {step.task_id}
        </Text>
      ) : null}
      {step.body ? (
        <Box textStyle="sm" css={{ "& p": { mb: "2" }, "& code": { fontFamily: "mono", bg: "bg.muted", px: "1" } }}>
          <Markdown skipHtml>{step.body}</Markdown>
        </Box>
      ) : null}
      {step.respondents.length > 0 ? (
        <Text textStyle="xs" color="fg.muted">
          Who may answer: {step.respondents.map((u) => u.name).join(", ")}
        </Text>
      ) : null}
      {!answered && step.timeout_at ? (
        <Text textStyle="xs" color="fg.muted">
          Answer before <DateTime value={step.timeout_at} />
          {step.on_timeout ? `; then “${step.on_timeout.join(", ")}” is taken` : "; then the step fails"}.
        </Text>
      ) : null}
      {answered ? (
        <Text textStyle="sm">
          <strong>{(step.chosen_options ?? []).join(", ")}</strong> by {step.responded_by?.name ?? "the timeout"} <DateTime value={step.responded_at ?? ""} />
        </Text>
      ) : step.can_respond ? (
        <Answer step={step} />
      ) : (
        <Text textStyle="sm" color="fg.muted">
          You may not answer this step.
        </Text>
      )}
    </Stack>
  );
}
