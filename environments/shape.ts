/**
 * Checks an environment object against its schema and turns the first problem into one ConfigError line:
 * an unknown key names the closest known one (`systems.tvmazeIngeston`: did you mean "tvmazeIngestion"?), a wrong
 * type says what was expected. Unknown keys are reported before missing ones, since a misspelling causes both.
 */
import { z } from "zod";
import { fail } from "../modules/core/errors";

type Path = readonly PropertyKey[];

/** Levenshtein distance, for suggesting the closest known key. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** The known key closest to `key` (case-insensitive edit distance), or undefined when none is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || distance < best.distance) best = { key: k, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** The keys the schema allows for the object at `path` of `value`. */
function knownKeys(schema: z.ZodType, path: Path, value: unknown): string[] {
  let s: z.ZodType = schema;
  let v = value;
  for (const step of [...path, undefined]) {
    while (s instanceof z.ZodOptional || s instanceof z.ZodReadonly) s = s.unwrap() as z.ZodType;
    if (s instanceof z.ZodDiscriminatedUnion) {
      const options = s.options as z.ZodObject[];
      const discriminator = (s.def as { discriminator: string }).discriminator;
      const tag = (v as Record<string, unknown> | undefined)?.[discriminator];
      s = options.find((o) => (o.shape[discriminator] as z.ZodLiteral | undefined)?.values.has(tag as never)) ?? options[0];
    }
    if (step === undefined) break;
    if (s instanceof z.ZodObject) s = s.shape[String(step)] as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return [];
    v = (v as Record<PropertyKey, unknown> | undefined)?.[step];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], value);
}

function setting(path: Path): string {
  return path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "");
}

/** Parses `value` with `schema`, or fails with one line naming `where`, the setting and what is allowed. */
export function checkShape<S extends z.ZodType>(where: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  if (unknown && unknown.code === "unrecognized_keys") {
    const key = unknown.keys[0];
    const known = knownKeys(schema, unknown.path, value);
    const near = closestKey(key, known);
    const hint = near ? `did you mean "${near}"?` : `expected one of ${known.join(", ")}`;
    fail(where, setting([...unknown.path, key]), at(value, [...unknown.path, key]), `unknown key; ${hint}`);
  }
  const first = issues[0];
  const message = first.message.replace(/^Invalid input: /, "");
  fail(where, setting(first.path), at(value, first.path), message.charAt(0).toLowerCase() + message.slice(1));
}
