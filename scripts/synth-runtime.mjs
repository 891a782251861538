// @ts-check
/**
 * What the synth path swaps into cdktf, with the same results: a token-key registry that cleans each display hint
 * once. No side effects on import: scripts/app.mjs installs it into node_modules' cdktf, and the synth snapshot
 * (stacks/synth/snapshot-entry.ts) into its bundled copy. (The writer of cdk.tf.json is stacks/synth/stable-json.ts,
 * which the stack synthesizer calls.)
 */

/**
 * cdktf builds a regular expression for every token it registers, to turn the token's display hint into the key
 * prefix; the same few hints recur thousands of times. Same keys, each hint cleaned once.
 * @param {{ prototype: { registerStringKey(token: unknown, hint?: string): string, tokenCounter: number, stringTokenMap: Map<string, unknown> } }} TokenMap
 */
export function cacheTokenKeys(TokenMap) {
  /** @type {Map<string, string>} */
  const prefixes = new Map();
  TokenMap.prototype.registerStringKey = function (token, displayHint) {
    const hint = displayHint || "TOKEN";
    let prefix = prefixes.get(hint);
    if (prefix === undefined) prefixes.set(hint, (prefix = hint.replace(/[^a-zA-Z0-9:._-]/g, ".")));
    const key = `${prefix}.${this.tokenCounter++}`;
    this.stringTokenMap.set(key, token);
    return key;
  };
}
