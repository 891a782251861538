/**
 * The estate multiplied, for the scale bench: every system in every environment, plus `factor - 1` generated copies
 * of each environment (the real environment objects, read-only, under new names `<env>2`, `<env>3`, ...). Each stack
 * is built, written and released before the next one is built, so peak memory is that of the largest stack, not of
 * the estate: the stack leaves the construct tree, and the tokens it registered leave cdktf's global token map (which
 * would otherwise keep every stack's tree alive through the references its tokens hold).
 */
import { App, TerraformResource, TerraformStack } from "cdktf";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { ENVIRONMENT_NAMES, Environment, loadEnvironment } from "../../environments";
import { SYSTEMS } from "..";

/** cdktf's private token registries (token-map.js): string keys end in `.<counter>`, number keys are the counter. */
interface TokenRegistry {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
  readonly tokenCounter: number;
}

/** Forgets every token registered since the counter stood at `from`. */
export function releaseTokens(from: number): number {
  const registry = TokenMap.instance() as unknown as TokenRegistry;
  let released = 0;
  for (const key of registry.stringTokenMap.keys()) {
    if (Number(key.slice(key.lastIndexOf(".") + 1)) >= from) released += Number(registry.stringTokenMap.delete(key));
  }
  for (const key of registry.numberTokenMap.keys()) if (key >= from) released += Number(registry.numberTokenMap.delete(key));
  return released;
}

/** The real environments and `factor - 1` renamed copies of each. */
export function estateEnvironments(factor: number): Environment[] {
  const real = ENVIRONMENT_NAMES.map((n) => loadEnvironment(n));
  const copies = Array.from({ length: Math.max(0, factor - 1) }, (_, i) => real.map((env) => ({ ...env, name: `${env.name}${i + 2}` }) as unknown as Environment));
  return [...real, ...copies.flat()];
}

export interface EstateResult {
  readonly stacks: number;
  readonly resources: number;
}

/** Synthesizes the multiplied estate into `outdir` one stack at a time (cdktf.out layout and manifest). */
export function synthesizeEstate(outdir: string, factor: number): EstateResult {
  const app = new App({ outdir, stackTraces: false });
  const session = { outdir, skipValidation: false, manifest: app.manifest };
  let stacks = 0;
  let resources = 0;
  for (const environment of estateEnvironments(factor)) {
    for (const system of SYSTEMS) {
      const from = (TokenMap.instance() as unknown as TokenRegistry).tokenCounter;
      const stack: TerraformStack = system.create(app, { environment });
      resources += stack.node.findAll().filter(TerraformResource.isTerraformResource).length;
      stack.prepareStack();
      stack.synthesizer.synthesize(session);
      stacks++;
      app.node.tryRemoveChild(stack.node.id);
      releaseTokens(from);
    }
  }
  app.manifest.writeToFile();
  return { stacks, resources };
}
