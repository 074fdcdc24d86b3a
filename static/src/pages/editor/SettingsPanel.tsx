import { Alert, Checkbox, Field, Heading, HStack, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useState } from "react";
import { WORKFLOW_ID_PATTERN } from "../../lib/graph";
import { pastStartNotice, workflowIdFromName } from "../../lib/settingsHints";
import { describeSchedule, fromLocalInput, isValidTimeZone, SCHEDULE_PRESETS, toLocalInput } from "../../lib/schedule";
import { issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import { FieldErrors } from "./FieldErrors";
import { ParamDefEditor } from "./ParamDefEditor";
import { ChoiceSelect } from "./ParamTypeSelect";
import { RUNNERS, type WorkflowDoc } from "../../lib/workflowDoc";
import { AFTER_WORKFLOW, DataSchedule, ON_ASSET } from "./DataSchedule";
import { useEditorData } from "./EditorContext";
import { NumberSetting, Section } from "./TaskPanel";
import { AddButton } from "./AddButton";

const timeZones: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
})();

export function SettingsPanel({ isNew }: { isNew: boolean }) {
  const { doc, edit, readOnly, issues } = useEditorData();
  const wf = issues.workflow;
  const set = (patch: Partial<WorkflowDoc>, key: string) => edit((d) => ({ ...d, ...patch }), `settings:${key}`);
  const tz = doc.timezone || "UTC";
  const dataValue = doc.schedule_on ? ((doc.schedule_on.assets ?? []).length > 0 && (doc.schedule_on.workflows ?? []).length === 0 ? ON_ASSET : AFTER_WORKFLOW) : null;
  const presetValue = dataValue ?? (doc.schedule == null ? "" : SCHEDULE_PRESETS.some((p) => p.value === doc.schedule) ? doc.schedule : "cron");
  const [cronMode, setCronMode] = useState(presetValue === "cron");
  const scheduleSelect = cronMode ? "cron" : presetValue;
  const described = describeSchedule(doc.schedule ?? null, tz);
  const [tagsDraft, setTagsDraft] = useState<string | null>(null);
  const [zoneChoices, setZoneChoices] = useState(false);
  // A new workflow's id follows its name until the id is edited by hand.
  const idFollowsName = isNew && !readOnly && (doc.id === "" || doc.id === workflowIdFromName(doc.name));
  // Said before the first save; a deployed DAG that already ran goes on from its last run (the save dialog says it on a change).
  const startNotice = isNew ? pastStartNotice(doc) : null;

  return (
    <Stack gap="4" data-testid="settings-panel">
      <Heading as="h2" size="md">
        Workflow settings
      </Heading>
      <Field.Root invalid={issuesAt(wf, ["name"]).length > 0} required data-setting="name">
        <Field.Label>
          Name <Field.RequiredIndicator />
        </Field.Label>
        <Input
          size="sm"
          value={doc.name}
          readOnly={readOnly} onChange={(e) => {
            const name = e.currentTarget.value;
            set(idFollowsName ? { name, id: workflowIdFromName(name) } : { name }, "name");
          }}
        />
        <FieldErrors issues={issuesAt(wf, ["name"])} />
      </Field.Root>
      <Field.Root invalid={issuesAt(wf, ["id"]).length > 0 || (isNew && doc.id !== "" && !WORKFLOW_ID_PATTERN.test(doc.id))} required={isNew} data-setting="id">
        <Field.Label>Workflow id {isNew ? <Field.RequiredIndicator /> : null}</Field.Label>
        <Input size="sm" fontFamily="mono" value={doc.id} readOnly={readOnly || !isNew} onChange={(e) => set({ id: e.currentTarget.value }, "id")} />
        {isNew ? (
          doc.id !== "" && !WORKFLOW_ID_PATTERN.test(doc.id) ? (
            <Field.ErrorText>A lowercase letter first, then lowercase letters, digits or _ (up to 200).</Field.ErrorText>
          ) : (
            <Field.HelperText>
              {idFollowsName && doc.id !== "" ? "Suggested from the name; edit it to choose another. " : ""}Becomes the Airflow DAG id; it cannot change after the first save.
            </Field.HelperText>
          )
        ) : (
          <Field.HelperText>The DAG id; it cannot change.</Field.HelperText>
        )}
        <FieldErrors issues={issuesAt(wf, ["id"])} />
      </Field.Root>
      <Field.Root invalid={issuesAt(wf, ["description"]).length > 0}>
        <Field.Label>Description</Field.Label>
        <Textarea size="sm" rows={3} value={doc.description ?? ""} readOnly={readOnly} onChange={(e) => set({ description: e.currentTarget.value }, "description")} />
        <Field.HelperText>Markdown.</Field.HelperText>
      </Field.Root>

      <Section title="Schedule">
        <Field.Root invalid={issuesAt(wf, ["schedule"]).length > 0 || !described.ok} data-setting="schedule">
          <Field.Label>Schedule</Field.Label>
          <NativeSelect.Root size="sm" disabled={readOnly}>
            <NativeSelect.Field
              value={scheduleSelect}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setCronMode(v === "cron");
                if (v === AFTER_WORKFLOW || v === ON_ASSET) set({ schedule: null, schedule_on: doc.schedule_on ?? { workflows: [], assets: [], match: "all" } }, "schedule");
                else if (v === "cron") set({ schedule: doc.schedule && !doc.schedule.startsWith("@") ? doc.schedule : "0 5 * * *", schedule_on: null }, "schedule");
                else set({ schedule: v === "" ? null : v, schedule_on: null }, "schedule");
              }}
            >
              {SCHEDULE_PRESETS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
              <option value={AFTER_WORKFLOW}>After workflow…</option>
              <option value={ON_ASSET}>When asset updates…</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
          {scheduleSelect === "cron" ? (
            <Input size="sm" mt="1" fontFamily="mono" aria-label="Cron expression" placeholder="minute hour day-of-month month day-of-week" value={doc.schedule ?? ""} readOnly={readOnly} onChange={(e) => set({ schedule: e.currentTarget.value }, "cron")} />
          ) : null}
          {dataValue ? null : described.ok ? (
            <Field.HelperText data-testid="schedule-description">{described.text}</Field.HelperText>
          ) : (
            <Field.ErrorText>{described.error}</Field.ErrorText>
          )}
          <FieldErrors issues={issuesAt(wf, ["schedule"])} />
        </Field.Root>
        {dataValue ? <DataSchedule doc={doc} readOnly={readOnly} issues={wf} onChange={(on) => set({ schedule_on: on }, "schedule_on")} /> : null}
        <Field.Root invalid={issuesAt(wf, ["timezone"]).length > 0 || !isValidTimeZone(tz)} data-setting="timezone">
          <Field.Label>Timezone</Field.Label>
          <Input
            size="sm"
            list="domino-timezones"
            value={doc.timezone ?? "UTC"}
            readOnly={readOnly}
            onFocus={() => setZoneChoices(true)}
            onChange={(e) => set({ timezone: e.currentTarget.value }, "timezone")}
          />
          {/* The ~400 suggestions are rendered once the field is focused, not with the editor. */}
          {zoneChoices ? (
            <datalist id="domino-timezones">
              {timeZones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          ) : null}
          {!isValidTimeZone(tz) ? <Field.ErrorText>Unknown timezone; use an IANA name such as Europe/Paris.</Field.ErrorText> : <Field.HelperText>Cron expressions and the dates below are read in this timezone.</Field.HelperText>}
          <FieldErrors issues={issuesAt(wf, ["timezone"])} />
        </Field.Root>
        <HStack align="start">
          <DateSetting label="Start date" setting="start_date" value={doc.start_date} tz={tz} onChange={(v) => set({ start_date: v }, "start_date")} issues={issuesAt(wf, ["start_date"])} />
          <DateSetting label="End date" setting="end_date" value={doc.end_date} tz={tz} onChange={(v) => set({ end_date: v }, "end_date")} issues={issuesAt(wf, ["end_date"])} />
        </HStack>
        <HStack align="start">
          <Checkbox.Root data-setting="catchup" checked={doc.catchup ?? false} disabled={readOnly} onCheckedChange={(e) => edit((d) => ({ ...d, catchup: e.checked === true }))}>
            <Checkbox.HiddenInput />
            <Checkbox.Control />
            <Checkbox.Label>Catch up missed intervals</Checkbox.Label>
          </Checkbox.Root>
        </HStack>
        {startNotice ? (
          <Alert.Root status="info" data-testid="schedule-start-notice">
            <Alert.Indicator />
            <Alert.Description>{startNotice}</Alert.Description>
          </Alert.Root>
        ) : null}
        <NumberSetting label="Max active runs" value={doc.max_active_runs} min={1} placeholder="Airflow's default" onChange={(v) => set({ max_active_runs: v }, "max_active_runs")} issues={issuesAt(wf, ["max_active_runs"])} />
      </Section>

      <Field.Root invalid={issuesUnder(wf, ["tags"]).length > 0} data-setting="tags">
        <Field.Label>Tags</Field.Label>
        <Input
          size="sm"
          value={tagsDraft ?? (doc.tags ?? []).join(", ")}
          readOnly={readOnly}
          placeholder="sales, reports"
          onChange={(e) => {
            const text = e.currentTarget.value;
            setTagsDraft(text);
            set({ tags: text.split(",").map((t) => t.trim()).filter(Boolean) }, "tags");
          }}
          onBlur={() => setTagsDraft(null)}
        />
        <Field.HelperText>Comma-separated Airflow DAG tags.</Field.HelperText>
        <FieldErrors issues={issuesUnder(wf, ["tags"])} />
      </Field.Root>

      <ParamsEditor issues={issuesUnder(wf, ["params"])} />

      <Section title="Task defaults">
        <HStack align="start">
          <NumberSetting label="Retries" value={doc.defaults?.retries} min={0} placeholder="0" onChange={(v) => edit((d) => ({ ...d, defaults: { ...d.defaults, retries: v ?? 0 } }), "defaults:retries")} issues={issuesAt(wf, ["defaults", "retries"])} />
          <NumberSetting label="Retry delay (s)" value={doc.defaults?.retry_delay_s} min={0} placeholder="300" onChange={(v) => edit((d) => ({ ...d, defaults: { ...d.defaults, retry_delay_s: v ?? 300 } }), "defaults:retry_delay_s")} issues={issuesAt(wf, ["defaults", "retry_delay_s"])} />
        </HStack>
        <HStack align="start">
          <NumberSetting label="Timeout (s)" value={doc.defaults?.timeout_s} min={1} placeholder="No timeout" onChange={(v) => edit((d) => ({ ...d, defaults: { ...d.defaults, timeout_s: v } }), "defaults:timeout_s")} issues={issuesAt(wf, ["defaults", "timeout_s"])} />
          <Field.Root>
            <Field.Label>Runner</Field.Label>
            <ChoiceSelect value={doc.defaults?.runner ?? ""} choices={RUNNERS} empty="Server default" disabled={readOnly} onChange={(r) => edit((d) => ({ ...d, defaults: { ...d.defaults, runner: r || null } }))} />
          </Field.Root>
        </HStack>
      </Section>
    </Stack>
  );
}

function DateSetting({
  label,
  setting,
  value,
  tz,
  onChange,
  issues,
}: {
  label: string;
  setting: string;
  value: string | null | undefined;
  tz: string;
  onChange: (v: string | null) => void;
  issues: TaskIssue[];
}) {
  const { readOnly } = useEditorData();
  return (
    <Field.Root invalid={issues.length > 0} data-setting={setting}>
      <Field.Label>{label}</Field.Label>
      <Input size="sm" type="datetime-local" value={toLocalInput(value, tz)} readOnly={readOnly} onChange={(e) => onChange(e.currentTarget.value ? fromLocalInput(e.currentTarget.value, tz) : null)} />
      <Field.HelperText>{value ? value : "Not set"}</Field.HelperText>
      <FieldErrors issues={issues} />
    </Field.Root>
  );
}

/** Renames `$param` bindings everywhere in the document. */
function renameParamBindings(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameParamBindings(v, from, to));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record.$param === from && Object.keys(record).length === 1) return { $param: to };
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, renameParamBindings(v, from, to)]));
  }
  return value;
}

function ParamsEditor({ issues }: { issues: TaskIssue[] }) {
  const { doc, edit } = useEditorData();
  const params = doc.params ?? {};
  const entries = Object.entries(params);
  const add = () => {
    let name = "param";
    for (let n = 2; params[name]; n++) name = `param_${n}`;
    edit((d) => ({ ...d, params: { ...d.params, [name]: { type: "string", default: "" } } }));
  };
  return (
    <Section title="Run parameters">
      <Text textStyle="xs" color="fg.muted">
        Values a run can be given; a scheduled workflow needs a default for each.
      </Text>
      {entries.map(([name, def]) => (
        <ParamDefEditor
          key={name}
          noun="parameter"
          name={name}
          def={def}
          loc={["params", name]}
          issues={issuesUnder(issues, ["params", name])}
          noDefault="No default (required per run)"
          onChange={(next, key) => edit((d) => ({ ...d, params: { ...d.params, [name]: next } }), `param:${name}:${key}`)}
          onRename={(to) =>
            edit((d) => {
              if (d.params?.[to]) return d;
              const next = Object.fromEntries(Object.entries(d.params ?? {}).map(([k, v]) => [k === name ? to : k, v]));
              return { ...d, params: next, tasks: d.tasks.map((t) => ({ ...t, inputs: renameParamBindings(t.inputs ?? {}, name, to) as Record<string, unknown> })) };
            })
          }
          onRemove={() =>
            edit((d) => {
              const next = { ...d.params };
              delete next[name];
              return { ...d, params: next };
            })
          }
        />
      ))}
      {issuesAt(issues, ["params"]).length > 0 ? <FieldErrors issues={issuesAt(issues, ["params"])} /> : null}
      <AddButton onClick={add}>Add parameter</AddButton>
    </Section>
  );
}
