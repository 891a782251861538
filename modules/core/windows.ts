/**
 * Backup and maintenance windows (UTC) of RDS, Aurora and DocumentDB. A backup window is daily ("hh24:mi-hh24:mi"),
 * a maintenance window weekly ("ddd:hh24:mi-ddd:hh24:mi", lower-case days as AWS stores them, so plans stay
 * stable). Both must last at least 30 minutes, and the API refuses a backup window that overlaps the maintenance
 * window, where windows that only touch ("02:00-03:00" and "sun:03:00-sun:04:00") count as overlapping.
 */
import { fail, Subject } from "./errors";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const MIN_WINDOW_MINUTES = 30;
const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";

/** A window as start minute and length on a circle of `period` minutes. */
export interface Window {
  readonly start: number;
  readonly minutes: number;
  readonly period: number;
}

function lengthOf(start: number, end: number, period: number): number {
  return (end - start + period) % period;
}

function checkLength(subject: Subject, setting: string, value: string, minutes: number, max: number): void {
  if (minutes < MIN_WINDOW_MINUTES || minutes > max) {
    fail(subject, setting, value, `expected a window of at least ${MIN_WINDOW_MINUTES} minutes${max < WEEK_MINUTES ? ` and at most ${max / 60} hours` : ""}`);
  }
}

/** "01:00-02:00" (UTC, may cross midnight). */
export function dailyWindow(subject: Subject, setting: string, value: string): Window {
  const m = typeof value === "string" ? new RegExp(`^${TIME}-${TIME}$`).exec(value) : null;
  if (!m) fail(subject, setting, value, "expected \"hh24:mi-hh24:mi\" in UTC, e.g. \"01:00-02:00\"");
  const start = Number(m[1]) * 60 + Number(m[2]);
  const minutes = lengthOf(start, Number(m[3]) * 60 + Number(m[4]), DAY_MINUTES);
  checkLength(subject, setting, value, minutes, DAY_MINUTES - 1);
  return { start, minutes, period: DAY_MINUTES };
}

/** "sun:03:00-sun:04:00" (UTC, lower-case day names, may cross into the next day). */
export function weeklyWindow(subject: Subject, setting: string, value: string): Window {
  const day = `(${DAYS.join("|")})`;
  const m = typeof value === "string" ? new RegExp(`^${day}:${TIME}-${day}:${TIME}$`).exec(value) : null;
  if (!m) fail(subject, setting, value, "expected \"ddd:hh24:mi-ddd:hh24:mi\" in UTC with lower-case days (mon..sun), e.g. \"sun:03:00-sun:04:00\"");
  const at = (d: string, h: string, mi: string) => DAYS.indexOf(d as (typeof DAYS)[number]) * DAY_MINUTES + Number(h) * 60 + Number(mi);
  const start = at(m[1], m[2], m[3]);
  const minutes = lengthOf(start, at(m[4], m[5], m[6]), WEEK_MINUTES);
  checkLength(subject, setting, value, minutes, WEEK_MINUTES);
  return { start, minutes, period: WEEK_MINUTES };
}

function intersects(aStart: number, aMinutes: number, bStart: number, bMinutes: number, period: number): boolean {
  // On a circle, two closed arcs intersect when either one starts inside (or at the end of) the other.
  const inside = (point: number, start: number, minutes: number) => (point - start + period) % period <= minutes;
  return inside(aStart, bStart, bMinutes) || inside(bStart, aStart, aMinutes);
}

/** True when the daily backup window meets (or touches) the weekly maintenance window on any day of the week. */
export function overlaps(backup: Window, maintenance: Window): boolean {
  for (let d = 0; d < 7; d++) {
    if (intersects(d * DAY_MINUTES + backup.start, backup.minutes, maintenance.start, maintenance.minutes, WEEK_MINUTES)) return true;
  }
  return false;
}
