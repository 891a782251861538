/**
 * Plan and target analysis for the emulator tier: which resources the emulator can apply (-target lists from the
 * synthesized JSON and emulator-gaps.ts), and what a plan (`terraform show -json`) changes.
 */
import type { Json, JsonObject } from "./emulator";
import { notCreated, perpetualDiff } from "./emulator-gaps";
import { referencedAddresses } from "../../stacks/references";

// ---------------------------------------------------------------------------------------------------------------
// What the emulator can apply: -target lists from the synthesized JSON

export interface Untargeted {
  readonly address: string;
  readonly type: string;
  /** The gap (type -> API call) or the untargeted resource it depends on. */
  readonly reason: string;
}

export interface TargetPlan {
  /** Every managed resource address in the stack. */
  readonly all: readonly string[];
  /** -target addresses; empty when nothing is left out (then plan and apply run without -target). */
  readonly targets: readonly string[];
  readonly untargeted: readonly Untargeted[];
  /** Resources the re-plan may show as changed: their type is listed as a perpetual diff. */
  readonly perpetual: readonly string[];
}

/** The addresses among `known` that a synthesized value refers to (stacks/references.ts reads the expressions). */
function collectRefs(value: Json, known: Set<string>, into: Set<string>): void {
  for (const address of referencedAddresses(value)) if (known.has(address)) into.add(address);
}

/** address -> addresses it references (resources and data sources, including depends_on). */
export function dependencyGraph(config: JsonObject): Map<string, Set<string>> {
  const nodes = new Map<string, Json>();
  for (const [type, byName] of Object.entries((config.resource ?? {}) as JsonObject)) {
    for (const [name, body] of Object.entries(byName as JsonObject)) nodes.set(`${type}.${name}`, body);
  }
  for (const [type, byName] of Object.entries((config.data ?? {}) as JsonObject)) {
    for (const [name, body] of Object.entries(byName as JsonObject)) nodes.set(`data.${type}.${name}`, body);
  }
  const known = new Set(nodes.keys());
  const graph = new Map<string, Set<string>>();
  for (const [address, body] of nodes) {
    const refs = new Set<string>();
    collectRefs(body, known, refs);
    refs.delete(address);
    graph.set(address, refs);
  }
  return graph;
}

const typeOf = (address: string) => (address.startsWith("data.") ? address.split(".")[1] : address.split(".")[0]);

/**
 * Which resources to apply on the emulator: all but those of an open "not created" type and everything that
 * references one of those (transitively).
 */
export function planTargets(config: JsonObject, gapOf: (type: string) => { missing: string } | undefined = notCreated): TargetPlan {
  const graph = dependencyGraph(config);
  const resources = [...graph.keys()].filter((a) => !a.startsWith("data."));
  const out = new Map<string, Untargeted>();
  const leaveOut = (address: string, reason: string) => {
    if (!out.has(address)) out.set(address, { address, type: typeOf(address), reason });
  };
  const propagate = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const [address, refs] of graph) {
        if (out.has(address)) continue;
        const blocker = [...refs].find((r) => out.has(r));
        if (blocker) {
          leaveOut(address, `depends on ${blocker}`);
          changed = true;
        }
      }
    }
  };
  for (const address of resources) {
    const gap = gapOf(typeOf(address));
    if (gap) leaveOut(address, gap.missing);
  }
  propagate();
  const untargeted = [...out.values()].filter((u) => !u.address.startsWith("data."));
  const targets = untargeted.length ? resources.filter((a) => !out.has(a)) : [];
  const perpetual = resources.filter((a) => !out.has(a) && perpetualDiff(typeOf(a)) !== undefined);
  return { all: resources, targets, untargeted, perpetual };
}

// ---------------------------------------------------------------------------------------------------------------
// Plans and state

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

/** Resource changes of `terraform show -json <planfile>` that are not no-ops or reads. */
export function plannedChanges(planJson: JsonObject): PlannedChange[] {
  const changes = (planJson.resource_changes ?? []) as JsonObject[];
  return changes
    .map((c) => ({ address: String(c.address), type: String(c.type), actions: (((c.change as JsonObject).actions ?? []) as string[]) }))
    .filter((c) => !(c.actions.length === 1 && (c.actions[0] === "no-op" || c.actions[0] === "read")));
}

/** True when a planned value holds an unknown anywhere (after_unknown marks are `true` at any depth). */
function holdsUnknown(mark: Json | undefined): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(holdsUnknown);
  if (mark && typeof mark === "object") return Object.values(mark).some(holdsUnknown);
  return false;
}

/**
 * Top-level attributes a planned change alters with a known value. Attributes that only become "known after
 * apply" are not counted: those follow from a replaced resource they reference, not from this resource's config.
 */
export function knownChanges(change: JsonObject): string[] {
  const before = (change.before ?? {}) as JsonObject;
  const after = (change.after ?? {}) as JsonObject;
  const unknown = (change.after_unknown ?? {}) as JsonObject;
  // An empty map or list and null are the same setting (`tags = {} -> null` inside a replacement is not a change).
  const norm = (v: Json | undefined) => {
    if (v === undefined || v === null) return "null";
    if ((Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)) return "null";
    return JSON.stringify(v);
  };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !holdsUnknown(unknown[k]) && norm(before[k]) !== norm(after[k])).sort();
}

export interface KnockOn {
  readonly address: string;
  readonly actions: readonly string[];
  /** The replaced resource it references. */
  readonly because: string;
}

/**
 * Changes that are only the consequence of a tolerated replacement: a resource (or output) that references a
 * resource being replaced, and whose every altered attribute is "known after apply". Replacements found this way
 * count as replaced in turn (e.g. an EKS cluster replaced -> its OIDC provider's url unknown -> replaced -> the IRSA
 * roles' trust policies unknown).
 */
export function knockOnChanges(planJson: JsonObject, config: JsonObject, tolerated: readonly string[]): { resources: KnockOn[]; outputs: KnockOn[] } {
  const graph = dependencyGraph(config);
  const changes = new Map(((planJson.resource_changes ?? []) as JsonObject[]).map((c) => [String(c.address), c.change as JsonObject]));
  const isReplace = (c: JsonObject | undefined) => ((c?.actions ?? []) as string[]).includes("delete") && ((c?.actions ?? []) as string[]).includes("create");
  const replaced = new Set(tolerated.filter((a) => isReplace(changes.get(a))));
  const found = new Map<string, KnockOn>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [address, change] of changes) {
      if (found.has(address) || tolerated.includes(address)) continue;
      const actions = (change.actions ?? []) as string[];
      if (actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read")) continue;
      const because = [...(graph.get(address) ?? [])].find((r) => replaced.has(r));
      if (!because || knownChanges(change).length > 0) continue;
      found.set(address, { address, actions, because });
      if (isReplace(change)) replaced.add(address);
      grew = true;
    }
  }
  const known = new Set(graph.keys());
  const outputs: KnockOn[] = [];
  for (const [name, c] of Object.entries((planJson.output_changes ?? {}) as JsonObject)) {
    const change = c as JsonObject;
    const actions = (change.actions ?? []) as string[];
    if (actions.length === 1 && actions[0] === "no-op") continue;
    const refs = new Set<string>();
    collectRefs(((config.output ?? {}) as JsonObject)[name] ?? null, known, refs);
    const because = [...refs].find((r) => replaced.has(r));
    if (because && change.after_unknown === true) outputs.push({ address: `output.${name}`, actions, because });
  }
  return { resources: [...found.values()], outputs };
}

/** Output changes of a plan (address and actions), not counting no-ops. */
export function plannedOutputChanges(planJson: JsonObject): { name: string; actions: readonly string[] }[] {
  return Object.entries((planJson.output_changes ?? {}) as JsonObject)
    .map(([name, c]) => ({ name, actions: (((c as JsonObject).actions ?? []) as string[]) }))
    .filter((c) => !(c.actions.length === 1 && c.actions[0] === "no-op"));
}
