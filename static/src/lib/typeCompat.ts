/**
 * Can a value of JSON schema A always be used where JSON schema B is expected?
 *
 * A line-by-line mirror of `airflow_domino_plugin/workflows/type_compat.py` (read its docstring
 * for the rules). The editor offers a run parameter or an upstream output for an input only when
 * `incompatibility` says null; saving re-checks on the server with the same rules. The test
 * suite replays cases computed by the Python module (`src/lib/fixtures/typeCompat.json`, made by
 * `static/scripts/gen_type_compat_fixture.py`), so the two cannot drift apart unnoticed.
 */

export type JsonSchema = Record<string, unknown>;
export type Loc = readonly (string | number)[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Python's `repr` of a JSON value, so reasons read exactly as the server's. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isObject(value)) return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return JSON.stringify(value) ?? "None";
}

/** JSON equality with Python semantics (1 == 1.0, true != 1). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Follow local `$ref` chains (`#/$defs/X`); unknown or remote refs become `{}`. */
export function resolveRef(schema: unknown, root: JsonSchema): JsonSchema {
  const seen = new Set<string>();
  let current: unknown = schema;
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref) || !ref.startsWith("#")) return {};
    seen.add(ref);
    let target: unknown = root;
    for (const raw of ref.slice(1).split("/").slice(1)) {
      const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (isObject(target) && part in target) target = target[part];
      else return {};
    }
    const siblings = Object.fromEntries(Object.entries(current).filter(([k]) => k !== "$ref"));
    current = isObject(target) ? { ...target, ...siblings } : {};
  }
  if (current === true || current === null || current === undefined) return {};
  if (current === false) return { not: {} };
  return isObject(current) ? current : {};
}

/** Resolve `$ref` and fold `allOf` wrappers (Pydantic emits `allOf: [{$ref}]`). */
export function normaliseSchema(schema: unknown, root: JsonSchema): JsonSchema {
  let current = resolveRef(schema, root);
  for (let i = 0; i < 10; i++) {
    const allOf = current.allOf;
    if (!Array.isArray(allOf)) break;
    const merged: JsonSchema = Object.fromEntries(Object.entries(current).filter(([k]) => k !== "allOf"));
    for (const part of allOf) {
      const partSchema = resolveRef(part, root);
      for (const [key, value] of Object.entries(partSchema)) {
        if (key === "required" && "required" in merged) {
          merged.required = [...(merged.required as unknown[]), ...(value as unknown[])];
        } else if (key === "properties" && "properties" in merged) {
          merged.properties = { ...(merged.properties as object), ...(value as object) };
        } else if (!(key in merged)) {
          merged[key] = value;
        }
      }
    }
    current = merged;
  }
  return current;
}

/** The alternatives of a union schema (`anyOf`/`oneOf`/type list), flattened; else null. */
export function branches(schema: unknown, root: JsonSchema): JsonSchema[] | null {
  const node = normaliseSchema(schema, root);
  for (const key of ["anyOf", "oneOf"]) {
    const alternatives = node[key];
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      const rest = Object.fromEntries(Object.entries(node).filter(([k]) => k !== key && k !== "discriminator"));
      const out: JsonSchema[] = [];
      for (const alternative of alternatives) {
        const merged = { ...rest, ...normaliseSchema(alternative, root) };
        out.push(...(branches(merged, root) ?? [merged]));
      }
      return out;
    }
  }
  const kinds = node.type;
  if (Array.isArray(kinds)) return kinds.map((kind) => ({ ...node, type: kind as unknown }));
  return null;
}

export function valueType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "array";
  return "object";
}

function allowedValues(node: JsonSchema): unknown[] | null {
  if ("const" in node) return [node.const];
  return Array.isArray(node.enum) ? [...(node.enum as unknown[])] : null;
}

/** The single JSON type of a non-union schema, null when unconstrained or a union. */
export function baseType(schema: unknown, root: JsonSchema): string | null {
  const node = normaliseSchema(schema, root);
  if (typeof node.type === "string") return node.type;
  const values = allowedValues(node);
  if (values && values.length > 0) {
    const kinds = new Set(values.map(valueType));
    if (kinds.size === 2 && kinds.has("integer") && kinds.has("number")) return "number";
    return kinds.size === 1 ? [...kinds][0]! : null;
  }
  if (["properties", "additionalProperties", "required", "patternProperties"].some((k) => k in node)) return "object";
  if (["items", "prefixItems"].some((k) => k in node)) return "array";
  return null;
}

/** True for schemas that accept any value (`{}`, `true`, only annotations). */
export function isUnconstrained(schema: unknown, root: JsonSchema): boolean {
  const node = normaliseSchema(schema, root);
  return branches(node, root) === null && baseType(node, root) === null && !("not" in node);
}

function grouped(text: string): string {
  return text.includes(" or ") ? `(${text})` : text;
}

/** A short English name of a schema's type: `array of integer`, `string or null`... */
export function describeType(schema: unknown, root?: JsonSchema, depth = 2): string {
  const theRoot = root ?? (isObject(schema) ? schema : {});
  const node = normaliseSchema(schema, theRoot);
  const alternatives = branches(node, theRoot);
  if (alternatives !== null) {
    let names: string[] = [];
    for (const alternative of alternatives) {
      const name = describeType(alternative, theRoot, depth);
      if (!names.includes(name)) names.push(name);
    }
    if (names.includes("null") && names.length > 1) names = [...names.filter((n) => n !== "null"), "null"];
    return names.join(" or ");
  }
  const values = allowedValues(node);
  if (values !== null) {
    const shown = values.slice(0, 6).map(pyRepr).join(", ") + (values.length > 6 ? ", ..." : "");
    return values.length !== 1 ? `one of ${shown}` : `the constant ${shown}`;
  }
  const kind = baseType(node, theRoot);
  if (kind === null) return "any value";
  if (kind === "array") {
    if (depth <= 0) return "array";
    const prefix = node.prefixItems;
    if (Array.isArray(prefix)) return `array [${prefix.map((p) => describeType(p, theRoot, depth - 1)).join(", ")}]`;
    const items = node.items;
    if (items === undefined || isUnconstrained(items, theRoot)) return "array";
    return `array of ${grouped(describeType(items, theRoot, depth - 1))}`;
  }
  if (kind === "object") {
    const props = node.properties;
    if (isObject(props) && Object.keys(props).length > 0) {
      const title = node.title;
      if (typeof title === "string" && title) return `object ${title}`;
      const names = Object.keys(props);
      return `object {${names.slice(0, 6).join(", ")}${names.length > 6 ? ", ..." : ""}}`;
    }
    const extra = node.additionalProperties;
    if (isObject(extra) && !isUnconstrained(extra, theRoot) && depth > 0) {
      return `object of ${grouped(describeType(extra, theRoot, depth - 1))}`;
    }
    return "object";
  }
  return kind;
}

/**
 * Why a `source` value may not fit `target`, or null when it always does. Each schema is
 * resolved against its own root (default: itself): an upstream output and an input come from
 * different pieces with different `$defs`.
 */
export function incompatibility(
  source: unknown,
  target: unknown,
  options: { sourceRoot?: JsonSchema; targetRoot?: JsonSchema } = {},
): string | null {
  const checker = new Checker(
    options.sourceRoot ?? (isObject(source) ? source : {}),
    options.targetRoot ?? (isObject(target) ? target : {}),
  );
  return checker.check(source, target);
}

export function isCompatible(
  source: unknown,
  target: unknown,
  options: { sourceRoot?: JsonSchema; targetRoot?: JsonSchema } = {},
): boolean {
  return incompatibility(source, target, options) === null;
}

/** True when `null` is a valid value of `schema` (unconstrained schemas accept it). */
export function acceptsNull(schema: unknown, root?: JsonSchema): boolean {
  return incompatibility({ type: "null" }, schema, { targetRoot: root ?? (isObject(schema) ? schema : {}) }) === null;
}

/**
 * Mirror of type_compat.nullable_warning (rule 8): the warning for a `source` that fits `target`
 * only when it is not null — allowed, with this warning — else null (compatible outright, or
 * incompatible for another reason).
 */
export function nullableWarning(
  source: unknown,
  target: unknown,
  options: { sourceRoot?: JsonSchema; targetRoot?: JsonSchema } = {},
): string | null {
  const sourceRoot = options.sourceRoot ?? (isObject(source) ? source : {});
  const targetRoot = options.targetRoot ?? (isObject(target) ? target : {});
  const alternatives = branches(source, sourceRoot);
  if (alternatives === null || acceptsNull(target, targetRoot)) return null;
  const nonNull = alternatives.filter((b) => baseType(b, sourceRoot) !== "null");
  if (nonNull.length === alternatives.length || nonNull.length === 0) return null;
  const rest: JsonSchema = nonNull.length === 1 ? nonNull[0]! : { anyOf: nonNull };
  if (incompatibility(rest, target, { sourceRoot, targetRoot }) !== null) return null;
  return `the value may be null, and ${describeType(target, targetRoot)} does not accept null`;
}

/**
 * The schema that applies at `loc` inside a value of `schema`; null if no such place. Unions
 * are kept as `anyOf` of the branches where the location exists.
 */
export function subschemaAt(schema: unknown, loc: Loc, root?: JsonSchema): JsonSchema | null {
  const theRoot = root ?? (isObject(schema) ? schema : {});
  const node = normaliseSchema(schema, theRoot);
  if (loc.length === 0) return node;
  const alternatives = branches(node, theRoot);
  if (alternatives !== null) {
    const found = alternatives.map((b) => subschemaAt(b, loc, theRoot)).filter((s): s is JsonSchema => s !== null);
    if (found.length === 0) return null;
    return found.length === 1 ? found[0]! : { anyOf: found };
  }
  const [head, ...rest] = loc;
  const kind = baseType(node, theRoot);
  if (kind === null) return {};
  if (typeof head === "number") {
    if (kind !== "array") return null;
    const prefix = node.prefixItems;
    let child: unknown;
    if (Array.isArray(prefix)) {
      if (head < prefix.length) return subschemaAt(prefix[head], rest, theRoot);
      child = "items" in node ? node.items : false;
    } else {
      child = "items" in node ? node.items : {};
    }
    return child === false ? null : subschemaAt(child, rest, theRoot);
  }
  if (kind !== "object") return null;
  const props = isObject(node.properties) ? node.properties : {};
  if (head !== undefined && head in props) return subschemaAt(props[head], rest, theRoot);
  const extra = "additionalProperties" in node ? node.additionalProperties : {};
  if (extra === false) return null;
  return subschemaAt(extra, rest, theRoot);
}

function refOf(schema: unknown): string {
  return isObject(schema) && typeof schema.$ref === "string" ? schema.$ref : "";
}

class Checker {
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly sourceRoot: JsonSchema,
    private readonly targetRoot: JsonSchema,
  ) {}

  check(source: unknown, target: unknown): string | null {
    const s = refOf(source);
    const t = refOf(target);
    const key = s && t ? `${s}\u0000${t}` : "";
    if (key) {
      if (this.inProgress.has(key)) return null;
      this.inProgress.add(key);
    }
    try {
      return this.checkNormalised(normaliseSchema(source, this.sourceRoot), normaliseSchema(target, this.targetRoot));
    } finally {
      if (key) this.inProgress.delete(key);
    }
  }

  private describeS(schema: unknown): string {
    return describeType(schema, this.sourceRoot);
  }

  private describeT(schema: unknown): string {
    return describeType(schema, this.targetRoot);
  }

  private checkNormalised(source: JsonSchema, target: JsonSchema): string | null {
    if (isUnconstrained(target, this.targetRoot) || isUnconstrained(source, this.sourceRoot)) return null;
    const sourceBranches = branches(source, this.sourceRoot);
    if (sourceBranches !== null) {
      for (const branch of sourceBranches) {
        const reason = this.check(branch, target);
        if (reason !== null) {
          if (baseType(branch, this.sourceRoot) === "null") {
            return `the value may be null, but ${this.describeT(target)} does not accept null`;
          }
          return reason;
        }
      }
      return null;
    }
    const targetBranches = branches(target, this.targetRoot);
    if (targetBranches !== null) {
      const reasons = targetBranches.map((branch) => this.check(source, branch));
      if (reasons.some((reason) => reason === null)) return null;
      const kind = baseType(source, this.sourceRoot);
      const sameKind = reasons.filter((_, i) => baseType(targetBranches[i], this.targetRoot) === kind);
      if (sameKind.length === 1 && sameKind[0] !== null && sameKind[0] !== undefined) return sameKind[0];
      return `${this.describeS(source)} does not fit ${this.describeT(target)}`;
    }
    return this.checkSingle(source, target);
  }

  private checkSingle(source: JsonSchema, target: JsonSchema): string | null {
    const sourceKind = baseType(source, this.sourceRoot);
    const targetKind = baseType(target, this.targetRoot);
    if (sourceKind === null || targetKind === null) return null;
    const mismatch = `${this.describeS(source)} does not fit ${this.describeT(target)}`;
    if (sourceKind !== targetKind && !(sourceKind === "integer" && targetKind === "number")) return mismatch;
    const targetValues = allowedValues(target);
    const sourceValues = allowedValues(source);
    if (targetValues !== null && sourceValues !== null) {
      const extra = sourceValues.filter((v) => !targetValues.some((t) => jsonEqual(v, t)));
      if (extra.length > 0) {
        return `value(s) ${extra.map(pyRepr).join(", ")} are not among the allowed ${pyRepr(targetValues)}`;
      }
    }
    if (sourceKind === "array") return this.checkArray(source, target);
    if (sourceKind === "object") return this.checkObject(source, target);
    return null;
  }

  private checkArray(source: JsonSchema, target: JsonSchema): string | null {
    const sourcePrefix = source.prefixItems;
    const targetPrefix = target.prefixItems;
    if (Array.isArray(targetPrefix)) {
      if (!Array.isArray(sourcePrefix)) return `a list of any length does not fit the fixed-length ${this.describeT(target)}`;
      if (sourcePrefix.length !== targetPrefix.length) {
        return `a list of ${sourcePrefix.length} item(s) does not fit one of ${targetPrefix.length}`;
      }
      for (let i = 0; i < sourcePrefix.length; i++) {
        const reason = this.check(sourcePrefix[i], targetPrefix[i]);
        if (reason) return `item ${i}: ${reason}`;
      }
      return null;
    }
    const targetItems = "items" in target ? target.items : {};
    if (Array.isArray(sourcePrefix)) {
      for (let i = 0; i < sourcePrefix.length; i++) {
        const reason = this.check(sourcePrefix[i], targetItems);
        if (reason) return `item ${i}: ${reason}`;
      }
      return null;
    }
    const reason = this.check("items" in source ? source.items : {}, targetItems);
    return reason ? `items: ${reason}` : null;
  }

  private checkObject(source: JsonSchema, target: JsonSchema): string | null {
    const sourceProps = isObject(source.properties) ? source.properties : {};
    const targetProps = isObject(target.properties) ? target.properties : {};
    const targetRequired = Array.isArray(target.required) ? target.required.filter((n): n is string => typeof n === "string") : [];
    const targetExtra = "additionalProperties" in target ? target.additionalProperties : true;
    const sourceExtra = "additionalProperties" in source ? source.additionalProperties : true;
    if (Object.keys(sourceProps).length === 0) {
      if (!isObject(sourceExtra) || isUnconstrained(sourceExtra, this.sourceRoot)) return null;
      if (targetRequired.length > 0) return `a dictionary may lack required property \`${targetRequired[0]}\``;
      if (isObject(targetExtra)) {
        const reason = this.check(sourceExtra, targetExtra);
        if (reason) return `values: ${reason}`;
      }
      for (const [name, prop] of Object.entries(targetProps)) {
        const reason = this.check(sourceExtra, prop);
        if (reason) return `property \`${name}\`: ${reason}`;
      }
      return null;
    }
    for (const name of targetRequired) {
      if (!(name in sourceProps)) return `required property \`${name}\` is missing`;
    }
    for (const [name, prop] of Object.entries(sourceProps)) {
      let reason: string | null;
      if (name in targetProps) reason = this.check(prop, targetProps[name]);
      else if (targetExtra === false) reason = "is not accepted by the input (no extra properties allowed)";
      else if (isObject(targetExtra)) reason = this.check(prop, targetExtra);
      else reason = null;
      if (reason) return `property \`${name}\`: ${reason}`;
    }
    return null;
  }
}
