/** Backup and maintenance windows (UTC), checked the way DocumentDB checks them: 30 minutes at least, no overlap. */
import { Construct } from "constructs";
import { fail, matches } from "../core";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEK = 7 * 24 * 60;
const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;

/** Minute ranges within the week, [start, end), split where they wrap past Sunday midnight. */
type Ranges = readonly (readonly [number, number])[];

function split(start: number, length: number): Ranges {
  const end = start + length;
  return end <= WEEK ? [[start, end]] : [[start, WEEK], [0, end - WEEK]];
}

function duration(start: number, end: number, period: number): number {
  return (end - start + period) % period;
}

/** "hh:mm-hh:mm", at least 30 minutes; returns its occurrences over one week. */
export function dailyWindow(scope: Construct, setting: string, value: string): Ranges {
  matches(scope, setting, value, DAILY, "a daily UTC window \"hh:mm-hh:mm\", e.g. \"02:00-03:00\"");
  const m = DAILY.exec(value)!;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const length = duration(start, Number(m[3]) * 60 + Number(m[4]), 24 * 60);
  if (length < 30) fail(scope, setting, value, "expected a window of at least 30 minutes");
  return DAYS.flatMap((_, d) => split(d * 24 * 60 + start, length));
}

/** "ddd:hh:mm-ddd:hh:mm", at least 30 minutes. */
export function weeklyWindow(scope: Construct, setting: string, value: string): Ranges {
  matches(scope, setting, value, WEEKLY, "a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\", e.g. \"sun:03:00-sun:04:00\"");
  const m = WEEKLY.exec(value)!;
  const at = (day: string, h: string, min: string) => DAYS.indexOf(day as (typeof DAYS)[number]) * 24 * 60 + Number(h) * 60 + Number(min);
  const start = at(m[1], m[2], m[3]);
  const length = duration(start, at(m[4], m[5], m[6]), WEEK);
  if (length < 30) fail(scope, setting, value, "expected a window of at least 30 minutes");
  return split(start, length);
}

export function overlaps(a: Ranges, b: Ranges): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
