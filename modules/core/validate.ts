/**
 * Validation helpers shared by every module and by the environment loader.
 * Each returns the value it checked, so a constructor reads `const days = inRange(this, "backupRetentionDays", v, 1, 35)`.
 */
import { fail, Subject } from "./errors";

export function isInteger(subject: Subject, setting: string, value: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) fail(subject, setting, value, "expected a whole number");
  return value;
}

/** An integer in [min, max]. */
export function inRange(subject: Subject, setting: string, value: number, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(subject, setting, value, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A number (not necessarily whole) in [min, max]. */
export function inNumberRange(subject: Subject, setting: string, value: number, min: number, max: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    fail(subject, setting, value, `expected a number from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string | number>(subject: Subject, setting: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) fail(subject, setting, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  return value;
}

export function port(subject: Subject, setting: string, value: number): number {
  return inRange(subject, setting, value, 1, 65535);
}

export function nonEmpty<T>(subject: Subject, setting: string, value: readonly T[]): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) fail(subject, setting, value, "expected at least one entry");
  return value;
}

export function matches(subject: Subject, setting: string, value: string, pattern: RegExp, description: string): string {
  if (typeof value !== "string" || !pattern.test(value)) fail(subject, setting, value, `expected ${description}`);
  return value;
}

/** A DNS-label style component: lowercase letters, digits and hyphens, starting with a letter. */
export function dnsLabel(subject: Subject, setting: string, value: string, maxLength = 63): string {
  matches(subject, setting, value, /^[a-z]([a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
  if (value.length > maxLength) fail(subject, setting, value, `expected at most ${maxLength} characters (got ${value.length})`);
  return value;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export interface ParsedCidr {
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(value: string): ParsedCidr | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(value);
  if (!m) return undefined;
  const base = ipv4ToInt(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined; // host bits set: 10.0.0.1/16 is not a network address
  return { base, prefix };
}

/** An IPv4 network in CIDR form with no host bits set, and a prefix in [minPrefix, maxPrefix]. */
export function cidr(subject: Subject, setting: string, value: string, minPrefix = 0, maxPrefix = 32): string {
  const parsed = parseCidr(value);
  if (!parsed) fail(subject, setting, value, "expected an IPv4 network in CIDR form with no host bits set, e.g. \"10.0.0.0/16\"");
  if (parsed.prefix < minPrefix || parsed.prefix > maxPrefix) {
    fail(subject, setting, value, `expected a prefix length from /${minPrefix} to /${maxPrefix}`);
  }
  return value;
}

/** CloudWatch Logs accepts only these retention values (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export function logRetentionDays(subject: Subject, setting: string, value: number): number {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) {
    fail(subject, setting, value, `expected a CloudWatch Logs retention value: ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return value;
}

/** min <= desired <= max, all whole numbers >= floor. */
export function capacity(
  subject: Subject,
  settings: { readonly min: string; readonly desired: string; readonly max: string },
  values: { readonly min: number; readonly desired: number; readonly max: number },
  floor = 0,
): { min: number; desired: number; max: number } {
  isInteger(subject, settings.min, values.min);
  isInteger(subject, settings.desired, values.desired);
  isInteger(subject, settings.max, values.max);
  if (values.min < floor) fail(subject, settings.min, values.min, `expected at least ${floor}`);
  if (values.min > values.max) fail(subject, settings.min, values.min, `expected ${settings.min} <= ${settings.max} (${values.max})`);
  if (values.desired < values.min || values.desired > values.max) {
    fail(subject, settings.desired, values.desired, `expected ${settings.min} (${values.min}) <= ${settings.desired} <= ${settings.max} (${values.max})`);
  }
  return { min: values.min, desired: values.desired, max: values.max };
}

/** An ARN of the given service, e.g. arn(this, "certificateArn", v, "acm"). Terraform references (tokens) pass through. */
export function arn(subject: Subject, setting: string, value: string, service?: string): string {
  if (isToken(value)) return value;
  const pattern = service ? new RegExp(`^arn:aws[a-z-]*:${service}:`) : /^arn:aws[a-z-]*:[a-z0-9-]+:/;
  return matches(subject, setting, value, pattern, service ? `an ARN of the ${service} service (arn:aws:${service}:...)` : "an ARN (arn:aws:...)");
}

/** cdktf tokens (unresolved references) cannot be checked at synth time; they are checked by Terraform. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** The AWS region shape, e.g. eu-west-1, us-gov-west-1. */
export function region(subject: Subject, setting: string, value: string): string {
  return matches(subject, setting, value, /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "an AWS region such as \"eu-west-1\"");
}

/** Refuses a combination of settings that cannot both hold. */
export function refuse(subject: Subject, setting: string, value: unknown, when: boolean, reason: string): void {
  if (when) fail(subject, setting, value, reason);
}
