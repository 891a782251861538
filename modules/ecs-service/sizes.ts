/** Task sizes: the CPU/memory pairs Fargate accepts, and the looser bounds of the EC2 launch type. */
import { Construct } from "constructs";
import { fail, inRange } from "../core";

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/** Fargate: CPU units -> the memory sizes (MiB) allowed with it (Linux tasks). */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

/** Refuses a CPU/memory combination the launch type cannot run. */
export function checkTaskSize(scope: Construct, launchType: "EC2" | "FARGATE", cpu: number, memoryMiB: number): void {
  if (launchType === "EC2") {
    inRange(scope, "cpu", cpu, 128, 196608);
    inRange(scope, "memoryMiB", memoryMiB, 6, 4_194_304);
    return;
  }
  const allowed = FARGATE_SIZES[cpu];
  if (!allowed) fail(scope, "cpu", cpu, `expected a Fargate CPU size: ${Object.keys(FARGATE_SIZES).join(", ")}`);
  if (memoryMiB < allowed[0]) {
    fail(scope, "memoryMiB", memoryMiB, `Fargate needs at least ${allowed[0]} MiB with cpu ${cpu}; expected one of ${allowed.join(", ")}`);
  }
  if (!allowed.includes(memoryMiB)) fail(scope, "memoryMiB", memoryMiB, `expected a Fargate memory size for cpu ${cpu}: one of ${allowed.join(", ")}`);
}
