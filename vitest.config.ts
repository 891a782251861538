import { defineConfig } from "vitest/config";

// Tiers: unit (modules + stacks, fast), terraform (terraform validate), emulator (plan/apply on moto), policy (checkov).
// scripts/test.mjs runs them in order and reports which ran; `npm run test:unit` runs the first alone.
// isolate: false (root level: vitest 3 ignores it per project) reuses each worker's module cache across test files, so
// cdktf and the provider classes load once per worker instead of once per file: the unit tier went from about 65 s to
// about 32-44 s on 2 cores. Every test builds its own App and stacks; no test file keeps state in a shared module.
const shared = { globals: true, setupFiles: ["__tests__/support/setup.ts"], pool: "forks" as const };

export default defineConfig({
  test: {
    reporters: ["default"],
    isolate: false,
    projects: [
      { test: { ...shared, name: "unit", include: ["__tests__/modules/**/*.test.ts", "__tests__/stacks/**/*.test.ts", "__tests__/core/**/*.test.ts", "__tests__/tools/**/*.test.ts"], testTimeout: 30_000 } },
      { test: { ...shared, name: "terraform", include: ["__tests__/terraform/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000, poolOptions: { forks: { singleFork: true } } } },
      { test: { ...shared, name: "emulator", include: ["__tests__/emulator/**/*.test.ts"], testTimeout: 1_800_000, hookTimeout: 600_000, poolOptions: { forks: { singleFork: true } } } },
      { test: { ...shared, name: "policy", include: ["__tests__/policy/**/*.test.ts"], testTimeout: 900_000, hookTimeout: 900_000, poolOptions: { forks: { singleFork: true } } } },
    ],
  },
});
