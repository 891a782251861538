/** CPU and memory of the broker task: Fargate's fixed combinations, or EC2 ranges; always room for a JVM heap. */
import { Construct } from "constructs";
import { fail, inRange } from "../core";

/** Fargate: memory (MiB) allowed for each CPU size, as [min, max, step]. */
const FARGATE_MEMORY: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** The broker's heap is half the task memory; below this the broker and the topic tool do not fit. */
export const MIN_KAFKA_MEMORY_MIB = 768;

export function checkTaskSize(scope: Construct, launchType: "EC2" | "FARGATE", cpu: number, memoryMiB: number): void {
  if (launchType === "FARGATE") {
    const sizes = Object.keys(FARGATE_MEMORY).map(Number);
    if (!sizes.includes(cpu)) fail(scope, "cpu", cpu, `expected a Fargate CPU size: ${sizes.join(", ")}`);
    const [min, max, step] = FARGATE_MEMORY[cpu];
    const lowest = min + Math.ceil(Math.max(0, MIN_KAFKA_MEMORY_MIB - min) / step) * step;
    if (!Number.isInteger(memoryMiB) || memoryMiB < lowest || memoryMiB > max || (memoryMiB - min) % step !== 0) {
      fail(scope, "memoryMiB", memoryMiB, `expected ${lowest}-${max} MiB in steps of ${step} for ${cpu} CPU units on Fargate`);
    }
    return;
  }
  inRange(scope, "cpu", cpu, 128, 10240);
  inRange(scope, "memoryMiB", memoryMiB, MIN_KAFKA_MEMORY_MIB, 122880);
}
