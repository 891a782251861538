/**
 * The project's moto extensions (emulator/extensions/) pass their own boto3 tests (emulator/tests/), run by pytest
 * in the emulator's venv against moto served in-process with the extensions registered.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureEmulatorPython, root } from "../../scripts/emulator.mjs";

describe("emulator extensions", () => {
  it("every extension's boto3 test passes (pytest emulator/tests)", () => {
    const python = ensureEmulatorPython({ log: (m: string) => console.log(`[emulator] ${m}`) });
    const r = spawnSync(python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::UserWarning", join(root, "emulator", "tests")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
      timeout: 600_000,
    });
    const summary = /(\d+) passed(?:, (\d+) failed)?/.exec(r.stdout ?? "");
    console.log(`[emulator] extensions: ${summary?.[0] ?? "no pytest summary"}`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(Number(summary?.[1] ?? 0)).toBeGreaterThanOrEqual(37);
    expect(summary?.[2]).toBeUndefined();
  });
});
