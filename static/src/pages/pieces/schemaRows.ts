import type { JsonSchema } from "../../api/repositories";

/** One documented field of a piece's input, output or secrets schema. */
export interface SchemaRow {
  name: string;
  type: string;
  required: boolean;
  /** JSON of the default, or null when there is none. */
  default: string | null;
  description: string;
  /** Input fields only: "always" / "never" / "allowed". */
  fromUpstream?: string;
  enumValues?: string[];
}

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return schema;
  const defs = asSchema(root[match[1] as string]);
  return { ...asSchema(defs[match[2] as string]), ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$ref")) };
}

/** "string", "list of integer", "integer | null", "object (Header)", "'GET' | 'POST'". */
export function describeType(raw: unknown, root: Schema = {}): string {
  const schema = resolve(asSchema(raw), root);
  const refName = typeof asSchema(raw).$ref === "string" ? String(asSchema(raw).$ref).split("/").pop() : undefined;
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return options.map((option) => describeType(option, root)).join(" | ");
  }
  if (Array.isArray(schema.enum)) return `enum: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if ("const" in schema) return JSON.stringify(schema.const);
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" | ");
  if (type === "array") return `list of ${describeType(schema.items ?? {}, root)}`;
  if (type === "object" || schema.properties) return refName ? `object (${refName})` : "object";
  if (typeof type === "string") return typeof schema.format === "string" ? `${type} (${schema.format})` : type;
  return refName ?? "any";
}

/** The top-level fields of a (pydantic-generated) JSON schema, in declaration order. */
export function schemaRows(schema: JsonSchema | null | undefined): SchemaRow[] {
  const root = asSchema(schema);
  const properties = asSchema(root.properties);
  const required = new Set(Array.isArray(root.required) ? root.required.map(String) : []);
  return Object.entries(properties).map(([name, raw]) => {
    const field = resolve(asSchema(raw), root);
    const enumSource = Array.isArray(field.enum) ? field.enum : undefined;
    return {
      name,
      type: describeType(raw, root),
      required: required.has(name),
      default: "default" in field ? JSON.stringify(field.default) : null,
      description: typeof field.description === "string" ? field.description : typeof field.title === "string" && field.title !== name ? field.title : "",
      fromUpstream: typeof field.from_upstream === "string" ? field.from_upstream : undefined,
      enumValues: enumSource?.map((v) => JSON.stringify(v)),
    };
  });
}
