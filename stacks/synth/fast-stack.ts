/**
 * The synth fast path as a stack base class: a TerraformStack whose `toTerraform()` writes the same JSON as cdktf's
 * (stack-json.ts: same steps, a cheaper resolver, no work whose result cdktf discards). The project's stack base
 * extends it; nothing else changes for a stack.
 */
import { TerraformStack } from "cdktf";
import { stackToTerraform } from "./stack-json";

export class FastTerraformStack extends TerraformStack {
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return stackToTerraform(this);
  }
}
