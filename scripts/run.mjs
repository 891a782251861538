/**
 * Runs a command asynchronously and collects its output: a test worker waiting on it stays responsive (a worker
 * blocked in a synchronous child process for a minute cannot answer vitest, which then fails the run with
 * "Timeout calling onTaskUpdate"). Resolves { status, stdout, stderr } whatever the exit code; rejects only when
 * the command cannot start. After timeoutMs the command is killed and status is -1.
 */
import { spawn } from "node:child_process";

export function runCommand(bin, args, { cwd, env, timeoutMs } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    const timer = timeoutMs ? setTimeout(() => child.kill("SIGKILL"), timeoutMs) : undefined;
    child.on("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ status: code ?? -1, stdout, stderr });
    });
  });
}
