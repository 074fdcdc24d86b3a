/** How a JSON value is laid out for reading: key/value rows, a table, a list or a scalar. */
export type Shape =
  | { kind: "scalar"; text: string; type: "string" | "number" | "boolean" | "null" }
  | { kind: "text"; text: string }
  | { kind: "record"; entries: [string, unknown][] }
  | { kind: "table"; columns: string[]; rows: Record<string, unknown>[]; omitted: number }
  | { kind: "list"; items: unknown[] }
  | { kind: "empty"; text: string };

export const MAX_TABLE_ROWS = 500;
const MAX_COLUMNS = 40;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Columns of an array of objects in first-seen order; null when it is not one. */
export function tableColumns(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject)) return null;
  const columns = new Set<string>();
  for (const row of value) for (const key of Object.keys(row)) columns.add(key);
  return columns.size > 0 ? [...columns].slice(0, MAX_COLUMNS) : null;
}

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: "scalar", text: "null", type: "null" };
  if (typeof value === "string") return value.includes("\n") ? { kind: "text", text: value } : { kind: "scalar", text: value, type: "string" };
  if (typeof value === "number" || typeof value === "bigint") return { kind: "scalar", text: String(value), type: "number" };
  if (typeof value === "boolean") return { kind: "scalar", text: value ? "true" : "false", type: "boolean" };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "empty", text: "empty list" };
    const columns = tableColumns(value);
    if (columns) {
      return { kind: "table", columns, rows: (value as Record<string, unknown>[]).slice(0, MAX_TABLE_ROWS), omitted: Math.max(0, value.length - MAX_TABLE_ROWS) };
    }
    return { kind: "list", items: value };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? { kind: "empty", text: "empty object" } : { kind: "record", entries };
  }
  return { kind: "scalar", text: JSON.stringify(value) ?? "", type: "string" };
}

/** A table cell: scalars as text, anything nested as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/** Whether every item of a list is a short scalar, so it reads well on one line. */
export function isInlineList(items: unknown[]): boolean {
  return items.length <= 20 && items.every((item) => item === null || ((typeof item === "string" || typeof item === "number" || typeof item === "boolean") && String(item).length <= 40));
}
