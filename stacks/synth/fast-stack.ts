/**
 * The synth fast path as a stack base class: a TerraformStack whose `toTerraform()` writes the same JSON as cdktf's
 * (stack-json.ts: same steps, a cheaper resolver, no work whose result cdktf discards) and whose synthesizer skips
 * the walks whose result is known (synthesizer.ts). The project's stack base extends it; nothing else changes for a
 * stack.
 */
import { TerraformElement, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import { stackToTerraform } from "./stack-json";
import { FastStackSynthesizer } from "./synthesizer";

/** The options cdktf's StackSynthesizer keeps private (set from CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, SYNTH_HCL_OUTPUT). */
interface SynthesizerOptions {
  readonly continueOnErrorAnnotations: boolean;
  readonly hclOutput: boolean;
}

export class FastTerraformStack extends TerraformStack {
  /**
   * Logical ids by element. cdktf derives one from the element's construct path (a hash of it) every time a
   * reference to the element or its JSON is built, and the path never changes, so each is computed once.
   */
  private logicalIds?: WeakMap<TerraformElement | Node, string>; // created at first use: cdktf may ask before fields are set

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { continueOnErrorAnnotations, hclOutput } = this.synthesizer as unknown as SynthesizerOptions;
    this.synthesizer = new FastStackSynthesizer(this, continueOnErrorAnnotations, hclOutput);
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const ids = (this.logicalIds ??= new WeakMap());
    let id = ids.get(element);
    if (id === undefined) ids.set(element, (id = super.allocateLogicalId(element)));
    return id;
  }

  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return stackToTerraform(this);
  }
}
