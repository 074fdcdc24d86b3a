import { Checkbox, Field, Heading, HStack, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useState, type ReactNode } from "react";
import { useInfo } from "../../api/queries";
import { useWorkflowList } from "../../api/workflowList";
import {
  approvalChoices,
  KIND_HELP,
  parseList,
  placeholders,
  RESPONSE_OUTPUTS,
  setApproval,
  setSubWorkflow,
  taskKind,
  type ApprovalDoc,
  type ApprovalKind,
} from "../../lib/steps";
import { formatLoc, issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import { type ParamDef, type TaskDoc } from "../../lib/workflowDoc";
import { FieldErrors } from "./FieldErrors";
import { ParamDefEditor } from "./ParamDefEditor";
import { useEditorData } from "./EditorContext";
import { AddButton } from "./AddButton";

/** Task fields this section shows the server's messages for (TaskPanel leaves them out of its general list). */
export const STEP_FIELDS = ["approval", "workflow"];

function Errors({ issues }: { issues: readonly TaskIssue[] }) {
  // Messages deeper than one setting say where (`x.default: …` under fields).
  return <FieldErrors issues={issues} where={(i) => (i.loc.length > 3 ? formatLoc(i.loc.slice(2)) : null)} testId="step-error" />;
}

function Setting({ label, issues, help, children }: { label: string; issues: readonly TaskIssue[]; help?: ReactNode; children: ReactNode }) {
  return (
    <Field.Root invalid={issues.length > 0} gap="1">
      <Field.Label textStyle="sm" mb="0">
        {label}
      </Field.Label>
      {children}
      {help ? <Field.HelperText>{help}</Field.HelperText> : null}
      <Errors issues={issues} />
    </Field.Root>
  );
}

/** A text input that keeps what is typed while it does not parse (lists, numbers), and saves what does. */
function DraftInput({ label, value, placeholder, onChange, inputMode }: { label: string; value: string; placeholder?: string; onChange: (text: string) => void; inputMode?: "numeric" }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Input
      size="sm"
      aria-label={label}
      value={draft ?? value}
      placeholder={placeholder}
      readOnly={readOnly}
      inputMode={inputMode}
      onChange={(e) => {
        setDraft(e.currentTarget.value);
        onChange(e.currentTarget.value);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

/** A whole number of seconds, at least 1; empty: null. What does not parse is kept as typed and not saved. */
function SecondsInput({ label, value, placeholder, onChange }: { label: string; value: number | null | undefined; placeholder: string; onChange: (seconds: number | null) => void }) {
  return (
    <DraftInput
      label={label}
      inputMode="numeric"
      value={value ? String(value) : ""}
      placeholder={placeholder}
      onChange={(text) => {
        const n = Number(text);
        if (text.trim() === "") onChange(null);
        else if (Number.isInteger(n) && n >= 1) onChange(n);
      }}
    />
  );
}

/** The settings of an approval / input step or of a sub-workflow task, above its inputs. */
export function StepSection({ task }: { task: TaskDoc }) {
  const kind = taskKind(task);
  return (
    <Stack as="section" aria-label={kind === "workflow" ? "Sub-workflow" : "Approval step"} gap="3" borderTopWidth="1px" pt="3" data-testid="step-section">
      <Heading as="h3" size="sm">
        {kind === "workflow" ? "Sub-workflow" : kind === "input" ? "Input step" : "Approval step"}
      </Heading>
      <Text textStyle="xs" color="fg.muted">
        {kind === "piece" ? "" : KIND_HELP[kind]}
      </Text>
      {task.approval ? <ApprovalFields task={task} approval={task.approval} /> : null}
      {task.workflow ? <SubWorkflowFields task={task} /> : null}
    </Stack>
  );
}

function ApprovalFields({ task, approval }: { task: TaskDoc; approval: ApprovalDoc }) {
  const { edit, readOnly, issues } = useEditorData();
  const taskIssues = issues.byTask.get(task.id) ?? [];
  const at = (...loc: (string | number)[]) => issuesAt(taskIssues, ["approval", ...loc]);
  const kind: ApprovalKind = approval.kind ?? "approval";
  const myId = useInfo().data?.user.id;
  const update = (patch: Partial<ApprovalDoc>, field: string | null = null) => edit((d) => setApproval(d, task.id, patch), field ? `approval:${task.id}:${field}` : null);
  const choices = approvalChoices(approval);
  const named = placeholders(approval.body);
  const shown = new Set(["kind", "title", "body", "options", "multiple", "respondents", "timeout_s", "on_timeout", "fields"]);
  const other = issuesUnder(taskIssues, ["approval"]).filter((i) => !shown.has(String(i.loc[1])));
  return (
    <Stack gap="3" data-testid="approval-fields">
      <Setting label="Kind" issues={at("kind")}>
        <NativeSelect.Root size="sm" disabled={readOnly}>
          <NativeSelect.Field aria-label="Kind of step" value={kind} onChange={(e) => update({ kind: e.currentTarget.value as ApprovalKind, on_timeout: null })}>
            <option value="approval">Approval: Approve or Reject</option>
            <option value="input">Input: choose an option and/or fill in a form</option>
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Setting>
      <Setting label="Title" issues={at("title")}>
        <Input size="sm" aria-label="Title" value={approval.title} readOnly={readOnly} onChange={(e) => update({ title: e.currentTarget.value }, "title")} />
      </Setting>
      <Setting
        label="Message (Markdown)"
        issues={at("body")}
        help={
          named.length > 0 ? (
            <>Values shown: {named.map((n) => `{{ ${n} }}`).join(", ")}; each is an input below (a value, a run parameter or an upstream output).</>
          ) : (
            <>Write {"{{ name }}"} to show a value; each name becomes an input below.</>
          )
        }
      >
        <Textarea size="sm" rows={4} aria-label="Message (Markdown)" value={approval.body ?? ""} readOnly={readOnly} onChange={(e) => update({ body: e.currentTarget.value }, "body")} />
      </Setting>
      {kind === "input" ? (
        <>
          <Setting label="Options" issues={issuesUnder(taskIssues, ["approval", "options"])} help="Comma-separated; none: a single OK.">
            <DraftInput label="Options" value={(approval.options ?? []).join(", ")} placeholder="e.g. Retry, Skip, Stop" onChange={(text) => update({ options: parseList(text) }, "options")} />
          </Setting>
          <Checkbox.Root size="sm" checked={approval.multiple === true} disabled={readOnly} onCheckedChange={(e) => update({ multiple: e.checked === true })}>
            <Checkbox.HiddenInput />
            <Checkbox.Control />
            <Checkbox.Label>Several options may be chosen</Checkbox.Label>
          </Checkbox.Root>
        </>
      ) : null}
      <FormFields task={task} approval={approval} issues={issuesUnder(taskIssues, ["approval", "fields"])} />
      <Setting
        label="Who may respond"
        issues={issuesUnder(taskIssues, ["approval", "respondents"])}
        help={`User ids, comma-separated (Airflow's ids: a user name with the simple auth manager, a number with FAB; your id: ${myId ?? "unknown"}). Empty: anyone allowed to run the workflow.`}
      >
        <DraftInput label="Who may respond" value={(approval.respondents ?? []).join(", ")} placeholder="Anyone who may run it" onChange={(text) => update({ respondents: parseList(text) }, "respondents")} />
      </Setting>
      <HStack align="start" gap="2">
        <Setting label="Wait at most (s)" issues={at("timeout_s")}>
          <SecondsInput label="Wait at most (s)" value={approval.timeout_s} placeholder="No limit" onChange={(n) => update({ timeout_s: n }, "timeout")} />
        </Setting>
        <Setting label="Then" issues={at("on_timeout")}>
          <NativeSelect.Root size="sm" disabled={readOnly}>
            <NativeSelect.Field aria-label="At the timeout" value={approval.on_timeout ?? ""} onChange={(e) => update({ on_timeout: e.currentTarget.value || null })}>
              <option value="">Fail the task</option>
              {choices.map((c) => (
                <option key={c} value={c}>
                  Answer {c}
                </option>
              ))}
              {approval.on_timeout && !choices.includes(approval.on_timeout) ? <option value={approval.on_timeout}>{approval.on_timeout}</option> : null}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Setting>
      </HStack>
      <Text textStyle="xs" color="fg.muted" data-testid="step-outputs">
        Tasks after this one can use its outputs: {[...Object.keys(RESPONSE_OUTPUTS), ...Object.keys(approval.fields ?? {})].join(", ")}.
        {kind === "approval" ? " A rejection skips them." : ""}
      </Text>
      {other.length > 0 ? (
        <Field.Root invalid>
          <Errors issues={other} />
        </Field.Root>
      ) : null}
    </Stack>
  );
}

/** Form fields the person fills in: defined like run parameters (ParamDefEditor). */
function FormFields({ task, approval, issues }: { task: TaskDoc; approval: ApprovalDoc; issues: readonly TaskIssue[] }) {
  const { edit } = useEditorData();
  const fields = approval.fields ?? {};
  const names = Object.keys(fields);
  const save = (next: Record<string, ParamDef>, key: string | null = null) => edit((d) => setApproval(d, task.id, { fields: next }), key ? `approval:${task.id}:fields:${key}` : null);
  const rename = (from: string, to: string) => {
    if (!to || to === from || to in fields) return;
    save(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === from ? to : k, v])));
  };
  return (
    <Stack gap="2" role="group" aria-label="Form fields" data-testid="form-fields">
      <Text textStyle="sm" fontWeight="medium">
        Form fields
      </Text>
      {names.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          None: the person only {approval.kind === "input" ? "chooses an option" : "approves or rejects"}.
        </Text>
      ) : null}
      {names.map((name) => (
        <ParamDefEditor
          key={name}
          noun="field"
          name={name}
          def={fields[name]!}
          loc={["approval", "fields", name]}
          issues={issuesUnder(issues, ["approval", "fields", name])}
          noDefault="Default (optional)"
          onChange={(def, key) => save({ ...fields, [name]: def }, `${name}:${key}`)}
          onRename={(to) => rename(name, to)}
          onRemove={() => save(Object.fromEntries(Object.entries(fields).filter(([k]) => k !== name)))}
        />
      ))}
      <AddButton
        onClick={() => {
          let n = names.length + 1;
          while (`field_${n}` in fields) n++;
          save({ ...fields, [`field_${n}`]: { type: "string" } });
        }}
      >
        Add field
      </AddButton>
    </Stack>
  );
}

function SubWorkflowFields({ task }: { task: TaskDoc }) {
  const { doc, edit, readOnly, issues, taskPiece } = useEditorData();
  const ref = task.workflow!;
  const list = useWorkflowList({ search: "", status: "", limit: 200, offset: 0 });
  const taskIssues = issues.byTask.get(task.id) ?? [];
  const others = (list.data?.items ?? []).filter((w) => w.id !== doc.id);
  const spec = taskPiece(task);
  const outputs = Object.keys((spec?.output_schema.properties as Record<string, unknown> | undefined) ?? {});
  const params = Object.keys((spec?.input_schema.properties as Record<string, unknown> | undefined) ?? {});
  return (
    <Stack gap="3" data-testid="sub-workflow-fields">
      <Setting label="Workflow to run" issues={issuesUnder(taskIssues, ["workflow", "id"])} help="A saved workflow; it runs its deployed revision.">
        <NativeSelect.Root size="sm" disabled={readOnly}>
          <NativeSelect.Field
            aria-label="Workflow to run"
            value={ref.id}
            onChange={(e) => {
              const id = e.currentTarget.value;
              // The old workflow's parameters are not this one's: start from no inputs.
              edit((d) => setSubWorkflow(d, task.id, { id }, []));
            }}
          >
            <option value="">{list.isPending ? "Loading…" : "Choose a workflow"}</option>
            {others.map((w) => (
              // A sub-workflow runs the child's deployed revision: a workflow with only drafts has none yet.
              <option key={w.id} value={w.id} disabled={!w.deployed_revision}>
                {w.name || w.id} ({w.id}){w.deployed_revision ? "" : " — draft only, not deployed"}
              </option>
            ))}
            {ref.id && !others.some((w) => w.id === ref.id) ? <option value={ref.id}>{ref.id}</option> : null}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Setting>
      <Setting label="Check its state every (s)" issues={issuesAt(taskIssues, ["workflow", "poll_interval_s"])}>
        <SecondsInput
          label="Check its state every (s)"
          value={ref.poll_interval_s}
          placeholder="5"
          onChange={(n) => edit((d) => setSubWorkflow(d, task.id, { poll_interval_s: n ?? undefined }), `workflow:${task.id}:poll`)}
        />
      </Setting>
      {ref.id ? (
        <Text textStyle="xs" color="fg.muted" data-testid="step-outputs">
          {params.length > 0 ? `Its run parameters are the inputs below (${params.join(", ")}). ` : "It takes no run parameters. "}
          {outputs.length > 0 ? `Tasks after this one can use its outputs: ${outputs.join(", ")}.` : "It returns no outputs."}
        </Text>
      ) : null}
    </Stack>
  );
}
