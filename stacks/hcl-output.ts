/**
 * Makes `cdktf synth --hcl` write valid HCL. cdktf 0.21's HCL renderer has two gaps these stacks hit:
 *
 * 1. Attributes the provider bindings type as "any" (the WAF rule `statement` tree, which @cdktf/provider-aws skips
 *    to keep the library small) are written as object attributes (`statement = { ... }`), but Terraform's schema
 *    has nested blocks there (`statement { ... }`). Every object inside such a value becomes a block again, and a
 *    list of objects becomes repeated blocks; lists of strings and scalars stay attributes.
 * 2. A string holding both a `${...}` reference and double quotes (a JSON document built with JSON.stringify, like the
 *    Kafka task's container_definitions) is written without escaping its quotes. Quotes and backslashes outside the
 *    interpolations are escaped here, so the renderer's `"..."` becomes a valid HCL template.
 *
 * Only each resource's HCL attributes are touched (`synthesizeHclAttributes`, which cdktf calls for HCL output
 * alone), so JSON output is byte-for-byte unchanged. main.ts calls this when SYNTH_HCL_OUTPUT is set.
 */
import { TerraformResource, TerraformStack } from "cdktf";

/** Attribute names typed "any" in the bindings whose Terraform schema is a tree of nested blocks, per resource type. */
export const BLOCK_TREES: Readonly<Record<string, readonly string[]>> = {
  aws_wafv2_web_acl: ["statement"],
  aws_wafv2_rule_group: ["statement"],
};

interface Attr {
  value?: unknown;
  isBlock?: boolean;
  type?: string;
  storageClassType?: string;
  [key: string]: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An object value as cdktf's renderer metadata for a nested block (a list of objects: repeated blocks). */
export function asBlocks(value: unknown): unknown {
  if (isPlainObject(value)) {
    return { value: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blockChild(v)])), isBlock: true, type: "list", storageClassType: "object" };
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
    return { value: value.map((v) => Object.fromEntries(Object.entries(v).map(([k, c]) => [k, blockChild(c)]))), isBlock: true, type: "list", storageClassType: "object" };
  }
  return value;
}

function blockChild(v: unknown): unknown {
  return isPlainObject(v) || (Array.isArray(v) && v.length > 0 && v.every(isPlainObject)) ? asBlocks(v) : v;
}

/**
 * Escapes `"` and `\` outside `${...}` interpolations (and `%{` as `%%{`), leaving the interpolations as they are.
 * Strings without an interpolation or without a quote are returned unchanged (cdktf escapes those itself), and so
 * are multi-line strings (cdktf writes them as heredocs, where quotes need no escaping).
 */
export function escapeTemplate(text: string): string {
  if (!text.includes("${") || !text.includes('"') || /[\r\n]/.test(text)) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      out += "$${";
      i += 3;
    } else if (text.startsWith("${", i)) {
      const end = interpolationEnd(text, i + 2);
      out += text.slice(i, end);
      i = end;
    } else {
      const c = text[i];
      out += c === '"' ? '\\"' : c === "\\" ? "\\\\" : text.startsWith("%{", i) ? "%%" : c;
      i += 1;
    }
  }
  return out;
}

/** Index just past the `}` closing an interpolation whose body starts at `start` (nested braces and strings aware). */
function interpolationEnd(text: string, start: number): number {
  let depth = 1;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Applies both fixes to one resource's HCL attributes (cdktf renderer metadata), returning new attributes. */
export function fixHclAttributes(resourceType: string, attributes: Record<string, unknown>): Record<string, unknown> {
  const trees = new Set(BLOCK_TREES[resourceType] ?? []);
  const walk = (v: unknown, name?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!isPlainObject(v)) return v;
    if ("value" in v && ("type" in v || "isBlock" in v)) {
      const attr = v as Attr;
      if (name && trees.has(name) && attr.type === "simple" && typeof attr.value === "object" && attr.value !== null) return asBlocks(attr.value);
      if (typeof attr.value === "string") return { ...attr, value: escapeTemplate(attr.value) };
      return { ...attr, value: walk(attr.value) };
    }
    return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, walk(c, k)]));
  };
  return walk(attributes) as Record<string, unknown>;
}

/** Installs the fixes on every resource of the given stacks (HCL output only; JSON output does not call them). */
export function makeHclValid(stacks: readonly TerraformStack[]): number {
  let patched = 0;
  for (const stack of stacks) {
    for (const node of stack.node.findAll()) {
      if (!(node instanceof TerraformResource)) continue;
      const resource = node as TerraformResource & { synthesizeHclAttributes(): Record<string, unknown> };
      const original = resource.synthesizeHclAttributes.bind(resource);
      const type = resource.terraformResourceType;
      resource.synthesizeHclAttributes = () => fixHclAttributes(type, original());
      patched++;
    }
  }
  return patched;
}
