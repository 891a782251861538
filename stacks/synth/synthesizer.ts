/**
 * cdktf 0.21's StackSynthesizer.synthesize, step for step, without two walks whose result is known beforehand:
 *
 * - invoking aspects visits every construct of the stack, and gives each an empty aspect list, even where no aspect
 *   was ever added (about 25 ms of 550 on this repository's stacks). Aspects are added only through
 *   `Aspects.prototype.add`; this module notes the first such call, and from then on every synth invokes them as
 *   cdktf does.
 * - custom synthesis (cdktf's assets) runs in post-order over every construct; the post-order list is built only
 *   when a construct of the stack has one.
 *
 * The rest (validations, the manifest entry, annotations and their errors, HCL or JSON output) is cdktf's, in its
 * order; the JSON writer writes json-stable-stringify's output (stable-json.ts). The comparison tests hold the
 * files byte-identical to cdktf's own.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Aspects, IAspect, TerraformStack } from "cdktf";
import { AnnotationMetadataEntryType } from "cdktf/lib/annotations";
import { encounteredAnnotationWithLevelError } from "cdktf/lib/errors";
import { invokeAspects, StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import type { ISynthesisSession } from "cdktf/lib/synthesize/types";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { ConstructOrder, IConstruct } from "constructs";
import { stableJson } from "./stable-json";

/** cdktf's key for a construct's custom synthesis (synthesizer.js CUSTOM_SYNTHESIS_SYM). */
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

const ANNOTATION_TYPES: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

let aspectsAdded = false;
const addAspect = Aspects.prototype.add;
Aspects.prototype.add = function add(this: Aspects, aspect: IAspect): void {
  aspectsAdded = true;
  addAspect.call(this, aspect);
};

interface CustomSynthesis {
  onSynthesize(session: ISynthesisSession): void;
}

interface StackAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: unknown;
  readonly stacktrace?: readonly string[];
}

export class FastStackSynthesizer extends StackSynthesizer {
  constructor(
    stack: TerraformStack,
    private readonly continueOnErrors: boolean,
    private readonly writeHcl: boolean,
  ) {
    super(stack, continueOnErrors, writeHcl);
  }

  override synthesize(session: ISynthesisSession): void {
    if (aspectsAdded) invokeAspects(this.stack);
    if (this.stack.hasResourceMove()) {
      this.stack.node.addValidation(new ValidateTerraformVersion(">=1.5", `Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.`));
    }
    if (!session.skipValidation) this.stack.runAllValidations();
    const stackManifest = session.manifest.forStack(this.stack);
    const workingDirectory = join(session.outdir, stackManifest.workingDirectory);
    if (!existsSync(workingDirectory)) mkdirSync(workingDirectory);
    const nodes = this.stack.node.findAll();
    if (nodes.some((node) => CUSTOM_SYNTHESIS in node)) {
      for (const node of this.stack.node.findAll(ConstructOrder.POSTORDER)) (node as unknown as Record<symbol, CustomSynthesis | undefined>)[CUSTOM_SYNTHESIS]?.onSynthesize(session);
    }
    const annotations = annotationsOf(nodes);
    (stackManifest as { annotations: StackAnnotation[] }).annotations = annotations;
    const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
    if (!this.continueOnErrors && errors.length > 0) {
      throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
    }
    if (this.writeHcl) {
      const hcl = this.stack.toHclTerraform();
      writeFileSync(join(session.outdir, stackManifest.synthesizedStackPath), hcl.hcl);
      writeFileSync(join(session.outdir, stackManifest.stackMetadataPath as string), stableJson(hcl.metadata, "  ") as string);
      return;
    }
    writeFileSync(join(session.outdir, stackManifest.synthesizedStackPath), stableJson(this.stack.toTerraform(), "  ") as string);
  }
}

/** The annotations of `nodes` (pre-order), as cdktf collects them into the manifest. */
function annotationsOf(nodes: readonly IConstruct[]): StackAnnotation[] {
  const out: StackAnnotation[] = [];
  for (const node of nodes) {
    for (const metadata of node.node.metadata) {
      if (ANNOTATION_TYPES.includes(metadata.type)) out.push({ constructPath: node.node.path, level: metadata.type, message: metadata.data, stacktrace: metadata.trace });
    }
  }
  return out;
}
