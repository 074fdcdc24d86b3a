import type { FieldError } from "../../api/types";
import type { ParamDef } from "../../api/workflowList";

/** What the run form edits: every field as text, booleans as booleans. */
export type FormValues = Record<string, string | boolean>;

export type ParamKind = "enum" | "boolean" | "integer" | "number" | "json" | "string";

export function paramKind(def: ParamDef): ParamKind {
  if (Array.isArray(def.enum) && def.enum.length > 0) return "enum";
  switch (def.type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "array":
    case "object":
      return "json";
    default:
      return "string";
  }
}

function toText(kind: ParamKind, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (kind === "json" || (kind === "enum" && typeof value !== "string")) return JSON.stringify(value, null, kind === "json" ? 2 : undefined);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The form's starting values: each parameter's default, or a given earlier run's values. */
export function initialValues(defs: Record<string, ParamDef>, previous: Record<string, unknown> = {}): FormValues {
  const values: FormValues = {};
  for (const [name, def] of Object.entries(defs)) {
    const kind = paramKind(def);
    const value = name in previous ? previous[name] : def.default;
    values[name] = kind === "boolean" ? value === true : toText(kind, value);
  }
  return values;
}

/** Values of an enum are shown as text; this finds the original (possibly non-string) value. */
function enumValue(def: ParamDef, text: string): unknown {
  return (def.enum ?? []).find((option) => toText("enum", option) === text) ?? text;
}

/**
 * Turns the form into the run's `params`, checking what can be checked here (numbers, JSON,
 * required values); the server checks the rest and answers 422 with `params.<name>` paths.
 */
export function valuesToParams(
  defs: Record<string, ParamDef>,
  values: FormValues,
): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [name, def] of Object.entries(defs)) {
    const kind = paramKind(def);
    const raw = values[name];
    if (kind === "boolean") {
      params[name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      // An empty text field means "the empty string" only for strings that have no default to fall back to.
      if (kind === "string" && def.default === undefined) {
        errors[name] = "A value is required.";
      } else if (kind === "string") {
        params[name] = "";
      } else if (def.default === undefined) {
        errors[name] = "A value is required.";
      }
      continue;
    }
    if (kind === "enum") params[name] = enumValue(def, text);
    else if (kind === "integer" || kind === "number") {
      const number = Number(text.trim());
      if (!Number.isFinite(number)) errors[name] = "Enter a number.";
      else if (kind === "integer" && !Number.isInteger(number)) errors[name] = "Enter a whole number.";
      else if (def.minimum !== undefined && number < def.minimum) errors[name] = `Must be at least ${def.minimum}.`;
      else if (def.maximum !== undefined && number > def.maximum) errors[name] = `Must be at most ${def.maximum}.`;
      else params[name] = number;
    } else if (kind === "json") {
      try {
        const parsed: unknown = JSON.parse(text);
        const isArray = Array.isArray(parsed);
        if (def.type === "array" && !isArray) errors[name] = "Enter a JSON list, e.g. [1, 2].";
        else if (def.type === "object" && (isArray || typeof parsed !== "object" || parsed === null))
          errors[name] = 'Enter a JSON object, e.g. {"key": "value"}.';
        else params[name] = parsed;
      } catch {
        errors[name] = "This is not valid JSON.";
      }
    } else params[name] = text;
  }
  return { params, errors };
}

/**
 * Splits the server's field errors into per-parameter messages (paths `params.<name>` or
 * `conf.<name>`, possibly deeper) and the rest, shown above the form.
 */
export function serverFieldErrors(
  errors: readonly FieldError[],
  names: readonly string[],
): { byField: Record<string, string>; other: FieldError[] } {
  const byField: Record<string, string> = {};
  const other: FieldError[] = [];
  for (const error of errors) {
    const match = /^(?:body\.)?(?:params|conf)[.[]["']?([^.\]["']+)/.exec(error.path);
    const name = match?.[1];
    if (name && names.includes(name)) byField[name] = byField[name] ? `${byField[name]} ${error.message}` : error.message;
    else other.push(error);
  }
  return { byField, other };
}
