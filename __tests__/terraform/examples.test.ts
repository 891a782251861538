/**
 * The consumer apps in examples/: each imports the modules by package name (through package.json `exports`, which
 * Node resolves for the package itself), type-checks against the built declarations, synthesizes, and passes
 * `terraform validate` with the real provider. The library is built first (`npm run build:lib`).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { cacheDir } from "../../scripts/terraform-toolchain.mjs";
import { runCommand } from "../../scripts/run.mjs";
import { describeDiagnostics, stackDirs, validateStackDir } from "../support/terraform";

const root = resolve(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "examples", d.name, "main.ts")))
  .map((d) => d.name)
  .sort();

async function run(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number; output: string }> {
  const r = (await runCommand(bin, args, { cwd: root, env, timeoutMs: 300_000 })) as { status: number; stdout: string; stderr: string };
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("examples (consumer apps)", () => {
  let built: { status: number; output: string };
  let typecheck: { status: number; output: string };
  beforeAll(async () => {
    built = await run(process.execPath, [join(root, "node_modules", "typescript7", "bin", "tsc"), "-p", "tsconfig.lib.json"]);
    typecheck = await run(process.execPath, [join(root, "node_modules", "typescript7", "bin", "tsc"), "-p", join("examples", "tsconfig.json")]);
  });

  it("there are at least two, and each imports the modules by package name only", () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const name of examples) {
      const source = readFileSync(join(root, "examples", name, "main.ts"), "utf8");
      const specifiers = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
      expect(specifiers.filter((s) => s.startsWith("."))).toEqual([]);
      expect(specifiers.some((s) => s.startsWith("aws-platform-cdktf/"))).toBe(true);
    }
  });

  it("the library builds and the examples type-check against its declarations", () => {
    expect(built.output).toBe("");
    expect(built.status).toBe(0);
    expect(typecheck.output).toBe("");
    expect(typecheck.status).toBe(0);
  });

  it.each(examples)("%s synthesizes through the package name and passes terraform validate", async (name) => {
    mkdirSync(cacheDir as string, { recursive: true });
    const outdir = mkdtempSync(join(cacheDir as string, `example-${name}-`));
    try {
      const synth = await run(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join("examples", name, "main.ts")], { ...process.env, CDKTF_OUTDIR: outdir });
      expect(synth.status, synth.output).toBe(0);
      const dirs = Object.values(stackDirs(outdir));
      expect(dirs).toHaveLength(1);
      const result = await validateStackDir(dirs[0]);
      expect(result.valid, describeDiagnostics(result)).toBe(true);
      expect(result.errorCount).toBe(0);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
