/** Checks of the app container's health check and of the task role's statements. */
import { Construct } from "constructs";
import { fail, inRange, nonEmpty, PolicyStatement } from "../core";
import type { EcsServiceHealthCheck } from "./index";

export function checkHealthCheck(scope: Construct, given: EcsServiceHealthCheck | undefined, containerPort: number | undefined, path: string) {
  const command = given?.command ?? (containerPort === undefined ? undefined : ["CMD-SHELL", `curl -fs http://localhost:${containerPort}${path} || exit 1`]);
  if (command === undefined) return undefined;
  nonEmpty(scope, "healthCheck.command", command);
  if (!["CMD", "CMD-SHELL"].includes(command[0]) || command.length < 2) {
    fail(scope, "healthCheck.command", command, "expected [\"CMD\", <executable>, ...args] or [\"CMD-SHELL\", <shell command>]");
  }
  return {
    command: [...command],
    interval: inRange(scope, "healthCheck.intervalSeconds", given?.intervalSeconds ?? 30, 5, 300),
    // Explicit defaults, so the stored definition matches the one ECS returns.
    timeout: 5,
    retries: 3,
    startPeriod: inRange(scope, "healthCheck.startPeriodSeconds", given?.startPeriodSeconds ?? 60, 0, 300),
  };
}

export function checkStatements(scope: Construct, statements: readonly PolicyStatement[]): void {
  statements.forEach((s, i) => {
    nonEmpty(scope, `taskPolicyStatements[${i}].actions`, s.actions);
    nonEmpty(scope, `taskPolicyStatements[${i}].resources`, s.resources);
    if (s.actions.some((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a))) {
      fail(scope, `taskPolicyStatements[${i}].actions`, s.actions, "expected the actions the application calls, not \"*\" or \"<service>:*\"");
    }
  });
}
