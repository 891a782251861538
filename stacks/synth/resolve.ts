/**
 * Token resolution with cdktf's own semantics at a fraction of its cost.
 *
 * cdktf's `resolve` (cdktf/lib/tokens/private/resolve.js) allocates two closures and a copied key path for every value
 * it visits and runs three regular expressions over every string, token or not; on this repository's stacks that walk
 * was half of synth. This is the same algorithm, step for step and in the same order, with plain strings, numbers,
 * arrays and objects handled without allocation. Everything that involves a token goes through cdktf's own pieces:
 * its `DefaultTokenResolver`, `TokenString`, string fragments, the token map and each token's own `resolve`, given a
 * context that behaves like cdktf's (flags copied from the calling context, a post-processor slot, `resolve` recursing
 * here). Whatever cdktf would reject (a function, a construct, a list token in a string, a cycle) is handed back to
 * cdktf's `resolve` for the whole value, so the error is cdktf's own. The comparison tests hold the output
 * byte-identical to cdktf's on every stack.
 */
import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, StringConcat, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { containsMapToken, containsNumberListTokenElement, containsStringListTokenElement, TokenString } from "cdktf/lib/tokens/private/encoding";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { resolve as cdktfResolve } from "cdktf/lib/tokens/private/resolve";
import { ref } from "cdktf/lib/tfExpression";

// cdktf's names read once: in the bundle every read of an imported name is a getter call (esbuild's CommonJS interop,
// then cdktf's re-export), and the checks below run for every string and object of every stack.
const { STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE, NUMBER_MAP_TOKEN_VALUE } = Token;
const isResolvable: (x: unknown) => x is IResolvable = Tokenization.isResolvable; // static, reads no `this`
const Tokens = TokenString;
const Resolver = DefaultTokenResolver;
const mapToken = containsMapToken;
const stringListToken = containsStringListTokenElement;
const numberListToken = containsNumberListTokenElement;

/** The resolver cdktf's TerraformStack uses (stateless; cdktf/lib/_tokens.js builds the same one). */
const RESOLVER = new Resolver(new StringConcat());

/** cdktf refuses to resolve deeper than this many keys (its guard against cyclic structures). */
const MAX_DEPTH = 200;

/** Every token marker starts `${TfToken[`, `#{TfToken[` or `&{TfToken[`; a string without this holds no token. */
const TOKEN_MARK = "TfToken[";

/** cdktf's test for numbers concatenated into strings (encoding.js NUMBER_TOKEN_REGEX, without the g flag). */
export const NUMBER_IN_STRING = new RegExp("[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)");

/** Encoded number tokens are doubles below -1.8e289 (encoding.js createTokenDouble); every other number is plain. */
const TOKEN_DOUBLE_ABOVE = -1e288;

/** cdktf's class for references (`${aws_s3_bucket.Logs.arn}`), the token behind every resource attribute. */
const Reference = Object.getPrototypeOf(ref("x")).constructor as abstract new (...args: never[]) => { identifier: string; crossStackIdentifier: Record<string, string> };

/** cdktf's string token marker (encoding.js STRING_TOKEN_REGEX). */
const STRING_TOKEN = /\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}/g;

/**
 * A string of literals and references, resolved at the top level (no flags set), as cdktf resolves it: each
 * reference becomes `${identifier}`, literals stay. Undefined when anything else is in it (another kind of token,
 * an escape sequence, a reference into another stack, a token inside an identifier), for the general path.
 */
function referencesOnly(str: string): string | undefined {
  let out = "";
  let last = 0;
  STRING_TOKEN.lastIndex = 0;
  for (let m = STRING_TOKEN.exec(str); m; m = STRING_TOKEN.exec(str)) {
    const literal = str.slice(last, m.index);
    if (literal.includes("}") || literal.includes("${")) return undefined;
    const token = tokenMap.lookupToken(m[1]);
    if (!(token instanceof Reference) || token.identifier.includes(TOKEN_MARK)) return undefined;
    for (const _ in token.crossStackIdentifier) return undefined;
    out += `${literal}\${${token.identifier}}`;
    last = STRING_TOKEN.lastIndex;
  }
  const rest = str.slice(last);
  if (rest.includes("}") || rest.includes("${")) return undefined;
  out += rest;
  return out.includes("e") && NUMBER_IN_STRING.test(out) ? undefined : out;
}

/** Thrown where cdktf would raise its own error: the caller re-runs cdktf's resolve to raise exactly that error. */
class HandBack extends Error {}

interface Run {
  readonly scope: IConstruct;
  readonly preparing: boolean;
  /**
   * Objects resolved inside a function call (`Fn.jsonencode(...)`, ...), by the context's flags. A function call
   * re-resolves its arguments at every level of nesting (tfExpression.js resolveArg, then resolveExpressionPart, then
   * each element again), so a policy document was resolved once per level of its depth; here once per run.
   */
  readonly memo: (Map<object, unknown> | undefined)[];
}

/** What cdktf's makeContext returns: flags copied from the calling context, a post-processor slot, recursion. */
class Context implements IResolveContext, IPostProcessor {
  readonly scope: IConstruct;
  readonly preparing: boolean;
  suppressBraces?: boolean;
  ignoreEscapes?: boolean;
  warnEscapes?: boolean;
  iteratorContext?: IResolveContext["iteratorContext"];
  private postProcessor?: IPostProcessor;

  constructor(
    private readonly run: Run,
    previous: Context | undefined,
    private readonly depth: number,
  ) {
    this.scope = run.scope;
    this.preparing = run.preparing;
    if (previous) {
      this.suppressBraces = previous.suppressBraces;
      this.ignoreEscapes = previous.ignoreEscapes;
      this.warnEscapes = previous.warnEscapes;
      this.iteratorContext = previous.iteratorContext;
    }
  }

  registerPostProcessor(postProcessor: IPostProcessor): void {
    this.postProcessor = postProcessor;
  }

  resolve(x: unknown): unknown {
    return resolveValue(this.run, x, this, this.depth);
  }

  postProcess(input: unknown): unknown {
    return this.postProcessor ? this.postProcessor.postProcess(input, this) : input;
  }
}

const tokenMap = TokenMap.instance();
const lookupToken = tokenMap.lookupToken.bind(tokenMap);

function lookupNumber(id: string): ReturnType<TokenMap["lookupNumberToken"]> {
  return tokenMap.lookupNumberToken(parseFloat(id));
}

function resolveString(run: Run, obj: string, previous: Context | undefined, depth: number): unknown {
  if (!obj.includes(TOKEN_MARK)) {
    if (obj === STRING_MAP_TOKEN_VALUE || obj === ANY_MAP_TOKEN_VALUE) throw new HandBack();
    if (!obj.includes("e") || !NUMBER_IN_STRING.test(obj)) return obj;
  } else if (Tokens.forListToken(obj).test()) {
    throw new HandBack();
  }
  if (!previous || !(previous.suppressBraces || previous.ignoreEscapes || previous.warnEscapes || previous.iteratorContext)) {
    const references = referencesOnly(obj);
    if (references !== undefined) return references;
  }
  // From here on, resolve.js's string branch line for line.
  let str: unknown = obj;
  const tokenStr = Tokens.forString(obj, !previous?.ignoreEscapes, previous?.warnEscapes);
  if (tokenStr.test()) {
    str = RESOLVER.resolveString(tokenStr.split(lookupToken), new Context(run, previous, depth));
  }
  const tokenNumberStr = Tokens.forNumbers(str as string);
  if (tokenNumberStr.test()) {
    str = tokenNumberStr.split(lookupNumber).mapTokens(new Context(run, previous, depth)).join(new StringConcat());
  }
  return str;
}

function resolveArray(run: Run, obj: unknown[], previous: Context | undefined, depth: number): unknown {
  let maybeListToken = false;
  for (const x of obj) {
    if ((typeof x === "string" && x.includes(TOKEN_MARK)) || (typeof x === "number" && !(x > TOKEN_DOUBLE_ABOVE))) {
      maybeListToken = true;
      break;
    }
  }
  if (maybeListToken) {
    if (stringListToken(obj)) return RESOLVER.resolveList(obj as string[], new Context(run, previous, depth));
    if (numberListToken(obj)) return RESOLVER.resolveNumberList(obj as number[], new Context(run, previous, depth));
  }
  const out: unknown[] = [];
  for (const x of obj) {
    const value = resolveValue(run, x, previous, depth + 1);
    if (value !== undefined) out.push(value);
  }
  return out;
}

function resolveObject(run: Run, obj: Record<string, unknown>, previous: Context | undefined, depth: number): unknown {
  const keys = Object.keys(obj);
  for (const key of keys) {
    if (key.includes(TOKEN_MARK)) {
      if (mapToken(obj)) return RESOLVER.resolveMap(obj, new Context(run, previous, depth));
      break;
    }
  }
  if (isResolvable(obj)) {
    const context = new Context(run, previous, depth);
    return RESOLVER.resolveToken(obj, context, context);
  }
  // resolve.js refuses constructs here (its own test for one).
  if (obj._children !== undefined && obj._metadata !== undefined) throw new HandBack();
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const resolvedKey = key.includes(TOKEN_MARK) || key.includes("e") ? resolveString(run, key, previous, depth) : key;
    if (typeof resolvedKey !== "string") throw new HandBack();
    const value = resolveValue(run, obj[key], previous, depth + 1);
    if (value === undefined) continue;
    result[resolvedKey] = value;
  }
  return result;
}

function resolveValue(run: Run, obj: unknown, previous: Context | undefined, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new HandBack();
  switch (typeof obj) {
    case "undefined":
      return undefined;
    case "string":
      return resolveString(run, obj, previous, depth);
    case "number":
      if (obj > TOKEN_DOUBLE_ABOVE) {
        if (obj === NUMBER_MAP_TOKEN_VALUE) throw new HandBack();
        return obj;
      }
      return resolveNumberToken(run, obj, previous, depth);
    case "function":
      throw new HandBack();
    case "object":
      if (obj === null) return null;
      if (obj instanceof Date) return obj;
      // Memoized only inside function calls (the one kind of token that sets ignoreEscapes), where re-resolution is.
      return previous?.ignoreEscapes ? resolveShared(run, obj, previous, depth) : resolveComposite(run, obj, previous, depth);
    default:
      return obj;
  }
}

function resolveComposite(run: Run, obj: object, previous: Context | undefined, depth: number): unknown {
  return Array.isArray(obj) ? resolveArray(run, obj, previous, depth) : resolveObject(run, obj as Record<string, unknown>, previous, depth);
}

/** The memo slot for a context's flags (cdktf only ever tests them for truth), or -1 for an unknown iterator context. */
function flagsSlot(c: Context): number {
  const iterator = c.iteratorContext === undefined ? 0 : c.iteratorContext === "DYNAMIC_BLOCK" ? 8 : c.iteratorContext === "FOR_EXPRESSION" ? 16 : -1;
  return iterator < 0 ? -1 : (c.suppressBraces ? 1 : 0) | (c.ignoreEscapes ? 2 : 0) | (c.warnEscapes ? 4 : 0) | iterator;
}

/** An object or array reached from a token: resolved once per run and flags (see Run.memo). */
function resolveShared(run: Run, obj: object, previous: Context, depth: number): unknown {
  const slot = flagsSlot(previous);
  if (slot < 0) return resolveComposite(run, obj, previous, depth);
  let memo = run.memo[slot];
  if (!memo) memo = run.memo[slot] = new Map();
  if (memo.has(obj)) return memo.get(obj);
  const value = resolveComposite(run, obj, previous, depth);
  memo.set(obj, value);
  return value;
}

function resolveNumberToken(run: Run, obj: number, previous: Context | undefined, depth: number): unknown {
  const token = tokenMap.lookupNumberToken(obj);
  return token === undefined ? obj : new Context(run, previous, depth).resolve(token);
}

/**
 * `resolve(scope, obj)` of cdktf/lib/_tokens.js (what TerraformStack.toTerraform calls): the same result, faster.
 * Where cdktf would throw, cdktf's resolve runs instead and throws its own error.
 */
export function resolveFast(scope: IConstruct, obj: unknown, preparing = false): unknown {
  try {
    return resolveValue({ scope, preparing, memo: [] }, obj, undefined, 0);
  } catch (error) {
    if (!(error instanceof HandBack)) throw error;
    return cdktfResolve(obj, { scope, preparing, resolver: RESOLVER, prefix: [] });
  }
}

/** What `resolveBelow` returns where cdktf would raise an error (the caller resolves the whole value instead). */
export const HANDED_BACK: unique symbol = Symbol("handed back to cdktf");

/**
 * resolveFast of a value that sits `depth` keys deep inside the value cdktf resolves (cdktf's depth limit counts
 * from the top), or HANDED_BACK where cdktf would raise an error, so that the caller resolves the whole value and the
 * error names the same path as cdktf's.
 */
export function resolveBelow(scope: IConstruct, obj: unknown, depth: number): unknown {
  try {
    return resolveValue({ scope, preparing: false, memo: [] }, obj, undefined, depth);
  } catch (error) {
    if (!(error instanceof HandBack)) throw error;
    return HANDED_BACK;
  }
}

/**
 * Whether `x` resolves to itself: only plain objects, arrays, strings, finite non-token numbers, booleans and null,
 * no token markers, no undefined anywhere.
 */
export function isPlainData(x: unknown): boolean {
  switch (typeof x) {
    case "string":
      return !x.includes(TOKEN_MARK) && !(x.includes("e") && NUMBER_IN_STRING.test(x)) && x !== STRING_MAP_TOKEN_VALUE && x !== ANY_MAP_TOKEN_VALUE;
    case "number":
      return x > TOKEN_DOUBLE_ABOVE && x !== NUMBER_MAP_TOKEN_VALUE;
    case "boolean":
      return true;
    case "object":
      if (x === null) return true;
      if (Array.isArray(x)) return x.every(isPlainData) && !x.includes(undefined);
      if (Object.getPrototypeOf(x) !== Object.prototype) return false;
      return Object.keys(x).every((k) => isPlainData(k) && isPlainData((x as Record<string, unknown>)[k]));
    default:
      return false;
  }
}
