import { Badge, Button, Checkbox, Field, HStack, Input, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { useWorkflowList } from "../../api/workflowList";
import { declaredAssets, describeScheduleOn, type ScheduleOn } from "../../lib/scheduleOn";
import { issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import type { TaskDoc, WorkflowDoc } from "../../lib/workflowDoc";
import { InlineMarkdown } from "../../components/InlineMarkdown";

/** Values of the schedule select that mean `schedule_on` instead of a time schedule. */
export const AFTER_WORKFLOW = "__after_workflow";
export const ON_ASSET = "__on_asset";

/**
 * The data-aware part of the schedule form: the workflows whose completion starts a run, the
 * assets whose update does, all-or-any, and a sentence saying what triggers this workflow.
 */
export function DataSchedule({
  doc,
  readOnly,
  issues,
  onChange,
}: {
  doc: WorkflowDoc;
  readOnly: boolean;
  issues: TaskIssue[];
  onChange: (on: ScheduleOn) => void;
}) {
  const on = doc.schedule_on ?? {};
  const workflows = on.workflows ?? [];
  const assets = on.assets ?? [];
  const list = useWorkflowList({ search: "", status: "", limit: 200, offset: 0 });
  const others = (list.data?.items ?? []).filter((w) => w.id !== doc.id);
  const [asset, setAsset] = useState("");
  const offered = declaredAssets(doc.tasks).filter((a) => !assets.includes(a));
  const addAsset = () => {
    const name = asset.trim();
    if (name && !assets.includes(name)) onChange({ ...on, assets: [...assets, name] });
    setAsset("");
  };
  return (
    <Stack gap="3" data-testid="data-schedule">
      <Field.Root invalid={issuesAt(issues, ["schedule_on", "workflows"]).length > 0}>
        <Field.Label>After workflow</Field.Label>
        {others.length === 0 ? (
          <Text textStyle="xs" color="fg.muted">
            {list.isPending ? "Loading workflows…" : "No other workflow is saved yet."}
          </Text>
        ) : (
          <Stack gap="1" maxH="40" overflowY="auto" aria-label="Workflows to run after">
            {others.map((w) => (
              <Checkbox.Root
                key={w.id}
                size="sm"
                disabled={readOnly}
                checked={workflows.includes(w.id)}
                onCheckedChange={(e) =>
                  onChange({ ...on, workflows: e.checked ? [...workflows, w.id] : workflows.filter((x) => x !== w.id) })
                }
              >
                <Checkbox.HiddenInput />
                <Checkbox.Control />
                <Checkbox.Label>
                  {w.name} <Text as="span" fontFamily="mono" textStyle="xs" color="fg.muted">{w.id}</Text>
                </Checkbox.Label>
              </Checkbox.Root>
            ))}
          </Stack>
        )}
        {issuesAt(issues, ["schedule_on", "workflows"]).map((i, n) => (
          <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
        ))}
        {workflows.map((id, index) =>
          issuesAt(issues, ["schedule_on", "workflows", index]).map((i, n) => (
            <Field.ErrorText key={`${id}-${n}`}><InlineMarkdown text={i.message} /></Field.ErrorText>
          )),
        )}
      </Field.Root>
      <Field.Root invalid={issuesAt(issues, ["schedule_on", "assets"]).length > 0}>
        <Field.Label>When asset updates</Field.Label>
        <HStack gap="1" wrap="wrap">
          {assets.map((a) => (
            <Badge key={a} variant="subtle" fontFamily="mono">
              {a}
              {!readOnly ? (
                <Button size="2xs" variant="ghost" aria-label={`Remove asset ${a}`} onClick={() => onChange({ ...on, assets: assets.filter((x) => x !== a) })}>
                  ×
                </Button>
              ) : null}
            </Badge>
          ))}
        </HStack>
        {!readOnly ? (
          <HStack gap="1">
            <Input
              size="sm"
              fontFamily="mono"
              aria-label="Asset name or URI"
              placeholder="s3://bucket/sales.csv"
              list="domino-declared-assets"
              value={asset}
              onChange={(e) => setAsset(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") addAsset();
              }}
            />
            <datalist id="domino-declared-assets">
              {offered.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <Button size="sm" variant="outline" onClick={addAsset} disabled={!asset.trim()}>
              Add asset
            </Button>
          </HStack>
        ) : null}
        <Field.HelperText>An asset a task of any workflow declares it updates (its outlets).</Field.HelperText>
      </Field.Root>
      {workflows.length + assets.length > 1 ? (
        <Field.Root>
          <Field.Label>Start a run when</Field.Label>
          <NativeSelect.Root size="sm" disabled={readOnly}>
            <NativeSelect.Field value={on.match ?? "all"} onChange={(e) => onChange({ ...on, match: e.currentTarget.value as "all" | "any" })}>
              <option value="all">all of them were updated</option>
              <option value="any">any one of them was updated</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
      ) : null}
      <Text textStyle="sm" data-testid="schedule-on-preview">
        {describeScheduleOn(on)}
      </Text>
      {issuesAt(issues, ["schedule_on"]).map((i, n) => (
        <Text key={n} textStyle="xs" color="fg.error" data-testid="field-error">
          <InlineMarkdown text={i.message} />
        </Text>
      ))}
    </Stack>
  );
}

/** The assets a task updates when it succeeds (`outlets`), as one comma-separated field. */
export function OutletsField({
  task,
  readOnly,
  issues,
  onChange,
}: {
  task: TaskDoc;
  readOnly: boolean;
  issues: TaskIssue[];
  onChange: (outlets: string[]) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const here = issuesUnder(issues, ["outlets"]);
  const shown = draft ?? (task.outlets ?? []).join(", ");
  return (
    <Field.Root invalid={here.length > 0}>
      <Field.Label>Updates assets</Field.Label>
      <Input
        size="sm"
        fontFamily="mono"
        placeholder="e.g. s3://bucket/sales.csv, sales_report"
        value={shown}
        readOnly={readOnly}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={() => {
          if (draft === null) return;
          onChange(draft.split(",").map((a) => a.trim()).filter(Boolean));
          setDraft(null);
        }}
      />
      <Field.HelperText>Airflow Assets this task updates when it succeeds; other workflows can run when they do.</Field.HelperText>
      {here.map((i, n) => (
        <Field.ErrorText key={n}><InlineMarkdown text={i.message} /></Field.ErrorText>
      ))}
    </Field.Root>
  );
}
