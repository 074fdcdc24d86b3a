/**
 * Outputs a task declares in its inputs (Domino's `OutputModifierModel` / `output_args`).
 *
 * Mirror of airflow_domino_plugin/workflows/dynamic_outputs.py: the server names the inputs
 * whose items declare outputs (`dynamic_output_inputs` of a piece); each literal item
 * `{name, type, description}` of such an input (or of its default) becomes an output of the
 * task, typed by its `type`. The piece's own output properties win over declared ones.
 */
import { isBinding } from "./bindings";
import { normaliseSchema, type JsonSchema } from "./typeCompat";

export const DECLARED_TYPE_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  string: { type: "string" },
  integer: { type: "integer" },
  float: { type: "number" },
  boolean: { type: "boolean" },
  array: { type: "array" },
};

export interface PieceSchemas {
  input_schema: JsonSchema;
  output_schema: JsonSchema;
  dynamic_output_inputs?: string[];
}

export interface DeclaredOutput {
  name: string;
  type: string;
  description: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The outputs `inputs` declare (an input's default when the task does not set it). */
export function declaredOutputs(piece: PieceSchemas, inputs: Record<string, unknown> | undefined): DeclaredOutput[] {
  const out: DeclaredOutput[] = [];
  const props = isRecord(piece.input_schema.properties) ? piece.input_schema.properties : {};
  for (const field of piece.dynamic_output_inputs ?? []) {
    const given = inputs !== undefined && field in inputs;
    const items = given ? inputs[field] : normaliseSchema(props[field], piece.input_schema).default;
    if (!Array.isArray(items) || isBinding(items)) continue;
    for (const item of items) {
      if (!isRecord(item) || isBinding(item)) continue;
      const { name, type = "string", description } = item;
      if (typeof name !== "string" || name === "") continue;
      out.push({ name, type: typeof type === "string" ? type : "", description: typeof description === "string" ? description : "" });
    }
  }
  return out;
}

/** The task's output schema: the piece's, with the declared outputs added to `properties`. */
export function taskOutputSchema(piece: PieceSchemas, inputs: Record<string, unknown> | undefined): JsonSchema {
  const declared = declaredOutputs(piece, inputs);
  if (declared.length === 0) return piece.output_schema;
  const properties: Record<string, unknown> = {};
  for (const d of declared) {
    properties[d.name] = { ...(DECLARED_TYPE_SCHEMAS[d.type] ?? {}), ...(d.description ? { description: d.description } : {}) };
  }
  const own = isRecord(piece.output_schema.properties) ? piece.output_schema.properties : {};
  return { ...piece.output_schema, properties: { ...properties, ...own } };
}

/** Output names of a task, in schema order (the piece's own, then declared ones). */
export function outputNames(piece: PieceSchemas, inputs: Record<string, unknown> | undefined): string[] {
  const schema = taskOutputSchema(piece, inputs);
  const own = Object.keys(isRecord(piece.output_schema.properties) ? piece.output_schema.properties : {});
  const all = Object.keys(isRecord(schema.properties) ? schema.properties : {});
  return [...own, ...all.filter((n) => !own.includes(n))];
}
