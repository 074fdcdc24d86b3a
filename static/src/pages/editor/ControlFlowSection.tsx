import { Box, Button, Checkbox, Field, Heading, HStack, Input, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useState, type ReactNode } from "react";
import type { BranchDoc, BranchRuleDoc } from "../../lib/flow";
import {
  BRANCH_OPS,
  branchValueOptions,
  defaultBranch,
  defaultForEach,
  directDownstreams,
  flowOutputSchema,
  forEachOptions,
  isUnaryOp,
  itemsKey,
  operandText,
  parseOperand,
  setBranch,
  setForEach,
  setTriggerRule,
  TRIGGER_RULES,
  valueKey,
  withOp,
  type FlowTask,
} from "../../lib/flowForm";
import { formatLoc, issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import type { TaskDoc } from "../../lib/workflowDoc";
import { useEditorData } from "./EditorContext";
import { AddButton } from "./AddButton";
import { FieldErrors } from "./FieldErrors";

/** Task fields this section shows the server's messages for (TaskPanel leaves them out of its general list). */
export const FLOW_FIELDS = ["for_each", "branch", "trigger_rule"];

function Errors({ issues, testId }: { issues: readonly TaskIssue[]; testId: string }) {
  if (issues.length === 0) return null;
  return (
    <>
      <FieldErrors issues={issues} where={(issue) => (issue.loc.length > 2 ? formatLoc(issue.loc) : null)} testId={testId} />
    </>
  );
}

function Select({ label, value, onChange, disabled, children }: { label: string; value: string; onChange: (value: string) => void; disabled: boolean; children: ReactNode }) {
  return (
    <NativeSelect.Root size="sm" disabled={disabled}>
      <NativeSelect.Field aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {children}
      </NativeSelect.Field>
      <NativeSelect.Indicator />
    </NativeSelect.Root>
  );
}

/** What the Inputs section shows instead of a field for the input that receives the for-each item. */
export function ForEachItemNote({ task, name }: { task: TaskDoc; name: string }) {
  const each = (task as FlowTask).for_each;
  if (!each) return null;
  const up = each.items.$upstream;
  return (
    <Field.Root data-field={name}>
      <Field.Label>
        <code>{name}</code>
      </Field.Label>
      <Text textStyle="sm" color="fg.muted" data-testid="for-each-item-input">
        Each item of {up.task} → {up.output} (see Control flow).
      </Text>
    </Field.Root>
  );
}

/** For-each, branch rules and trigger rule of a task, edited as choices; the server's messages on each field. */
export function ControlFlowSection({ task }: { task: TaskDoc }) {
  const { doc, edit, readOnly, taskPiece, issues } = useEditorData();
  const flow = task as FlowTask;
  const taskIssues = issues.byTask.get(task.id) ?? [];
  const piece = taskPiece(task);
  const outputSchemaOf = (id: string) => {
    const t = doc.tasks.find((x) => x.id === id);
    const p = t ? taskPiece(t) : undefined;
    return t && p ? flowOutputSchema(p, t) : undefined;
  };
  const upstreamCount = new Set([...(task.depends_on ?? []), ...(flow.for_each ? [flow.for_each.items.$upstream.task] : [])]).size;
  // Messages no field below shows (e.g. `for_each` with the docker runner) are listed at the end.
  const shown = [["for_each", "items"], ["for_each", "input"], ["for_each", "max_parallel"], ["branch", "else"], ["trigger_rule"]];
  const rules = flow.branch?.when.length ?? 0;
  const atField = (i: TaskIssue) =>
    shown.some((loc) => loc.every((p, n) => i.loc[n] === p)) || (i.loc[0] === "branch" && i.loc[1] === "when" && typeof i.loc[2] === "number" && i.loc[2] < rules);
  const other = FLOW_FIELDS.flatMap((f) => issuesUnder(taskIssues, [f])).filter((i) => !atField(i));
  return (
    <Stack as="section" aria-label="Control flow" gap="3" borderTopWidth="1px" pt="3" data-testid="control-flow">
      <Heading as="h3" size="sm">
        Control flow
      </Heading>
      {/* Approval / input steps and sub-workflows run no piece: they cannot map or branch (the server refuses it). */}
      {task.piece || flow.for_each ? <ForEachFields task={flow} inputSchema={piece?.input_schema} outputSchemaOf={outputSchemaOf} issues={taskIssues} /> : null}
      {task.piece || flow.branch ? <BranchFields task={flow} outputSchemaOf={outputSchemaOf} issues={taskIssues} /> : null}
      <Field.Root invalid={issuesAt(taskIssues, ["trigger_rule"]).length > 0}>
        <Field.Label>Runs when</Field.Label>
        <Select label="Runs when" value={flow.trigger_rule ?? "all_success"} disabled={readOnly} onChange={(rule) => edit((d) => setTriggerRule(d, task.id, rule))}>
          {TRIGGER_RULES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.words}
            </option>
          ))}
          {flow.trigger_rule && !TRIGGER_RULES.some((r) => r.value === flow.trigger_rule) ? <option value={flow.trigger_rule}>{flow.trigger_rule}</option> : null}
        </Select>
        {upstreamCount > 1 && (flow.trigger_rule ?? "all_success") === "all_success" ? (
          <Field.HelperText>This task waits for several tasks; after a branch, choose “None failed and at least one succeeded” so it runs whichever path ran.</Field.HelperText>
        ) : null}
        <Errors issues={issuesAt(taskIssues, ["trigger_rule"])} testId="flow-error" />
      </Field.Root>
      {other.length > 0 ? (
        <Field.Root invalid>
          <Errors issues={other} testId="flow-error" />
        </Field.Root>
      ) : null}
    </Stack>
  );
}

function ForEachFields({
  task,
  inputSchema,
  outputSchemaOf,
  issues,
}: {
  task: FlowTask;
  inputSchema: Record<string, unknown> | undefined;
  outputSchemaOf: (id: string) => Record<string, unknown> | undefined;
  issues: TaskIssue[];
}) {
  const { doc, edit, readOnly } = useEditorData();
  const each = task.for_each ?? null;
  const options = forEachOptions(doc, task.id, inputSchema, outputSchemaOf);
  const current = each ? itemsKey(each.items.$upstream.task, each.items.$upstream.output) : "";
  const chosen = options.find((o) => itemsKey(o.task, o.output) === current);
  const allInputs = Object.keys((inputSchema?.properties as Record<string, unknown> | undefined) ?? {});
  const inputs = chosen ? chosen.inputs : allInputs;
  const blocked = !each && (options.length === 0 || Boolean(task.branch));
  return (
    <Stack gap="2" data-testid="for-each-fields">
      <Checkbox.Root
        size="sm"
        checked={each !== null}
        disabled={readOnly || blocked}
        onCheckedChange={(e) => edit((d) => setForEach(d, task.id, e.checked === true ? defaultForEach(options) : null))}
      >
        <Checkbox.HiddenInput />
        <Checkbox.Control />
        <Checkbox.Label>Run once per item of a list (for each)</Checkbox.Label>
      </Checkbox.Root>
      {!each && task.branch ? (
        <Text textStyle="xs" color="fg.muted">
          A branch task cannot also run per item: put the for-each on a task before or after it.
        </Text>
      ) : !each && options.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          No upstream task has a list output whose items fit an input of this piece; connect one first.
        </Text>
      ) : null}
      {each ? (
        <Stack gap="2" ps="6">
          <Field.Root invalid={issuesUnder(issues, ["for_each", "items"]).length > 0}>
            <Field.Label>List</Field.Label>
            <Select
              label="List to run over"
              value={current}
              disabled={readOnly}
              onChange={(key) => {
                const option = options.find((o) => itemsKey(o.task, o.output) === key);
                if (!option) return;
                const input = option.inputs.includes(each.input) ? each.input : option.inputs[0]!;
                edit((d) => setForEach(d, task.id, { ...each, items: { $upstream: { task: option.task, output: option.output } }, input }));
              }}
            >
              {options.map((o) => (
                <option key={itemsKey(o.task, o.output)} value={itemsKey(o.task, o.output)}>
                  {o.text}
                </option>
              ))}
              {!chosen ? (
                <option value={current}>
                  {each.items.$upstream.task} → {each.items.$upstream.output} (not a fitting list)
                </option>
              ) : null}
            </Select>
            <Errors issues={issuesUnder(issues, ["for_each", "items"])} testId="flow-error" />
          </Field.Root>
          <Field.Root invalid={issuesUnder(issues, ["for_each", "input"]).length > 0}>
            <Field.Label>Input that receives each item</Field.Label>
            <Select label="Input that receives each item" value={each.input} disabled={readOnly} onChange={(input) => edit((d) => setForEach(d, task.id, { ...each, input }))}>
              {inputs.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
              {!inputs.includes(each.input) ? <option value={each.input}>{each.input}</option> : null}
            </Select>
            <Errors issues={issuesUnder(issues, ["for_each", "input"])} testId="flow-error" />
          </Field.Root>
          <MaxParallel
            value={each.max_parallel ?? null}
            issues={issuesUnder(issues, ["for_each", "max_parallel"])}
            onChange={(max) => edit((d) => setForEach(d, task.id, { ...each, max_parallel: max }), `flow:${task.id}:max_parallel`)}
          />
          <Text textStyle="xs" color="fg.muted">
            Tasks after this one that use its outputs receive lists, one value per item.
          </Text>
        </Stack>
      ) : null}
    </Stack>
  );
}

function MaxParallel({ value, onChange, issues }: { value: number | null; onChange: (v: number | null) => void; issues: TaskIssue[] }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? "" : String(value));
  const bad = draft !== null && draft.trim() !== "" && !(Number.isInteger(Number(draft)) && Number(draft) >= 1);
  return (
    <Field.Root invalid={bad || issues.length > 0}>
      <Field.Label>At most this many at once</Field.Label>
      <Input
        size="sm"
        inputMode="numeric"
        aria-label="At most this many at once"
        placeholder="No limit"
        value={shown}
        readOnly={readOnly}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (text.trim() === "") onChange(null);
          else if (Number.isInteger(Number(text)) && Number(text) >= 1) onChange(Number(text));
        }}
        onBlur={() => setDraft(null)}
      />
      {bad ? <Field.ErrorText>Enter a whole number of at least 1, or nothing for no limit.</Field.ErrorText> : null}
      <Errors issues={issues} testId="flow-error" />
    </Field.Root>
  );
}

function TargetChoices({ label, targets, chosen, onChange }: { label: string; targets: readonly string[]; chosen: readonly string[]; onChange: (next: string[]) => void }) {
  const { readOnly } = useEditorData();
  const all = [...targets, ...chosen.filter((t) => !targets.includes(t))];
  return (
    <HStack role="group" aria-label={label} wrap="wrap" gap="3">
      {all.map((target) => (
        <Checkbox.Root
          key={target}
          size="sm"
          checked={chosen.includes(target)}
          disabled={readOnly}
          onCheckedChange={(e) => onChange(e.checked === true ? [...chosen, target] : chosen.filter((t) => t !== target))}
        >
          <Checkbox.HiddenInput />
          <Checkbox.Control />
          <Checkbox.Label fontFamily="mono">{target}</Checkbox.Label>
        </Checkbox.Root>
      ))}
    </HStack>
  );
}

function OperandInput({ rule, label, onChange }: { rule: BranchRuleDoc; label: string; onChange: (operand: unknown) => void }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const list = rule.op === "in" || rule.op === "not_in";
  return (
    <Input
      size="sm"
      aria-label={label}
      placeholder={list ? "e.g. 1, 2, eu-west" : 'e.g. 3, true, "text"'}
      value={draft ?? operandText(rule.op, rule.operand)}
      readOnly={readOnly}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setDraft(text);
        onChange(parseOperand(rule.op, text));
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

function BranchFields({ task, outputSchemaOf, issues }: { task: FlowTask; outputSchemaOf: (id: string) => Record<string, unknown> | undefined; issues: TaskIssue[] }) {
  const { doc, edit, readOnly } = useEditorData();
  const branch = task.branch ?? null;
  const downstream = directDownstreams(doc, task.id);
  const values = branchValueOptions(doc, task.id, outputSchemaOf);
  const blocked = !branch && (downstream.length === 0 || values.length === 0 || Boolean(task.for_each));
  const save = (next: BranchDoc, mergeKey: string | null = null) => edit((d) => setBranch(d, task.id, next), mergeKey);
  const setRule = (index: number, rule: BranchRuleDoc, mergeKey: string | null = null) =>
    branch && save({ ...branch, when: branch.when.map((r, i) => (i === index ? rule : r)) }, mergeKey);
  return (
    <Stack gap="2" data-testid="branch-fields">
      <Checkbox.Root
        size="sm"
        checked={branch !== null}
        disabled={readOnly || blocked}
        onCheckedChange={(e) => edit((d) => setBranch(d, task.id, e.checked === true ? defaultBranch(values, downstream) : null))}
      >
        <Checkbox.HiddenInput />
        <Checkbox.Control />
        <Checkbox.Label>Choose which downstream tasks run (branch)</Checkbox.Label>
      </Checkbox.Root>
      {!branch && task.for_each ? (
        <Text textStyle="xs" color="fg.muted">
          A for-each task cannot also branch: put the branch on a task after it.
        </Text>
      ) : !branch && downstream.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          Connect the tasks that may run after this one first; a branch chooses among them.
        </Text>
      ) : null}
      {branch ? (
        <Stack gap="3" ps="6">
          {branch.when.map((rule, index) => {
            const n = index + 1;
            const key = valueKey(rule.value);
            const ruleIssues = issuesUnder(issues, ["branch", "when", index]);
            return (
              <Box key={index} role="group" aria-label={`Rule ${n}`} borderWidth="1px" rounded="md" p="2" data-testid={`branch-rule-${index}`}>
                <Field.Root invalid={ruleIssues.length > 0} gap="1.5">
                  <HStack justify="space-between" w="full">
                    <Field.Label mb="0">{index === 0 ? "If" : "Else if"}</Field.Label>
                    {branch.when.length > 1 && !readOnly ? (
                      <Button size="2xs" variant="ghost" aria-label={`Remove rule ${n}`} onClick={() => save({ ...branch, when: branch.when.filter((_, i) => i !== index) })}>
                        ✕
                      </Button>
                    ) : null}
                  </HStack>
                  <Select
                    label={`Rule ${n} value`}
                    value={key}
                    disabled={readOnly}
                    onChange={(k) => {
                      const option = values.find((v) => v.key === k);
                      if (option) setRule(index, { ...rule, value: option.value });
                    }}
                  >
                    {values.map((v) => (
                      <option key={v.key} value={v.key}>
                        {v.text}
                      </option>
                    ))}
                    {!values.some((v) => v.key === key) ? <option value={key}>{JSON.stringify(rule.value)}</option> : null}
                  </Select>
                  <HStack w="full" align="start">
                    <Select label={`Rule ${n} comparison`} value={rule.op} disabled={readOnly} onChange={(op) => setRule(index, withOp(rule, op))}>
                      {BRANCH_OPS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.words}
                        </option>
                      ))}
                    </Select>
                    {!isUnaryOp(rule.op) ? (
                      <OperandInput
                        key={`${index}:${rule.op}`}
                        rule={rule}
                        label={`Rule ${n} operand`}
                        onChange={(operand) => setRule(index, { ...rule, operand }, `flow:${task.id}:operand:${index}`)}
                      />
                    ) : null}
                  </HStack>
                </Field.Root>
                {/* Outside the Field: its context would give every checkbox the field's id and label ("If"). */}
                <Text textStyle="xs" color="fg.muted" mt="1.5">
                  then run:
                </Text>
                <TargetChoices label={`Rule ${n} runs`} targets={downstream} chosen={rule.then} onChange={(then) => setRule(index, { ...rule, then })} />
                {ruleIssues.length > 0 ? (
                  <Field.Root invalid>
                    <Errors issues={ruleIssues} testId="flow-error" />
                  </Field.Root>
                ) : null}
              </Box>
            );
          })}
          <AddButton
            onClick={() => {
              const last = branch.when[branch.when.length - 1]!;
              save({ ...branch, when: [...branch.when, { value: last.value, op: "truthy", then: [downstream.find((d) => !last.then.includes(d)) ?? downstream[0]!] }] });
            }}
          >
            Add rule
          </AddButton>
          <Stack gap="1.5">
            <Text textStyle="sm" fontWeight="medium">
              Otherwise run
            </Text>
            <TargetChoices label="Otherwise runs" targets={downstream} chosen={branch.else ?? []} onChange={(next) => save({ ...branch, else: next })} />
            <Text textStyle="xs" color="fg.muted">
              Tasks no rule chose are skipped, with the tasks after them (unless their “Runs when” says otherwise).
            </Text>
            {issuesUnder(issues, ["branch", "else"]).length > 0 ? (
              <Field.Root invalid>
                <Errors issues={issuesUnder(issues, ["branch", "else"])} testId="flow-error" />
              </Field.Root>
            ) : null}
          </Stack>
        </Stack>
      ) : null}
    </Stack>
  );
}
