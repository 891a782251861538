/** ElastiCache snapshot and maintenance windows: parsed to minutes so that bad shapes and overlaps fail at synth. */
import { Construct } from "constructs";
import { fail } from "../core";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** ElastiCache refuses windows shorter than an hour. */
const MIN_WINDOW_MINUTES = 60;

/** A window as [start, end) minutes; end may pass the period (a window across midnight or the week's end). */
interface Span {
  readonly start: number;
  readonly end: number;
}

function clock(h: string, m: string): number | undefined {
  const hours = Number(h);
  const minutes = Number(m);
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : undefined;
}

function span(start: number, end: number, period: number): Span {
  return { start, end: end > start ? end : end + period };
}

/** "hh:mm-hh:mm" (UTC, daily), at least 60 minutes. */
export function snapshotWindow(scope: Construct, setting: string, value: string): Span {
  const m = typeof value === "string" ? /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(value) : null;
  const start = m ? clock(m[1], m[2]) : undefined;
  const end = m ? clock(m[3], m[4]) : undefined;
  if (start === undefined || end === undefined) fail(scope, setting, value, "expected a daily UTC window \"hh:mm-hh:mm\", e.g. \"03:00-04:00\"");
  const s = span(start, end, MINUTES_PER_DAY);
  if (s.end - s.start < MIN_WINDOW_MINUTES) fail(scope, setting, value, `expected a window of at least ${MIN_WINDOW_MINUTES} minutes`);
  return s;
}

/** "ddd:hh:mm-ddd:hh:mm" (UTC, weekly, lowercase days as AWS stores them), at least 60 minutes. */
export function maintenanceWindow(scope: Construct, setting: string, value: string): Span {
  const m = typeof value === "string" ? /^([a-z]{3}):(\d{2}):(\d{2})-([a-z]{3}):(\d{2}):(\d{2})$/.exec(value) : null;
  const startDay = m ? DAYS.indexOf(m[1] as (typeof DAYS)[number]) : -1;
  const endDay = m ? DAYS.indexOf(m[4] as (typeof DAYS)[number]) : -1;
  const startClock = m ? clock(m[2], m[3]) : undefined;
  const endClock = m ? clock(m[5], m[6]) : undefined;
  if (startDay < 0 || endDay < 0 || startClock === undefined || endClock === undefined) {
    fail(scope, setting, value, "expected a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\" with lowercase days sun..sat, e.g. \"sun:05:00-sun:06:00\"");
  }
  const s = span(startDay * MINUTES_PER_DAY + startClock, endDay * MINUTES_PER_DAY + endClock, MINUTES_PER_WEEK);
  if (s.end - s.start < MIN_WINDOW_MINUTES) fail(scope, setting, value, `expected a window of at least ${MIN_WINDOW_MINUTES} minutes`);
  if (s.end - s.start > MINUTES_PER_DAY) fail(scope, setting, value, "expected a window of at most 24 hours");
  return s;
}

function overlaps(a: Span, b: Span, period: number): boolean {
  // Compare b against a shifted by -period, 0 and +period so windows that wrap are caught.
  return [-period, 0, period].some((shift) => a.start + shift < b.end && b.start < a.end + shift);
}

/** True when the daily snapshot window touches the weekly maintenance window on any day. */
export function windowsOverlap(snapshot: Span, maintenance: Span): boolean {
  return DAYS.some((_, day) => {
    const daily = { start: snapshot.start + day * MINUTES_PER_DAY, end: snapshot.end + day * MINUTES_PER_DAY };
    return overlaps(daily, maintenance, MINUTES_PER_WEEK);
  });
}
