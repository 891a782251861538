/**
 * A stack's Terraform JSON: TerraformStack.toTerraform of cdktf 0.21, step for step, resolving through resolveFast.
 * The stack base calls it instead of `super.toTerraform()`; the comparison tests hold the result byte-identical
 * to cdktf's own on every stack of every environment.
 */
import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { deepMerge } from "cdktf/lib/util";
import { elementMetadata, elementToTerraform } from "./element-json";
import { isPlainData, resolveFast } from "./resolve";

/** The stack fields cdktf keeps private but writes into the JSON. */
interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string | undefined;
}

/** The elements of a stack in construct order, not descending into nested stacks (terraform-stack.js). */
export function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (TerraformStack.isStack(child)) continue;
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
    if (!TerraformOutput.isTerraformOutput(item)) continue;
    deepMerge(
      outputs,
      item.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}),
    );
  }
  tf["//"] = { metadata, outputs };
  const fragments = elements.map((e) => resolveFast(stack, elementToTerraform(e)));
  for (const fragment of fragments) deepMerge(tf, fragment);
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
