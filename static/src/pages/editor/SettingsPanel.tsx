import { Alert, Box, Button, Checkbox, Field, Heading, HStack, IconButton, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useMemo, useState, type ReactNode } from "react";
import { WORKFLOW_ID_PATTERN } from "../../lib/graph";
import { pastStartNotice, workflowIdFromName } from "../../lib/settingsHints";
import { describeSchedule, fromLocalInput, isValidTimeZone, SCHEDULE_PRESETS, toLocalInput } from "../../lib/schedule";
import { issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import { ParamTypeSelect } from "./ParamTypeSelect";
import { PARAM_TYPES, RUNNERS, type ParamDef, type ParamType, type Runner, type WorkflowDoc } from "../../lib/workflowDoc";
import { AFTER_WORKFLOW, DataSchedule, ON_ASSET } from "./DataSchedule";
import { useEditorData } from "./EditorContext";
import { NumberSetting } from "./TaskPanel";

function Errors({ issues }: { issues: TaskIssue[] }) {
  return (
    <>
      {issues.map((i, n) => (
        <Field.ErrorText key={n} data-testid="field-error">
          {i.message}
        </Field.ErrorText>
      ))}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack as="section" aria-label={title} gap="3" borderTopWidth="1px" pt="3">
      <Heading as="h3" size="sm">
        {title}
      </Heading>
      {children}
    </Stack>
  );
}

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
        <Errors issues={issuesAt(wf, ["name"])} />
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
        <Errors issues={issuesAt(wf, ["id"])} />
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
          <Errors issues={issuesAt(wf, ["schedule"])} />
        </Field.Root>
        {dataValue ? <DataSchedule doc={doc} readOnly={readOnly} issues={wf} onChange={(on) => set({ schedule_on: on }, "schedule_on")} /> : null}
        <Field.Root invalid={issuesAt(wf, ["timezone"]).length > 0 || !isValidTimeZone(tz)} data-setting="timezone">
          <Field.Label>Timezone</Field.Label>
          <Input size="sm" list="domino-timezones" value={doc.timezone ?? "UTC"} readOnly={readOnly} onChange={(e) => set({ timezone: e.currentTarget.value }, "timezone")} />
          <datalist id="domino-timezones">
            {timeZones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {!isValidTimeZone(tz) ? <Field.ErrorText>Unknown timezone; use an IANA name such as Europe/Paris.</Field.ErrorText> : <Field.HelperText>Cron expressions and the dates below are read in this timezone.</Field.HelperText>}
          <Errors issues={issuesAt(wf, ["timezone"])} />
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
        <Errors issues={issuesUnder(wf, ["tags"])} />
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
            <NativeSelect.Root size="sm" disabled={readOnly}>
              <NativeSelect.Field value={doc.defaults?.runner ?? ""} onChange={(e) => edit((d) => ({ ...d, defaults: { ...d.defaults, runner: (e.currentTarget.value || null) as Runner | null } }))}>
                <option value="">Server default</option>
                {RUNNERS.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
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
      <Errors issues={issues} />
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

function parseLiteral(text: string, type: ParamType): { ok: true; value: unknown } | { ok: false; error: string } {
  if (type === "string") return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: `Not a valid ${type}: write it as JSON.` };
  }
}

function ParamsEditor({ issues }: { issues: TaskIssue[] }) {
  const { doc, edit, readOnly } = useEditorData();
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
        <ParamRow key={name} name={name} def={def} issues={issuesUnder(issues, ["params", name])} />
      ))}
      {issuesAt(issues, ["params"]).length > 0 ? <Errors issues={issuesAt(issues, ["params"])} /> : null}
      {!readOnly ? (
        <Button size="xs" variant="outline" alignSelf="start" onClick={add}>
          Add parameter
        </Button>
      ) : null}
    </Section>
  );
}

function ParamRow({ name, def, issues }: { name: string; def: ParamDef; issues: TaskIssue[] }) {
  const { edit, readOnly } = useEditorData();
  const [nameDraft, setNameDraft] = useState<string | null>(null);
  const [defaultDraft, setDefaultDraft] = useState<string | null>(null);
  const [enumDraft, setEnumDraft] = useState<string | null>(null);
  const update = (patch: Partial<ParamDef>, key: string) =>
    edit((d) => {
      const next: ParamDef = { ...d.params?.[name], ...patch } as ParamDef;
      for (const [k, v] of Object.entries(patch)) if (v === undefined || v === null) delete (next as unknown as Record<string, unknown>)[k];
      return { ...d, params: { ...d.params, [name]: next } };
    }, `param:${name}:${key}`);
  const remove = () =>
    edit((d) => {
      const next = { ...d.params };
      delete next[name];
      return { ...d, params: next };
    });
  const rename = (to: string) => {
    setNameDraft(null);
    if (!to || to === name) return;
    edit((d) => {
      if (d.params?.[to]) return d;
      const next = Object.fromEntries(Object.entries(d.params ?? {}).map(([k, v]) => [k === name ? to : k, v]));
      return { ...d, params: next, tasks: d.tasks.map((t) => ({ ...t, inputs: renameParamBindings(t.inputs ?? {}, name, to) as Record<string, unknown> })) };
    });
  };
  const defaultText = defaultDraft ?? (def.default === undefined ? "" : def.type === "string" && typeof def.default === "string" ? def.default : JSON.stringify(def.default));
  const parsedDefault = defaultDraft === null ? null : defaultDraft === "" ? { ok: true as const, value: undefined } : parseLiteral(defaultDraft, def.type);
  const enumText = enumDraft ?? (def.enum ? def.enum.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ") : "");
  const numeric = def.type === "integer" || def.type === "number";
  const nameIssues = useMemo(() => issues.filter((i) => i.loc.length <= 2), [issues]);
  return (
    <Box borderWidth="1px" rounded="md" p="2" data-testid={`param-${name}`}>
      <Stack gap="2">
        <HStack align="end">
          <Field.Root invalid={nameIssues.length > 0}>
            <Field.Label textStyle="xs">Name</Field.Label>
            <Input size="sm" fontFamily="mono" value={nameDraft ?? name} readOnly={readOnly} onChange={(e) => setNameDraft(e.currentTarget.value)} onBlur={() => rename(nameDraft ?? name)} onKeyDown={(e) => e.key === "Enter" && rename(nameDraft ?? name)} />
          </Field.Root>
          <Field.Root w="40%">
            <Field.Label textStyle="xs">Type</Field.Label>
            <ParamTypeSelect
              label={`Type of parameter ${name}`}
              value={def.type}
              disabled={readOnly}
              onChange={(type) => update({ type, default: undefined, enum: undefined, minimum: undefined, maximum: undefined }, "type")}
            />
          </Field.Root>
          {!readOnly ? (
            <IconButton size="sm" variant="ghost" aria-label={`Remove parameter ${name}`} onClick={remove}>
              ✕
            </IconButton>
          ) : null}
        </HStack>
        <Field.Root invalid={parsedDefault?.ok === false || issuesAt(issues, ["params", name, "default"]).length > 0}>
          <Field.Label textStyle="xs">Default</Field.Label>
          {def.type === "boolean" ? (
            <NativeSelect.Root size="sm" disabled={readOnly}>
              <NativeSelect.Field aria-label={`Default of parameter ${name}`} value={def.default === true ? "true" : def.default === false ? "false" : ""} onChange={(e) => update({ default: e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true" }, "default")}>
                <option value="">No default (required per run)</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          ) : (
            <Input
              size="sm"
              aria-label={`Default of parameter ${name}`}
              value={defaultText}
              placeholder={def.type === "string" ? "No default (required per run)" : "JSON, e.g. 5 or [1, 2]"}
              readOnly={readOnly}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setDefaultDraft(text);
                if (text === "") update({ default: undefined }, "default");
                else {
                  const parsed = parseLiteral(text, def.type);
                  if (parsed.ok) update({ default: parsed.value }, "default");
                }
              }}
              onBlur={() => setDefaultDraft(null)}
            />
          )}
          {parsedDefault?.ok === false ? <Field.ErrorText>{parsedDefault.error}</Field.ErrorText> : null}
        </Field.Root>
        <HStack align="start">
          <Field.Root>
            <Field.Label textStyle="xs">Allowed values</Field.Label>
            <Input
              size="sm"
              aria-label={`Allowed values of parameter ${name}`}
              placeholder="Any (comma-separated list)"
              value={enumText}
              readOnly={readOnly}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setEnumDraft(text);
                const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
                const values = parts.map((p) => (def.type === "string" ? p : (parseLiteral(p, def.type) as { ok: boolean; value?: unknown })));
                if (parts.length === 0) update({ enum: undefined }, "enum");
                else if (def.type === "string") update({ enum: values }, "enum");
                else if ((values as { ok: boolean }[]).every((v) => v.ok)) update({ enum: (values as { value: unknown }[]).map((v) => v.value) }, "enum");
              }}
              onBlur={() => setEnumDraft(null)}
            />
          </Field.Root>
          {numeric ? (
            <>
              <NumberBound label="Minimum" name={name} value={def.minimum} onChange={(v) => update({ minimum: v }, "minimum")} />
              <NumberBound label="Maximum" name={name} value={def.maximum} onChange={(v) => update({ maximum: v }, "maximum")} />
            </>
          ) : null}
        </HStack>
        {def.type === "array" ? (
          <Field.Root>
            <Field.Label textStyle="xs">Item type</Field.Label>
            <NativeSelect.Root size="sm" disabled={readOnly}>
              <NativeSelect.Field aria-label={`Item type of parameter ${name}`} value={def.items?.type ?? ""} onChange={(e) => update({ items: e.currentTarget.value ? { type: e.currentTarget.value as ParamType } : undefined }, "items")}>
                <option value="">Any</option>
                {PARAM_TYPES.filter((t) => t !== "array").map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
        ) : null}
        <Input size="sm" aria-label={`Description of parameter ${name}`} placeholder="Description (shown in the trigger form)" value={def.description ?? ""} readOnly={readOnly} onChange={(e) => update({ description: e.currentTarget.value || undefined }, "description")} />
        {issues.length > 0 ? (
          <Stack gap="0">
            {issues.map((i, n) => (
              <Text key={n} textStyle="xs" color="fg.error" data-testid="field-error">
                {i.message}
              </Text>
            ))}
          </Stack>
        ) : null}
      </Stack>
    </Box>
  );
}

function NumberBound({ label, name, value, onChange }: { label: string; name: string; value: number | null | undefined; onChange: (v: number | undefined) => void }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Field.Root w="30%">
      <Field.Label textStyle="xs">{label}</Field.Label>
      <Input
        size="sm"
        aria-label={`${label} of parameter ${name}`}
        inputMode="decimal"
        value={draft ?? (value == null ? "" : String(value))}
        readOnly={readOnly}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (text.trim() === "") onChange(undefined);
          else if (!Number.isNaN(Number(text))) onChange(Number(text));
        }}
        onBlur={() => setDraft(null)}
      />
    </Field.Root>
  );
}
