// @ts-check
/**
 * What the synth path swaps into cdktf, with the same results: a token-key registry that cleans each display hint
 * once, and a writer whose output is json-stable-stringify's. No side effects on import: scripts/app.mjs installs
 * them into node_modules' cdktf, and the synth snapshot (stacks/synth/snapshot-entry.ts) into its bundled copy.
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

/**
 * What json-stable-stringify (cdktf's writer of cdk.tf.json) returns for `value` with `{ space }`: keys sorted,
 * `toJSON` applied, undefined members left out and undefined elements written as null, empty objects and arrays
 * broken over two lines as it breaks them. About five times faster: no per-node closures or bound intrinsics, one
 * string built by concatenation instead of arrays joined, indentation strings made once per depth.
 * @param {unknown} value
 * @param {string} space
 * @returns {string | undefined}
 */
export function stableJson(value, space) {
  /** @type {object[]} */
  const seen = [];
  const colon = space ? ": " : ":";
  /** @type {string[]} */
  const indents = [];
  /** @param {number} level */
  const indentOf = (level) => indents[level] ?? (indents[level] = space ? `\n${space.repeat(level)}` : "");
  /**
   * @param {unknown} node
   * @param {number} level
   * @returns {string | undefined}
   */
  function write(node, level) {
    if (node && typeof (/** @type {{ toJSON?: unknown }} */ (node).toJSON) === "function") node = /** @type {{ toJSON(): unknown }} */ (node).toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== "object" || node === null) return JSON.stringify(node);
    const indent = indentOf(level);
    const inner = indentOf(level + 1);
    if (Array.isArray(node)) {
      let out = "[";
      for (let i = 0; i < node.length; i++) out += (i === 0 ? inner : `,${inner}`) + (write(node[i], level + 1) || "null");
      return `${out}${indent}]`;
    }
    if (seen.includes(node)) throw new TypeError("Converting circular structure to JSON");
    seen.push(node);
    const record = /** @type {Record<string, unknown>} */ (node);
    const keys = Object.keys(record).sort();
    let out = "{";
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const item = write(record[keys[i]], level + 1);
      if (!item) continue;
      out += (first ? inner : `,${inner}`) + JSON.stringify(keys[i]) + colon + item;
      first = false;
    }
    seen.pop();
    return `${out}${indent}}`;
  }
  return write(value, 0);
}

/**
 * json-stable-stringify with `stableJson` in place for the calls cdktf makes (a `space` option only, as cdktf writes
 * every file); any other call goes to the original.
 * @param {(value: unknown, opts?: unknown) => string | undefined} original
 * @returns {(value: unknown, opts?: unknown) => string | undefined}
 */
export function fastStableStringify(original) {
  return (value, opts) => {
    const keys = opts && typeof opts === "object" ? Object.keys(opts) : [];
    const space = /** @type {{ space?: unknown }} */ (opts ?? {}).space;
    if ((opts === undefined || (keys.length === 1 && keys[0] === "space")) && (space === undefined || typeof space === "number" || typeof space === "string")) {
      return stableJson(value, typeof space === "number" ? " ".repeat(space) : (space ?? ""));
    }
    return original(value, opts);
  };
}
