/**
 * `toTerraform()` and `toMetadata()` of a resource or data source, as cdktf 0.21 writes them, without the work whose
 * result it throws away: `terraformMetaArguments` formats the element's construct path into an assertion message on
 * every call, and `keysToSnakeCase` runs four regular expressions over each of six meta-argument names whose snake
 * case never changes. Anything uncommon (provisioners, moves, imports, `count` with `forEach`) goes to cdktf's own
 * method, so the result is always what cdktf would produce.
 */
import { TerraformDataSource, TerraformElement, TerraformResource } from "cdktf";
import * as util from "cdktf/lib/util";
import * as resource from "cdktf/lib/terraform-resource";
import { TerraformCount } from "cdktf/lib/terraform-count";

// cdktf's functions read once: in the bundle every read of an imported name is a getter call (esbuild's CommonJS
// interop), and these run for every element of every stack.
const { deepMerge, keysToSnakeCase, processDynamicAttributes } = util;
const { lifecycleToTerraform } = resource;
const isCount = TerraformCount.isTerraformCount; // static, reads no `this`

/** What cdktf keeps protected or private on resources and data sources, read here as cdktf's own methods read it. */
interface ElementInternals {
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  readonly rawOverrides: Record<string, unknown>;
  readonly constructNodeMetadata: Record<string, unknown>;
  readonly dependsOn?: unknown;
  readonly count?: unknown;
  readonly provider?: { readonly fqn: string };
  readonly lifecycle?: Parameters<typeof lifecycleToTerraform>[0];
  readonly forEach?: { _getForEachExpression(): unknown };
  readonly connection?: unknown;
  readonly provisioners?: unknown;
  readonly _imported?: unknown;
  readonly _movedByTarget?: unknown;
  readonly _movedById?: unknown;
  readonly _hasMoved?: boolean;
  synthesizeAttributes(): Record<string, unknown>;
}

const resourceToTerraform = TerraformResource.prototype.toTerraform;
const resourceToMetadata = TerraformResource.prototype.toMetadata;
const dataSourceToTerraform = TerraformDataSource.prototype.toTerraform;

/** cdktf's meta-argument names in the order its getters list them, with their snake case. */
const META_KEYS: readonly (readonly [string, string])[] = [
  ["dependsOn", "depends_on"],
  ["count", "count"],
  ["provider", "provider"],
  ["lifecycle", "lifecycle"],
  ["forEach", "for_each"],
  ["connection", "connection"],
];

/** keysToSnakeCase(meta) for these fixed keys: each value converted exactly as keysToSnakeCase converts a value. */
function snakeMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, snake] of META_KEYS) {
    if (!(key in meta)) continue;
    let value = meta[key];
    if (typeof value === "object") value = keysToSnakeCase(value);
    if (Array.isArray(value)) value = value.map((x: unknown) => (typeof x === "object" ? keysToSnakeCase(x) : x));
    out[snake] = value;
  }
  return out;
}

function metaArguments(e: ElementInternals, withConnection: boolean): Record<string, unknown> {
  return {
    dependsOn: e.dependsOn,
    count: isCount(e.count) ? e.count.toTerraform() : e.count,
    provider: e.provider?.fqn,
    lifecycle: lifecycleToTerraform(e.lifecycle),
    forEach: e.forEach?._getForEachExpression(),
    ...(withConnection ? { connection: e.connection } : {}),
  };
}

/** The common case, where cdktf's result depends only on the attributes, the meta arguments and the overrides. */
function isPlain(e: ElementInternals): boolean {
  return !(e.forEach && e.count !== undefined) && e.provisioners === undefined && !e._imported && !e._movedByTarget && !e._movedById && !e._hasMoved;
}

/** A plain resource's or data source's block in the stack's JSON: `<block>.<type>.<name>` holds the attributes. */
export interface ElementBlock {
  readonly block: "resource" | "data";
  readonly type: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/** The block `element.toTerraform()` consists of, for a plain resource or data source; undefined for anything else. */
export function elementBlock(element: TerraformElement): ElementBlock | undefined {
  const e = element as unknown as ElementInternals;
  if (element.toTerraform === resourceToTerraform && isPlain(e)) {
    const attributes = deepMerge(processDynamicAttributes(e.synthesizeAttributes()), snakeMeta(metaArguments(e, true)));
    delete attributes.provisioner; // cdktf merges { provisioner: undefined }, which deletes the key
    deepMerge(attributes, e.rawOverrides);
    attributes["//"] = { ...(attributes["//"] ?? {}), ...e.constructNodeMetadata };
    return { block: "resource", type: e.terraformResourceType, name: e.friendlyUniqueId, attributes };
  }
  if (element.toTerraform === dataSourceToTerraform && !(e.forEach && e.count !== undefined)) {
    const attributes = deepMerge(processDynamicAttributes(e.synthesizeAttributes()), snakeMeta(metaArguments(e, false)), e.rawOverrides);
    attributes["//"] = e.constructNodeMetadata;
    return { block: "data", type: e.terraformResourceType, name: e.friendlyUniqueId, attributes };
  }
  return undefined;
}

/** What `element.toTerraform()` returns for a block. */
export function blockToTerraform(b: ElementBlock): unknown {
  const body = { [b.type]: { [b.name]: b.attributes } };
  return b.block === "resource" ? { resource: body, moved: undefined, import: undefined } : { data: body };
}

/**
 * `element.toMetadata()`, or undefined where it would resolve to nothing: a plain resource without overrides reports
 * `{ overrides: undefined, imports: undefined, moved: undefined }`, which resolves to `{}` and merges as nothing.
 */
export function elementMetadata(element: TerraformElement): unknown {
  const e = element as unknown as ElementInternals;
  if (element.toMetadata === resourceToMetadata && isPlain(e) && Object.keys(e.rawOverrides).length === 0) return undefined;
  return element.toMetadata();
}
