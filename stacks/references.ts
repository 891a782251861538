/**
 * References inside synthesized Terraform JSON: which resources and data sources a value points at.
 * Used by BaseStack (a stack may only reference its own resources) and by the emulator tier (what depends on a
 * resource the emulator cannot create). Plain data in, plain data out: no cdktf here.
 */

/** Terraform's own namespaces, which look like `<type>.<name>` but are not resources. */
const TERRAFORM_PREFIXES = new Set(["var", "local", "each", "count", "path", "self", "module", "terraform"]);

/** `aws_s3_bucket.Logs` or `data.aws_region.Current`, not preceded by a word character or a dot. */
const ADDRESS = /(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * Every `(data.)<type>.<name>` a synthesized value refers to: inside `${...}` expressions (from the first `${` of a
 * string on) and in `depends_on` lists. cdktf's `//` metadata is skipped.
 */
export function referencedAddresses(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    const start = value.indexOf("${");
    if (start < 0) return into;
    const text = start === 0 ? value : value.slice(start);
    ADDRESS.lastIndex = 0;
    for (let m = ADDRESS.exec(text); m !== null; m = ADDRESS.exec(text)) if (m[1] !== undefined || !TERRAFORM_PREFIXES.has(m[2])) into.add(m[0]);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedAddresses(v, into);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === "//") continue;
      const v = record[key];
      if (key === "depends_on" && Array.isArray(v)) {
        for (const d of v) if (typeof d === "string") into.add(d);
      } else {
        referencedAddresses(v, into);
      }
    }
  }
  return into;
}

type SynthesizedStack = Record<string, Record<string, Record<string, unknown>> | undefined>;

/** Every resource and data-source address a synthesized stack declares. */
export function declaredAddresses(tf: SynthesizedStack): Set<string> {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(byName as object)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tf.data ?? {})) for (const name of Object.keys(byName as object)) declared.add(`data.${type}.${name}`);
  return declared;
}

/**
 * Resource and data-source addresses a synthesized stack refers to without declaring them, for the providers the
 * stack configures (a reference into another stack would be one).
 */
export function undeclaredReferences(tf: SynthesizedStack): string[] {
  const declared = declaredAddresses(tf);
  const providers = Object.keys(tf.provider ?? {});
  const ours = (address: string) => providers.some((p) => address.replace(/^data\./, "").startsWith(`${p}_`));
  return [...referencedAddresses([tf.resource, tf.data, tf.output, tf.locals])].filter((a) => ours(a) && !declared.has(a)).sort();
}
