/**
 * What the module knows about RDS instance classes: their shape, which cannot run Performance Insights, and
 * an approximate PostgreSQL max_connections for connection alarms (TV7).
 */

/** "db.<family>.<size>", e.g. db.t3.micro, db.r6g.2xlarge, db.m5d.large. */
export const INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|\d{1,2}xlarge|metal(-\d{1,2}xl)?)$/;

/**
 * Classes on which RDS for PostgreSQL does not offer Performance Insights: none. AWS's table of Performance
 * Insights support (RDS user guide, "Amazon RDS DB engine, Region, and instance class support for Performance
 * Insights") restricts db.t2/t3/t4g micro and small for RDS for MariaDB and MySQL only
 * ({@link NO_PERFORMANCE_INSIGHTS_MYSQL}); this module runs PostgreSQL, which it lists with no class
 * restriction (issue 10 item 5).
 */
export const NO_PERFORMANCE_INSIGHTS: readonly string[] = [];

/** The MariaDB / MySQL restriction, kept for reference: this module does not run those engines. */
export const NO_PERFORMANCE_INSIGHTS_MYSQL: readonly string[] = ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"];

const BURSTABLE = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
const GENERAL = { large: 8, xlarge: 16, "2xlarge": 32 };
const MEMORY = { large: 16, xlarge: 32, "2xlarge": 64 };

/** Memory (GiB) of the classes alarms are commonly set for. */
const MEMORY_GIB: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  t3: BURSTABLE, t4g: BURSTABLE,
  m5: GENERAL, m6g: GENERAL, m6i: GENERAL, m7g: GENERAL,
  r5: MEMORY, r6g: MEMORY, r6i: MEMORY, r7g: MEMORY,
};

/** Memory RDS keeps for the OS and its agents; DBInstanceClassMemory is roughly the class memory minus this. */
const RESERVED_BYTES = 300 * 1024 * 1024;

/**
 * Approximate default max_connections, LEAST(DBInstanceClassMemory / 9531392, 5000), erring low so that an
 * alarm at 80 % fires before the real limit. Undefined for classes not in the table.
 */
export function approximateMaxConnections(instanceClass: string): number | undefined {
  const [, family, size] = instanceClass.split(".");
  const gib = MEMORY_GIB[family]?.[size];
  if (gib === undefined) return undefined;
  return Math.min(Math.floor((gib * 1024 ** 3 - RESERVED_BYTES) / 9531392), 5000);
}
