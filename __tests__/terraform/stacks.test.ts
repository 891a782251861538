/**
 * Terraform tier: every stack main.ts builds passes `terraform validate` with the real hashicorp/aws provider.
 * Types do not catch what the provider checks (an aws_lb without subnets type-checks and synthesizes).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../stacks";
import { describeDiagnostics, stackDirs, toolchain, validateStackDir } from "../support/terraform";

const outdir = mkdtempSync(join(process.cwd(), ".cache", "tf-stacks-"));
const app = new App({ outdir });
const stacks = buildApp(app).map((s) => s.node.id);
app.synth();
const dirs = stackDirs(outdir);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("terraform validate with the real aws provider", () => {
  it("uses the project's toolchain (terraform found, provider from a mirror or the registry)", () => {
    const t = toolchain();
    expect(t.terraform, t.reason ?? "").toBeTruthy();
    console.log(`terraform ${t.version}; aws provider from ${t.mirror ? "the local mirror" : "the registry"}`);
  });

  it("G1: synthesizes one directory per stack", () => {
    expect(Object.keys(dirs).sort()).toEqual([...stacks].sort());
  });

  it.each(stacks)("%s is valid Terraform", async (name) => {
    const r = await validateStackDir(dirs[name]);
    expect(r.valid, describeDiagnostics(r)).toBe(true);
    expect(r.errorCount).toBe(0);
  });
});
