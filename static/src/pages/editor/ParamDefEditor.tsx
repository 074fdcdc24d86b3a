/**
 * One Airflow Param definition: a workflow's run parameter (Settings) or a field of an input step's form
 * (StepSection); both are the server's `RunParam`. Name, type, label, default, allowed values, bounds,
 * item type and description, each checked against the type while typed.
 */
import { Box, Field, HStack, IconButton, Input, NativeSelect, Stack } from "@chakra-ui/react";
import { useState } from "react";
import { formatLoc, issuesAt, type Segment, type TaskIssue } from "../../lib/validationPaths";
import { PARAM_TYPES, type ParamDef, type ParamType } from "../../lib/workflowDoc";
import { useEditorData } from "./EditorContext";
import { FieldErrors } from "./FieldErrors";
import { ChoiceSelect, ParamTypeSelect } from "./ParamTypeSelect";

const ITEM_TYPES = PARAM_TYPES.filter((t) => t !== "array");

/** The server's pattern for a parameter / field name. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** `text` as a value of `type` (JSON except for strings), or why not. */
export function parseParamValue(text: string, type: ParamType): { ok: true; value: unknown } | { ok: false; error: string } {
  if (type === "string") return { ok: true, value: text };
  const refused = { ok: false as const, error: `Not a valid ${type}: write it as JSON${type === "integer" || type === "number" ? ", e.g. 3" : type === "array" ? ", e.g. [1, 2]" : type === "object" ? ', e.g. {"a": 1}' : ""}.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused;
  }
  const fits =
    type === "integer"
      ? Number.isInteger(value)
      : type === "number"
        ? typeof value === "number"
        : type === "boolean"
          ? typeof value === "boolean"
          : type === "array"
            ? Array.isArray(value)
            : typeof value === "object" && value !== null && !Array.isArray(value);
  return fits ? { ok: true, value } : refused;
}

/** `def` with `patch` applied; keys set to undefined or null are removed. */
export function patchParam(def: ParamDef, patch: Partial<ParamDef>): ParamDef {
  const next = { ...def, ...patch } as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v === undefined || v === null) delete next[k];
  return next as unknown as ParamDef;
}

const shown = (v: unknown, type: ParamType) => (type === "string" && typeof v === "string" ? v : JSON.stringify(v));

interface ParamDefEditorProps {
  /** "parameter" or "field": how the labels name it ("Default of field x"). */
  noun: string;
  name: string;
  def: ParamDef;
  /** Where the definition is in the server's messages (["params", name], ["approval", "fields", name]). */
  loc: readonly Segment[];
  /** The server's messages about it (at or under `loc`). */
  issues: readonly TaskIssue[];
  /** What an empty default means (shown as a placeholder). */
  noDefault: string;
  onChange: (def: ParamDef, mergeKey: string) => void;
  onRename: (to: string) => void;
  onRemove: () => void;
}

export function ParamDefEditor({ noun, name, def, loc, issues, noDefault, onChange, onRename, onRemove }: ParamDefEditorProps) {
  const { readOnly } = useEditorData();
  const [nameDraft, setNameDraft] = useState<string | null>(null);
  const [defaultDraft, setDefaultDraft] = useState<string | null>(null);
  const [enumDraft, setEnumDraft] = useState<string | null>(null);
  const label = (what: string) => `${what} of ${noun} ${name}`;
  const update = (patch: Partial<ParamDef>, key: string) => onChange(patchParam(def, patch), key);
  const badName = nameDraft !== null && !PARAM_NAME.test(nameDraft);
  const rename = () => {
    if (nameDraft !== null && !badName && nameDraft !== name) onRename(nameDraft);
    setNameDraft(null);
  };
  const parsedDefault = defaultDraft === null || defaultDraft === "" ? null : parseParamValue(defaultDraft, def.type);
  const enumParts = enumDraft === null ? [] : enumDraft.split(",").map((p) => p.trim()).filter(Boolean);
  const enumValues = enumParts.map((p) => parseParamValue(p, def.type));
  const enumBad = enumValues.find((v) => !v.ok);
  const numeric = def.type === "integer" || def.type === "number";
  const at = (...rest: Segment[]) => issuesAt(issues, [...loc, ...rest]);
  const setting = (...rest: Segment[]) => formatLoc([...loc, ...rest]);
  return (
    <Box borderWidth="1px" rounded="md" p="2" role="group" aria-label={`${noun[0]!.toUpperCase()}${noun.slice(1)} ${name}`} data-testid={`param-${name}`}>
      <Stack gap="1.5">
        <HStack w="full" gap="1" align="start">
          <Field.Root flex="1" invalid={badName || at().length > 0} data-setting={setting()}>
            <Input
              size="sm"
              fontFamily="mono"
              aria-label={label("Name")}
              title={badName ? "A letter or _, then letters, digits or _." : undefined}
              value={nameDraft ?? name}
              readOnly={readOnly}
              onChange={(e) => setNameDraft(e.currentTarget.value)}
              onBlur={rename}
              onKeyDown={(e) => {
                if (e.key === "Enter") e.currentTarget.blur();
              }}
            />
          </Field.Root>
          <ParamTypeSelect
            label={label("Type")}
            value={def.type}
            width="32"
            disabled={readOnly}
            onChange={(type) => update({ type, default: undefined, enum: undefined, minimum: undefined, maximum: undefined, items: undefined }, "type")}
          />
          {!readOnly ? (
            <IconButton size="xs" variant="ghost" aria-label={`Remove ${noun} ${name}`} onClick={onRemove}>
              ✕
            </IconButton>
          ) : null}
        </HStack>
        <Input size="sm" aria-label={label("Label")} placeholder="Label shown (optional)" value={def.title ?? ""} readOnly={readOnly} onChange={(e) => update({ title: e.currentTarget.value || undefined }, "title")} />
        <Field.Root invalid={parsedDefault?.ok === false || at("default").length > 0} data-setting={setting("default")}>
          {def.type === "boolean" ? (
            <NativeSelect.Root size="sm" disabled={readOnly}>
              <NativeSelect.Field aria-label={label("Default")} value={def.default === true ? "true" : def.default === false ? "false" : ""} onChange={(e) => update({ default: e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true" }, "default")}>
                <option value="">{noDefault}</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          ) : (
            <Input
              size="sm"
              aria-label={label("Default")}
              value={defaultDraft ?? (def.default === undefined ? "" : shown(def.default, def.type))}
              placeholder={def.type === "string" ? noDefault : `Default as JSON, e.g. ${def.type === "array" ? "[1, 2]" : def.type === "object" ? '{"a": 1}' : "3"}`}
              readOnly={readOnly}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setDefaultDraft(text);
                if (text === "") update({ default: undefined }, "default");
                else {
                  const parsed = parseParamValue(text, def.type);
                  if (parsed.ok) update({ default: parsed.value }, "default");
                }
              }}
              onBlur={() => setDefaultDraft(null)}
            />
          )}
          {parsedDefault?.ok === false ? <Field.ErrorText>{parsedDefault.error}</Field.ErrorText> : null}
        </Field.Root>
        <HStack align="start" gap="1">
          <Field.Root invalid={enumBad !== undefined || at("enum").length > 0} data-setting={setting("enum")}>
            <Input
              size="sm"
              aria-label={label("Allowed values")}
              placeholder="Allowed values: any (or a comma-separated list)"
              value={enumDraft ?? (def.enum ? def.enum.map((v) => shown(v, def.type)).join(", ") : "")}
              readOnly={readOnly}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setEnumDraft(text);
                const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
                const values = parts.map((p) => parseParamValue(p, def.type));
                if (parts.length === 0) update({ enum: undefined }, "enum");
                else if (values.every((v) => v.ok)) update({ enum: values.map((v) => (v as { value: unknown }).value) }, "enum");
              }}
              onBlur={() => setEnumDraft(null)}
            />
            {enumBad && !enumBad.ok ? <Field.ErrorText>{enumBad.error}</Field.ErrorText> : null}
          </Field.Root>
          {numeric ? (
            <>
              <NumberBound label={label("Minimum")} placeholder="Minimum" value={def.minimum} onChange={(v) => update({ minimum: v }, "minimum")} />
              <NumberBound label={label("Maximum")} placeholder="Maximum" value={def.maximum} onChange={(v) => update({ maximum: v }, "maximum")} />
            </>
          ) : null}
        </HStack>
        {def.type === "array" ? (
          <ChoiceSelect
            label={label("Item type")}
            value={def.items?.type ?? ""}
            choices={ITEM_TYPES}
            empty="Items: any type"
            choiceLabel={(t) => `Items: ${t}`}
            disabled={readOnly}
            onChange={(t) => update({ items: t ? { type: t } : undefined }, "items")}
          />
        ) : null}
        <Input size="sm" aria-label={label("Description")} placeholder="Description (shown in the form)" value={def.description ?? ""} readOnly={readOnly} onChange={(e) => update({ description: e.currentTarget.value || undefined }, "description")} />
        <Field.Root invalid={issues.length > 0}>
          <FieldErrors issues={issues} under={loc} />
        </Field.Root>
      </Stack>
    </Box>
  );
}

function NumberBound({ label, placeholder, value, onChange }: { label: string; placeholder: string; value: number | null | undefined; onChange: (v: number | undefined) => void }) {
  const { readOnly } = useEditorData();
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Input
      size="sm"
      w="30%"
      aria-label={label}
      placeholder={placeholder}
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
  );
}
