/**
 * A stack's Terraform JSON: TerraformStack.toTerraform of cdktf 0.21, step for step, resolving through resolveFast.
 * The stack base calls it instead of `super.toTerraform()`; the comparison tests hold the result byte-identical
 * to cdktf's own on every stack of every environment.
 */
import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import * as util from "cdktf/lib/util";
import { blockToTerraform, elementBlock, elementMetadata } from "./element-json";
import { HANDED_BACK, isPlainData, resolveBelow, resolveFast } from "./resolve";

// cdktf's functions read once (in the bundle every read of an imported name is a getter call); the statics read no `this`.
const { deepMerge } = util;
const isElement = TerraformElement.isTerraformElement;
const isStack = TerraformStack.isStack;
const isOutput = TerraformOutput.isTerraformOutput;

/** The stack fields cdktf keeps private but writes into the JSON. */
interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string | undefined;
}

/** The elements of a stack in construct order, not descending into nested stacks (terraform-stack.js). */
export function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (isElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (isStack(child)) continue;
    terraformElements(child, into);
  }
  return into;
}

/** `stack.toTerraform()` as cdktf computes it (without the preparing pass, which the stack base runs or skips). */
export function stackToTerraform(stack: TerraformStack): Record<string, unknown> {
  const { rawOverrides, cdktfVersion } = stack as unknown as StackInternals;
  const tf: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = terraformElements(stack);
  const metadatas = elements.map((e) => {
    const meta = elementMetadata(e);
    return meta === undefined ? undefined : resolveFast(stack, meta);
  });
  for (const meta of metadatas) if (meta !== undefined) deepMerge(metadata, meta);
  const outputs: Record<string, unknown> = {};
  for (const item of elements) {
    if (!isOutput(item)) continue;
    deepMerge(
      outputs,
      item.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}),
    );
  }
  tf["//"] = { metadata, outputs };
  for (const e of elements) {
    // A plain resource or data source: only its attributes are resolved (three keys deep, as in the fragment cdktf
    // resolves) and put in place, without building and resolving the fragment around them.
    const b = elementBlock(e);
    const attributes = b === undefined ? HANDED_BACK : resolveBelow(stack, b.attributes, 3);
    if (b !== undefined && attributes !== HANDED_BACK) mergeAt(tf, b.block, b.type, b.name, attributes);
    else mergeResolved(tf, resolveFast(stack, b === undefined ? e.toTerraform() : blockToTerraform(b)) as Record<string, unknown>);
  }
  if (!isPlainData(rawOverrides)) {
    deepMerge(tf, rawOverrides);
    return resolveFast(stack, tf) as Record<string, unknown>;
  }
  // cdktf resolves the merged document once more. The fragments are resolved already, and resolving a resolved value
  // changes nothing, so only the metadata (and plain overrides, which resolve to themselves) needs it.
  tf["//"] = resolveFast(stack, tf["//"]);
  deepMerge(tf, rawOverrides);
  return tf;
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/**
 * `deepMerge(target, source)` for a source that resolveFast has just returned (fresh objects, no tokens, no
 * undefined anywhere). Where the target has nothing under a key, deepMerge copies the source's value key by key into
 * a new object; for such a value that copy equals the value, so it is taken as it is (a resource's attributes are not
 * copied a second time). Every other case is deepMerge's own.
 */
function mergeResolved(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    const current = target[key];
    if (current === undefined) target[key] = value;
    else if (isRecord(value) && isRecord(current)) mergeResolved(current, value);
    else deepMerge(target, { [key]: value });
  }
}

/** `mergeResolved(tf, { [block]: { [type]: { [name]: value } } })`, without building that fragment. */
function mergeAt(tf: Record<string, unknown>, block: string, type: string, name: string, value: unknown): void {
  const blocks = tf[block];
  if (blocks === undefined) {
    tf[block] = { [type]: { [name]: value } };
    return;
  }
  if (!isRecord(blocks)) return mergeResolved(tf, { [block]: { [type]: { [name]: value } } });
  const byName = blocks[type];
  if (byName === undefined) {
    blocks[type] = { [name]: value };
    return;
  }
  if (!isRecord(byName)) return mergeResolved(blocks, { [type]: { [name]: value } });
  const current = byName[name];
  if (current === undefined) byName[name] = value;
  else if (isRecord(value) && isRecord(current)) mergeResolved(current, value);
  else deepMerge(byName, { [name]: value });
}
