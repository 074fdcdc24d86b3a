import { Alert, Badge, Box, Button, Field, Heading, HStack, Input, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useAppEnvironment } from "../../api/context";
import { removeTasks, renameTask, TASK_ID_PATTERN, updateTask } from "../../lib/graph";
import type { JsonSchema } from "../../lib/typeCompat";
import { formatLoc, issuesAt, type TaskIssue } from "../../lib/validationPaths";
import { RUNNERS, taskLabel, type PieceRef, type Resources, type Runner, type SecretSource, type TaskDoc } from "../../lib/workflowDoc";
import { OutletsField } from "./DataSchedule";
import { useEditorData } from "./EditorContext";
import { InputField } from "./InputField";
import { ChoiceSelect } from "./ParamTypeSelect";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { ControlFlowSection, FLOW_FIELDS, ForEachItemNote } from "./ControlFlowSection";
import { STEP_FIELDS, StepSection } from "./StepSection";
import { noStepInputs, taskRef } from "../../lib/steps";

export function defaultSecretVariable(repository: string, name: string): string {
  return `domino__${repository}__${name}`;
}

interface DeclaredSecret {
  repository: string;
  name: string;
  variable: string;
  is_set: boolean;
}

/** Which secrets are set; operators only (a 403 simply shows nothing). */
function useSecretStatus() {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: ["secrets"],
    queryFn: ({ signal }) => api.get<{ items: DeclaredSecret[] }>("/secrets", undefined, signal),
    retry: false,
    staleTime: 60_000,
  });
}

/** A titled part of the details panel (Task and Settings tabs). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack as="section" aria-label={title} gap="3" borderTopWidth="1px" pt="3">
      <Heading as="h3" size="sm">
        {title}
      </Heading>
      {children}
    </Stack>
  );
}

export function TaskPanel({ task }: { task: TaskDoc }) {
  const { doc, edit, readOnly, taskPiece, issues } = useEditorData();
  const piece = taskPiece(task);
  const taskIssues = issues.byTask.get(task.id) ?? [];
  const inputSchema = piece?.input_schema ?? {};
  const props = (inputSchema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((inputSchema.required as string[] | undefined) ?? []);
  const shownInputs = new Set(Object.keys(props));
  // Issues that no field below shows: piece, id, unknown inputs, dependencies…
  const general = taskIssues.filter((i) => {
    if (i.loc[0] === "inputs" && typeof i.loc[1] === "string" && shownInputs.has(i.loc[1])) return false;
    if (i.loc[0] === "secrets" && i.loc.length > 1) return false;
    if (["label", "retries", "retry_delay_s", "timeout_s", "runner", "resources", ...FLOW_FIELDS, ...STEP_FIELDS].includes(String(i.loc[0]))) return false;
    return true;
  });

  return (
    <Stack gap="4" data-testid="task-panel">
      <HStack justify="space-between" align="start">
        <Box>
          <Heading as="h2" size="md">
            {taskLabel(task)}
          </Heading>
          <Text textStyle="xs" color="fg.muted">
            {task.piece ? `${task.piece.name} · ${task.piece.repository} ${task.piece.version}` : taskRef(task).name}
          </Text>
        </Box>
        {!readOnly ? (
          <Button size="xs" variant="outline" colorPalette="red" onClick={() => edit((d) => removeTasks(d, [task.id]))}>
            Delete task
          </Button>
        ) : null}
      </HStack>
      {piece?.description ? (
        <Text textStyle="sm">
          <InlineMarkdown text={piece.description} />
        </Text>
      ) : null}
      {!piece && task.piece ? (
        <Alert.Root status="warning">
          <Alert.Indicator />
          <Alert.Description>
            Piece {task.piece.name} {task.piece.version} of repository {task.piece.repository} is not installed; its inputs cannot be edited here.
          </Alert.Description>
        </Alert.Root>
      ) : null}
      {general.length > 0 ? <IssueList issues={general} /> : null}
      <TaskIdField task={task} />
      <Field.Root invalid={issuesAt(taskIssues, ["label"]).length > 0} data-setting="label">
        <Field.Label>Label</Field.Label>
        <Input
          size="sm"
          value={task.label ?? ""}
          placeholder={taskLabel({ ...task, label: null })}
          readOnly={readOnly}
          onChange={(e) => {
            const label = e.currentTarget.value;
            edit((d) => updateTask(d, task.id, (t) => ({ ...t, label: label === "" ? undefined : label })), `label:${task.id}`);
          }}
        />
      </Field.Root>
      {!task.piece ? <StepSection task={task} /> : null}
      <ControlFlowSection task={task} />
      <Section title="Inputs">
        {Object.keys(props).length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            {!piece ? "Unknown." : task.piece ? "This piece takes no inputs." : noStepInputs(task)}
          </Text>
        ) : (
          Object.entries(props).map(([name, schema]) =>
            (task as { for_each?: { input?: string } }).for_each?.input === name ? (
              <ForEachItemNote key={`${task.id}:${name}`} task={task} name={name} />
            ) : (
              <InputField key={`${task.id}:${name}`} task={task} root={inputSchema} schema={schema} loc={[name]} label={name} required={required.has(name)} />
            ),
          )
        )}
      </Section>
      {piece && task.piece ? <SecretsSection task={task} piece={task.piece} schema={piece.secrets_schema} issues={taskIssues} /> : null}
      <Section title="Depends on">
        {(task.depends_on ?? []).length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            Nothing: connect a task's right handle to this one's left handle.
          </Text>
        ) : (
          <HStack wrap="wrap" gap="1">
            {(task.depends_on ?? []).map((dep) => (
              <Badge key={dep} variant="outline" size="md">
                {dep}
                {!readOnly ? (
                  <Button
                    size="2xs"
                    variant="plain"
                    aria-label={`Remove dependency on ${dep}`}
                    onClick={() => edit((d) => updateTask(d, task.id, (t) => ({ ...t, depends_on: (t.depends_on ?? []).filter((x) => x !== dep) })))}
                  >
                    ✕
                  </Button>
                ) : null}
              </Badge>
            ))}
          </HStack>
        )}
      </Section>
      {!task.approval ? <AdvancedSection task={task} issues={taskIssues} defaultsRunner={doc.defaults?.runner ?? null} /> : null}
    </Stack>
  );
}

export function IssueList({
  issues,
  onPick,
  status = "error",
}: {
  issues: readonly TaskIssue[];
  onPick?: (issue: TaskIssue) => void;
  status?: "error" | "warning";
}) {
  return (
    <Alert.Root status={status} alignItems="flex-start">
      <Alert.Indicator />
      <Alert.Content>
        <Stack as="ul" gap="1" ps="0" listStyleType="none">
          {issues.map((issue, i) => (
            <Box as="li" key={i} textStyle="sm">
              {issue.loc.length > 0 ? <code>{formatLoc(issue.loc)}: </code> : null}
              {onPick ? (
                <Button variant="plain" size="xs" p="0" h="auto" whiteSpace="normal" textAlign="start" onClick={() => onPick(issue)}>
                  <InlineMarkdown text={issue.message} />
                </Button>
              ) : (
                <InlineMarkdown text={issue.message} />
              )}
            </Box>
          ))}
        </Stack>
      </Alert.Content>
    </Alert.Root>
  );
}

function TaskIdField({ task }: { task: TaskDoc }) {
  const { doc, edit, readOnly, issues } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? task.id;
  const taken = draft !== null && draft !== task.id && doc.tasks.some((t) => t.id === draft);
  const invalid = draft !== null && !TASK_ID_PATTERN.test(draft);
  const problem = taken ? `Another task is already called \`${draft}\`.` : invalid ? "1–100 characters: a lowercase letter, then lowercase letters, digits or _." : null;
  const serverIssues = issuesAt(issues.byTask.get(task.id), ["id"]);
  const commit = () => {
    if (draft !== null && !problem && draft !== task.id) edit((d) => renameTask(d, task.id, draft));
    setDraft(null);
  };
  return (
    <Field.Root invalid={problem !== null || serverIssues.length > 0} data-setting="id">
      <Field.Label>Task id</Field.Label>
      <Input
        size="sm"
        value={value}
        readOnly={readOnly}
        fontFamily="mono"
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setDraft(null);
        }}
      />
      {problem ? <Field.ErrorText>{problem} The id is kept as {task.id}.</Field.ErrorText> : <Field.HelperText>The Airflow task id. Renaming updates dependencies and bindings.</Field.HelperText>}
      {serverIssues.map((i, n) => (
        <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
      ))}
    </Field.Root>
  );
}

const CONNECTION_FIELDS = ["password", "login", "host", "port", "schema", "extra"];

function SecretsSection({ task, piece, schema, issues }: { task: TaskDoc; piece: PieceRef; schema: JsonSchema; issues: TaskIssue[] }) {
  const { edit, readOnly } = useEditorData();
  const status = useSecretStatus();
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const names = Object.keys(props);
  if (names.length === 0) return null;
  const setSecret = (name: string, source: SecretSource | undefined, merge = false) =>
    edit(
      (d) =>
        updateTask(d, task.id, (t) => {
          const secrets = { ...t.secrets };
          if (source === undefined) delete secrets[name];
          else secrets[name] = source;
          return { ...t, secrets };
        }),
      merge ? `secret:${task.id}:${name}` : null,
    );
  return (
    <Section title="Secrets">
      <Text textStyle="xs" color="fg.muted">
        Values are read when the task runs, from an Airflow Variable or Connection; the workflow only says where.
      </Text>
      {names.map((name) => {
        const source = task.secrets?.[name];
        const kind = source === undefined ? "none" : "variable" in source ? "variable" : "connection";
        const here = issuesAt(issues, ["secrets", name]);
        const fallbackVar = defaultSecretVariable(piece.repository, name);
        const declared = status.data?.items.find((s) => s.repository === piece.repository && s.name === name);
        return (
          <Field.Root key={name} invalid={here.length > 0} required={required.has(name)} gap="1">
            <HStack justify="space-between" w="full">
              <Field.Label mb="0">
                <code>{name}</code>
                {required.has(name) ? <Field.RequiredIndicator /> : null}
              </Field.Label>
              <NativeSelect.Root size="xs" w="auto" disabled={readOnly}>
                <NativeSelect.Field
                  aria-label={`Source of secret ${name}`}
                  value={kind}
                  onChange={(e) => {
                    const next = e.currentTarget.value;
                    setSecret(name, next === "variable" ? { variable: fallbackVar } : next === "connection" ? { connection: "", field: "password" } : undefined);
                  }}
                >
                  <option value="variable">Airflow Variable</option>
                  <option value="connection">Airflow Connection</option>
                  <option value="none">Not bound</option>
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </HStack>
            {source && "variable" in source ? (
              <Input size="sm" aria-label={`Variable for secret ${name}`} fontFamily="mono" value={source.variable} readOnly={readOnly} onChange={(e) => setSecret(name, { variable: e.currentTarget.value }, true)} />
            ) : source && "connection" in source ? (
              <HStack w="full">
                <Input size="sm" aria-label={`Connection id for secret ${name}`} placeholder="Connection id" value={source.connection} readOnly={readOnly} onChange={(e) => setSecret(name, { ...source, connection: e.currentTarget.value }, true)} />
                <Input
                  size="sm"
                  w="40%"
                  aria-label={`Connection field for secret ${name}`}
                  list={`conn-fields-${task.id}`}
                  value={source.field ?? "password"}
                  readOnly={readOnly}
                  onChange={(e) => setSecret(name, { ...source, field: e.currentTarget.value }, true)}
                />
                <datalist id={`conn-fields-${task.id}`}>
                  {CONNECTION_FIELDS.map((f) => (
                    <option key={f} value={f} />
                  ))}
                  <option value="extra.">extra.&lt;key&gt;</option>
                </datalist>
              </HStack>
            ) : null}
            {typeof props[name]?.description === "string" ? (
              <Field.HelperText textStyle="xs">
                <InlineMarkdown text={props[name].description} />
              </Field.HelperText>
            ) : null}
            {source && "variable" in source && source.variable === declared?.variable ? (
              <Text textStyle="xs" color={declared.is_set ? "fg.success" : "fg.warning"}>
                {declared.is_set ? "This secret is set." : "This secret is not set yet: set it on the Secrets page."}
              </Text>
            ) : null}
            {here.map((i, n) => (
              <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
            ))}
          </Field.Root>
        );
      })}
    </Section>
  );
}

function NumberSetting({
  label,
  value,
  min,
  placeholder,
  onChange,
  issues,
  helper,
}: {
  label: string;
  value: number | null | undefined;
  min: number;
  placeholder?: string;
  onChange: (v: number | null) => void;
  issues: TaskIssue[];
  helper?: string;
}) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null || value === undefined ? "" : String(value));
  const bad = draft !== null && draft.trim() !== "" && !(Number.isInteger(Number(draft)) && Number(draft) >= min);
  return (
    <Field.Root invalid={bad || issues.length > 0}>
      <Field.Label>{label}</Field.Label>
      <Input
        size="sm"
        inputMode="numeric"
        value={shown}
        placeholder={placeholder}
        readOnly={readOnly}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (text.trim() === "") onChange(null);
          else if (Number.isInteger(Number(text)) && Number(text) >= min) onChange(Number(text));
        }}
        onBlur={() => setDraft(null)}
      />
      {bad ? <Field.ErrorText>Enter a whole number of at least {min}.</Field.ErrorText> : helper ? <Field.HelperText>{helper}</Field.HelperText> : null}
      {issues.map((i, n) => (
        <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
      ))}
    </Field.Root>
  );
}

function AdvancedSection({ task, issues, defaultsRunner }: { task: TaskDoc; issues: TaskIssue[]; defaultsRunner: Runner | null }) {
  const { doc, edit, readOnly } = useEditorData();
  const set = (patch: Partial<TaskDoc>, key: string) =>
    edit(
      (d) =>
        updateTask(d, task.id, (t) => {
          const next: TaskDoc = { ...t, ...patch };
          for (const [k, v] of Object.entries(patch)) if (v === null || v === undefined) delete (next as unknown as Record<string, unknown>)[k];
          return next;
        }),
      `adv:${task.id}:${key}`,
    );
  const setResource = (patch: Partial<Resources>, key: string) => {
    const resources: Resources = { ...task.resources, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === null || v === undefined || v === "") delete resources[k];
    set({ resources: Object.keys(resources).length > 0 ? resources : null }, key);
  };
  const defaults = doc.defaults ?? {};
  return (
    <Section title="Advanced">
      <Field.Root invalid={issuesAt(issues, ["runner"]).length > 0}>
        <Field.Label>Runner</Field.Label>
        <ChoiceSelect value={task.runner ?? ""} choices={RUNNERS} empty={`Workflow default (${defaultsRunner ?? "server default"})`} disabled={readOnly} onChange={(r) => set({ runner: r || null }, "runner")} />
      </Field.Root>
      <HStack align="start">
        <Field.Root invalid={issuesAt(issues, ["resources", "cpu"]).length > 0}>
          <Field.Label>CPU</Field.Label>
          <Input size="sm" placeholder='e.g. "500m" or "2"' value={task.resources?.cpu == null ? "" : String(task.resources.cpu)} readOnly={readOnly} onChange={(e) => setResource({ cpu: e.currentTarget.value }, "cpu")} />
          {issuesAt(issues, ["resources", "cpu"]).map((i, n) => (
            <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
          ))}
        </Field.Root>
        <Field.Root invalid={issuesAt(issues, ["resources", "memory"]).length > 0}>
          <Field.Label>Memory</Field.Label>
          <Input size="sm" placeholder='e.g. "512Mi"' value={task.resources?.memory ?? ""} readOnly={readOnly} onChange={(e) => setResource({ memory: e.currentTarget.value }, "memory")} />
          {issuesAt(issues, ["resources", "memory"]).map((i, n) => (
            <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
          ))}
        </Field.Root>
      </HStack>
      <HStack align="start">
        <NumberSetting label="GPUs" value={task.resources?.gpu} min={0} placeholder="0" onChange={(v) => setResource({ gpu: v ?? undefined }, "gpu")} issues={issuesAt(issues, ["resources", "gpu"])} />
        <NumberSetting label="Retries" value={task.retries} min={0} placeholder={`Default: ${defaults.retries ?? 0}`} onChange={(v) => set({ retries: v }, "retries")} issues={issuesAt(issues, ["retries"])} />
      </HStack>
      <HStack align="start">
        <NumberSetting label="Retry delay (s)" value={task.retry_delay_s} min={0} placeholder={`Default: ${defaults.retry_delay_s ?? 300}`} onChange={(v) => set({ retry_delay_s: v }, "retry_delay_s")} issues={issuesAt(issues, ["retry_delay_s"])} />
        <NumberSetting label="Timeout (s)" value={task.timeout_s} min={1} placeholder={defaults.timeout_s ? `Default: ${defaults.timeout_s}` : "No timeout"} onChange={(v) => set({ timeout_s: v }, "timeout_s")} issues={issuesAt(issues, ["timeout_s"])} />
      </HStack>
      {issuesAt(issues, ["resources"]).length > 0 ? <IssueList issues={issuesAt(issues, ["resources"])} /> : null}
      <OutletsField task={task} readOnly={readOnly} issues={issues} onChange={(outlets) => set({ outlets: outlets.length ? outlets : undefined }, "outlets")} />
    </Section>
  );
}

export { NumberSetting };
