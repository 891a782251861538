/**
 * Configuration errors raised at synth time.
 *
 * Every refusal in this repository goes through `ConfigError` so that a user sees one line naming
 * the construct (its node path, or the environment file), the setting, the value given and what is allowed.
 * main.ts prints `message` alone — never a stack trace from deep inside cdktf.
 */

/** Something that can be named in an error: a construct (its node path is used) or a plain label. */
export type Subject = string | { readonly node: { readonly path: string } };

export function subjectName(subject: Subject): string {
  return typeof subject === "string" ? subject : subject.node.path;
}

/** Renders a value the way a user typed it: strings quoted, arrays and objects as JSON (a long object cut short). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 && typeof value === "object" && !Array.isArray(value) ? `${text.slice(0, 100)}...` : text;
}

export class ConfigError extends Error {
  readonly subject: string;
  readonly setting: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(subject: Subject, setting: string, value: unknown, allowed: string) {
    const where = subjectName(subject);
    super(`${where}: ${setting} = ${show(value)} is not allowed; ${allowed}`);
    this.name = "ConfigError";
    this.subject = where;
    this.setting = setting;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Throws a ConfigError. `allowed` says what would be accepted, e.g. "expected an integer from 1 to 35". */
export function fail(subject: Subject, setting: string, value: unknown, allowed: string): never {
  throw new ConfigError(subject, setting, value, allowed);
}
