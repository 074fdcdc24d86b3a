import { Box, Checkbox, Field, HStack, IconButton, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useId, useMemo, useState, type ReactNode } from "react";
import {
  declaredMode,
  getAt,
  isBinding,
  isParamBinding,
  isUpstreamBinding,
  paramBinding,
  paramCandidates,
  removeItemAt,
  setAt,
  upstreamBinding,
  upstreamCandidates,
} from "../../lib/bindings";
import { flowOutputSchema } from "../../lib/flowForm";
import { updateTask } from "../../lib/graph";
import { baseType, branches, describeType, normaliseSchema, subschemaAt, type JsonSchema } from "../../lib/typeCompat";
import { formatLoc, issuesAt, issuesUnder, type TaskIssue } from "../../lib/validationPaths";
import type { FromUpstream } from "../../lib/bindings";
import type { ParamType, TaskDoc } from "../../lib/workflowDoc";
import { useEditorData } from "./EditorContext";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { AddButton } from "./AddButton";

type Mode = "value" | "param" | "upstream";
const MAX_DEPTH = 5;

interface FieldProps {
  task: TaskDoc;
  /** The piece's whole input schema (root of its `$defs`). */
  root: JsonSchema;
  /** The (raw) schema of this place. */
  schema: unknown;
  /** Location inside `inputs`, e.g. ["headers", 0, "value"]. */
  loc: (string | number)[];
  label: string;
  required?: boolean;
  depth?: number;
  /** For list items: a remove button next to the label. */
  onRemove?: () => void;
  /** The enclosing place's from_upstream mode, which applies when this place declares none. */
  inherited?: FromUpstream;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The non-null branch of `X | None`, the schema itself when not a union, null for real unions. */
function singleShape(schema: JsonSchema, root: JsonSchema): { node: JsonSchema; nullable: boolean } | null {
  const alternatives = branches(schema, root);
  if (alternatives === null) return { node: schema, nullable: false };
  const nonNull = alternatives.filter((b) => baseType(b, root) !== "null");
  if (nonNull.length === 1) return { node: nonNull[0]!, nullable: nonNull.length !== alternatives.length };
  return null;
}

function useSetValue(task: TaskDoc, loc: (string | number)[]) {
  const { edit } = useEditorData();
  const key = `input:${task.id}:${formatLoc(loc)}`;
  return (value: unknown, merge = true) =>
    edit((doc) => updateTask(doc, task.id, (t) => ({ ...t, inputs: setAt(t.inputs ?? {}, loc, value) as Record<string, unknown> })), merge ? key : null);
}

export function InputField({ task, root, schema, loc, label, required = false, depth = 0, onRemove, inherited }: FieldProps) {
  const { doc, readOnly, issues, warnings, taskPiece } = useEditorData();
  const value = getAt(task.inputs ?? {}, loc);
  const setValue = useSetValue(task, loc);
  const node = normaliseSchema(schema, root);
  const rawMode = isRecord(schema) ? schema.from_upstream : undefined;
  const fromUpstream: FromUpstream = declaredMode(typeof rawMode === "string" ? { from_upstream: rawMode } : node) ?? inherited ?? "allowed";
  const target = useMemo(() => subschemaAt(root, loc, root), [root, loc]);
  const taskIssues = issues.byTask.get(task.id);
  const here = issuesAt(taskIssues, ["inputs", ...loc]);
  const warningsHere = issuesAt(warnings.byTask.get(task.id), ["inputs", ...loc]);
  const [pendingMode, setPendingMode] = useState<Mode | null>(null);
  const valueMode: Mode = isParamBinding(value) ? "param" : isUpstreamBinding(value) ? "upstream" : "value";
  const mode: Mode = pendingMode ?? (fromUpstream === "always" && valueMode === "value" ? "upstream" : valueMode);
  const id = useId();
  const description = typeof node.description === "string" ? node.description : "";
  const typeText = describeType(schema, root);

  const changeMode = (next: Mode) => {
    if (next === valueMode) {
      setPendingMode(null);
      return;
    }
    if (next === "value") {
      setPendingMode(null);
      setValue(undefined, false);
    } else {
      setPendingMode(next);
    }
  };

  const modeOptions: { value: Mode; label: string; disabled: boolean }[] = [
    { value: "value", label: "Value", disabled: fromUpstream === "always" },
    { value: "param", label: "Run parameter", disabled: fromUpstream === "always" },
    { value: "upstream", label: "Upstream output", disabled: fromUpstream === "never" },
  ];

  return (
    <Field.Root invalid={here.length > 0} required={required} data-field={formatLoc(loc)} gap="1">
      <HStack justify="space-between" w="full" gap="2" align="center">
        <Field.Label htmlFor={`${id}-value`} textStyle="sm" mb="0">
          {label}
          {required ? <Field.RequiredIndicator /> : null}
          <Text as="span" color="fg.muted" fontWeight="normal" textStyle="xs" ms="1">
            {typeText}
          </Text>
        </Field.Label>
        <HStack gap="1">
          <NativeSelect.Root size="xs" w="auto" disabled={readOnly}>
            <NativeSelect.Field aria-label={`Source of ${label}`} value={mode} onChange={(e) => changeMode(e.currentTarget.value as Mode)}>
              {modeOptions.map((o) => (
                <option key={o.value} value={o.value} disabled={o.disabled}>
                  {o.label}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
          {onRemove && !readOnly ? (
            <IconButton size="xs" variant="ghost" aria-label={`Remove ${label}`} onClick={onRemove}>
              ✕
            </IconButton>
          ) : null}
        </HStack>
      </HStack>
      {mode === "param" ? (
        <ParamPicker
          id={`${id}-value`}
          label={label}
          value={isParamBinding(value) ? value.$param : ""}
          target={target}
          root={root}
          fieldName={String(loc[loc.length - 1] ?? "value")}
          currentLiteral={valueMode === "value" ? value : undefined}
          onPick={(name) => {
            setPendingMode(null);
            setValue(paramBinding(name), false);
          }}
        />
      ) : mode === "upstream" ? (
        <UpstreamPicker
          id={`${id}-value`}
          label={label}
          value={isUpstreamBinding(value) ? value.$upstream : null}
          candidates={upstreamCandidates(doc, task.id, target, root, (tid) => {
            const t = doc.tasks.find((x) => x.id === tid);
            const piece = t ? taskPiece(t) : undefined;
            return t && piece ? flowOutputSchema(piece, t) : undefined;
          })}
          onPick={(task_, output) => {
            setPendingMode(null);
            setValue(upstreamBinding(task_, output), false);
          }}
          always={fromUpstream === "always"}
        />
      ) : (
        <LiteralEditor
          id={`${id}-value`}
          task={task}
          root={root}
          schema={node}
          loc={loc}
          label={label}
          value={value}
          setValue={setValue}
          depth={depth}
          issues={taskIssues}
          mode={fromUpstream}
        />
      )}
      {description ? (
        <Field.HelperText textStyle="xs">
          <InlineMarkdown text={description} />
        </Field.HelperText>
      ) : null}
      {here.map((issue, i) => (
        <Field.ErrorText key={i} textStyle="xs" data-testid="field-error">
          <InlineMarkdown text={issue.message} />
        </Field.ErrorText>
      ))}
      {warningsHere.map((issue, i) => (
        <Text key={i} textStyle="xs" color="fg.warning" role="status" data-testid="field-warning">
          ⚠ <InlineMarkdown text={issue.message} />
        </Text>
      ))}
    </Field.Root>
  );
}

function ParamPicker({
  id,
  label,
  value,
  target,
  root,
  fieldName,
  currentLiteral,
  onPick,
}: {
  id: string;
  label: string;
  value: string;
  target: JsonSchema | null;
  root: JsonSchema;
  fieldName: string;
  currentLiteral: unknown;
  onPick: (name: string) => void;
}) {
  const { doc, edit, readOnly } = useEditorData();
  const candidates = paramCandidates(doc, target, root);
  const kind = target ? baseType(target, root) : null;
  const nullable = target ? singleShape(target, root) : null;
  const newType = (kind ?? (nullable ? baseType(nullable.node, root) : null)) as ParamType | null;
  const canCreate = newType !== null && ["string", "integer", "number", "boolean", "array", "object"].includes(newType);
  const NEW = "+new";
  const newName = (() => {
    const base = fieldName.replace(/[^a-zA-Z0-9_]/g, "_") || "param";
    let name = base;
    for (let n = 2; doc.params?.[name]; n++) name = `${base}_${n}`;
    return name;
  })();
  const pick = (name: string) => {
    if (name === NEW && newType) {
      const enumValues = target && Array.isArray(target.enum) ? (target.enum as unknown[]) : null;
      const fallback: Record<ParamType, unknown> = { string: "", integer: 0, number: 0, boolean: false, array: [], object: {} };
      const def = currentLiteral !== undefined && !isBinding(currentLiteral) ? currentLiteral : (enumValues?.[0] ?? fallback[newType]);
      edit((d) => ({ ...d, params: { ...d.params, [newName]: { type: newType, default: def, ...(enumValues ? { enum: enumValues } : {}) } } }));
      onPick(newName);
    } else if (name) {
      onPick(name);
    }
  };
  return (
    <Stack gap="1">
      <NativeSelect.Root size="sm" disabled={readOnly}>
        <NativeSelect.Field id={id} aria-label={`Run parameter for ${label}`} value={value} onChange={(e) => pick(e.currentTarget.value)}>
          <option value="">Choose a run parameter…</option>
          {candidates.map((c) => (
            <option key={c.value} value={c.value} disabled={c.reason !== null}>
              {c.value} ({c.type}){c.reason ? ` — does not fit: ${c.reason}` : ""}
            </option>
          ))}
          {canCreate ? <option value={NEW}>+ New {newType} parameter “{newName}”</option> : null}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      {candidates.length > 0 && candidates.every((c) => c.reason !== null) ? (
        <Text textStyle="xs" color="fg.muted">
          No run parameter has a type that fits {target ? describeType(target, root) : "this input"}.
        </Text>
      ) : null}
    </Stack>
  );
}

function UpstreamPicker({
  id,
  label,
  value,
  candidates,
  onPick,
  always,
}: {
  id: string;
  label: string;
  value: { task: string; output: string } | null;
  candidates: ReturnType<typeof upstreamCandidates>;
  onPick: (task: string, output: string) => void;
  always: boolean;
}) {
  const { readOnly } = useEditorData();
  const encoded = value ? JSON.stringify([value.task, value.output]) : "";
  const known = candidates.some((c) => JSON.stringify([c.value.task, c.value.output]) === encoded);
  return (
    <Stack gap="1">
      <NativeSelect.Root size="sm" disabled={readOnly}>
        <NativeSelect.Field
          id={id}
          aria-label={`Upstream output for ${label}`}
          value={encoded}
          onChange={(e) => {
            const raw = e.currentTarget.value;
            if (!raw) return;
            const [t, o] = JSON.parse(raw) as [string, string];
            onPick(t, o);
          }}
        >
          <option value="">Choose an upstream output…</option>
          {value && !known ? <option value={encoded}>{value.task} → {value.output} (not available)</option> : null}
          {candidates.map((c) => (
            <option key={`${c.value.task}.${c.value.output}`} value={JSON.stringify([c.value.task, c.value.output])} disabled={c.reason !== null}>
              {c.value.task} → {c.value.output} ({c.type}){c.reason ? ` — does not fit: ${c.reason}` : c.warning ? " — may be null" : ""}
            </option>
          ))}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      {candidates.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          {always ? "This input must come from an upstream task. " : ""}Connect a task to this one to use its outputs.
        </Text>
      ) : candidates.every((c) => c.reason !== null) ? (
        <Text textStyle="xs" color="fg.muted">
          No output of the upstream tasks has a type that fits this input.
        </Text>
      ) : null}
    </Stack>
  );
}

interface LiteralProps {
  id: string;
  task: TaskDoc;
  root: JsonSchema;
  schema: JsonSchema;
  loc: (string | number)[];
  label: string;
  value: unknown;
  setValue: (value: unknown, merge?: boolean) => void;
  depth: number;
  issues: TaskIssue[] | undefined;
  /** This place's from_upstream mode, inherited by nested places that declare none. */
  mode?: FromUpstream;
}

function LiteralEditor(props: LiteralProps) {
  const { id, root, schema, label, value, setValue, depth } = props;
  const { readOnly } = useEditorData();
  const shape = singleShape(schema, root);
  if (!shape || depth > MAX_DEPTH || isBinding(value)) return <JsonEditor {...props} />;
  const node = normaliseSchema(shape.node, root);
  const kind = baseType(node, root);
  const def = "default" in schema ? schema.default : undefined;
  const placeholder = def !== undefined && def !== null ? `Default: ${typeof def === "string" ? def : JSON.stringify(def)}` : shape.nullable ? "Not set (null)" : "";
  const enumValues = Array.isArray(node.enum) ? (node.enum as unknown[]) : "const" in node ? [node.const] : null;
  if (enumValues) {
    const index = enumValues.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
    return (
      <NativeSelect.Root size="sm" disabled={readOnly}>
        <NativeSelect.Field id={id} aria-label={label} value={index >= 0 ? String(index) : ""} onChange={(e) => setValue(e.currentTarget.value === "" ? undefined : enumValues[Number(e.currentTarget.value)], false)}>
          <option value="">{placeholder || "Not set"}</option>
          {enumValues.map((v, i) => (
            <option key={i} value={String(i)}>
              {typeof v === "string" ? v : JSON.stringify(v)}
            </option>
          ))}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    );
  }
  switch (kind) {
    case "string": {
      const widget = typeof schema.widget === "string" ? schema.widget : typeof node.widget === "string" ? node.widget : "";
      const text = typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
      if (widget === "textarea" || widget.startsWith("codeeditor")) {
        return (
          <Textarea
            id={id}
            aria-label={label}
            size="sm"
            rows={widget.startsWith("codeeditor") ? 8 : 3}
            fontFamily={widget.startsWith("codeeditor") ? "mono" : undefined}
            value={text}
            placeholder={placeholder}
            readOnly={readOnly}
            onChange={(e) => setValue(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
          />
        );
      }
      return (
        <Input id={id} aria-label={label} size="sm" value={text} placeholder={placeholder} readOnly={readOnly} onChange={(e) => setValue(e.currentTarget.value === "" ? undefined : e.currentTarget.value)} />
      );
    }
    case "integer":
    case "number":
      return <NumberEditor id={id} label={label} integer={kind === "integer"} value={value} placeholder={placeholder} onChange={setValue} />;
    case "boolean":
      return (
        <Checkbox.Root
          size="sm"
          checked={value === undefined ? def === true : value === true}
          disabled={readOnly}
          onCheckedChange={(e) => setValue(e.checked === true, false)}
        >
          <Checkbox.HiddenInput id={id} aria-label={label} />
          <Checkbox.Control />
          <Checkbox.Label textStyle="sm">{booleanLabel(value, def)}</Checkbox.Label>
        </Checkbox.Root>
      );
    case "array":
      return <ListEditor {...props} schema={node} />;
    case "object":
      if (node.properties && typeof node.properties === "object" && Object.keys(node.properties).length > 0) {
        return <ObjectEditor {...props} schema={node} />;
      }
      return <JsonEditor {...props} />;
    default:
      return <JsonEditor {...props} />;
  }
}

function NumberEditor({ id, label, integer, value, placeholder, onChange }: { id: string; label: string; integer: boolean; value: unknown; placeholder: string; onChange: (v: unknown) => void }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === undefined || value === null ? "" : typeof value === "number" ? String(value) : JSON.stringify(value));
  const parsed = draft === null || draft.trim() === "" ? null : Number(draft);
  const problem = draft !== null && draft.trim() !== "" && (parsed === null || Number.isNaN(parsed) || (integer && !Number.isInteger(parsed))) ? (integer ? "Enter a whole number." : "Enter a number.") : null;
  return (
    <Box>
      <Input
        id={id}
        aria-label={label}
        size="sm"
        inputMode={integer ? "numeric" : "decimal"}
        value={shown}
        placeholder={placeholder}
        readOnly={readOnly}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (text.trim() === "") onChange(undefined);
          else {
            const n = Number(text);
            if (!Number.isNaN(n) && (!integer || Number.isInteger(n))) onChange(n);
          }
        }}
        onBlur={() => setDraft(null)}
      />
      {problem ? (
        <Text textStyle="xs" color="fg.error" role="alert">
          {problem}
        </Text>
      ) : null}
    </Box>
  );
}

function JsonEditor({ id, label, value, setValue, issues, loc }: LiteralProps) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === undefined ? "" : JSON.stringify(value, null, 2));
  let problem: string | null = null;
  if (draft !== null && draft.trim() !== "") {
    try {
      JSON.parse(draft);
    } catch (error) {
      problem = `Not valid JSON: ${(error as Error).message}`;
    }
  }
  const nested = issuesUnder(issues, ["inputs", ...loc]).filter((i) => i.loc.length > loc.length + 1);
  return (
    <Box>
      <Textarea
        id={id}
        aria-label={`${label} (JSON)`}
        size="sm"
        fontFamily="mono"
        rows={Math.min(10, Math.max(2, shown.split("\n").length))}
        value={shown}
        placeholder="JSON value"
        readOnly={readOnly}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (text.trim() === "") setValue(undefined);
          else {
            try {
              setValue(JSON.parse(text));
            } catch {
              /* shown below */
            }
          }
        }}
        onBlur={() => setDraft(null)}
      />
      {problem ? (
        <Text textStyle="xs" color="fg.error" role="alert">
          {problem}
        </Text>
      ) : null}
      {nested.map((i, n) => (
        <Text key={n} textStyle="xs" color="fg.error" data-testid="field-error">
          {formatLoc(i.loc.slice(loc.length + 1))}: <InlineMarkdown text={i.message} />
        </Text>
      ))}
    </Box>
  );
}

function Nested({ children, label }: { children: ReactNode; label: string }) {
  return (
    <Stack as="fieldset" gap="2" borderStartWidth="2px" ps="3" py="1" aria-label={label}>
      {children}
    </Stack>
  );
}

function ListEditor({ task, root, schema, loc, label, value, setValue, depth, mode }: LiteralProps) {
  const { edit } = useEditorData();
  const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : null;
  const itemSchema = (i: number): unknown => (prefix && i < prefix.length ? prefix[i] : "items" in schema ? schema.items : {});
  const remove = (i: number) =>
    edit((doc) => updateTask(doc, task.id, (t) => ({ ...t, inputs: removeItemAt(t.inputs ?? {}, loc, i) as Record<string, unknown> })));
  const add = () => {
    const s = normaliseSchema(itemSchema(items.length), root);
    const kind = baseType(s, root);
    const empty = kind === "object" ? {} : kind === "array" ? [] : kind === "boolean" ? false : kind === "string" ? "" : null;
    setValue([...items, empty], false);
  };
  return (
    <Nested label={label}>
      {items.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          {value === undefined ? "Not set" : "Empty list"}
        </Text>
      ) : null}
      {items.map((_, i) => (
        <InputField
          key={i}
          task={task}
          root={root}
          schema={itemSchema(i)}
          loc={[...loc, i]}
          label={`${label} #${i + 1}`}
          depth={depth + 1}
          inherited={mode}
          onRemove={prefix ? undefined : () => remove(i)}
        />
      ))}
      {!(prefix && !("items" in schema) && items.length >= prefix.length) ? <AddButton onClick={add}>Add item to {label}</AddButton> : null}
    </Nested>
  );
}

function ObjectEditor({ task, root, schema, loc, label, depth, mode }: LiteralProps) {
  const props = schema.properties as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return (
    <Nested label={label}>
      {Object.entries(props).map(([name, prop]) => (
        <InputField key={name} task={task} root={root} schema={prop} loc={[...loc, name]} label={name} required={required.has(name)} depth={depth + 1} inherited={mode} />
      ))}
    </Nested>
  );
}

/** A boolean input's label: the default shows as the box's state, saying it is the default. */
export function booleanLabel(value: unknown, def: unknown): string {
  if (value === undefined) return typeof def === "boolean" ? `${def ? "Yes" : "No"} (default)` : "Not set";
  return value ? "Yes" : "No";
}
